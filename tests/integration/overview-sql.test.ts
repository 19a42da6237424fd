/**
 * The overview counts tasks and reads a new account's first steps in one statement each (`taskTally`
 * and `onboarding` in dashboard.ts). Over random tasks (every type and status, some waiting on a
 * trigger, some leased, some with no next run), connections, websites and runs for four users, on
 * both engines, the overview must say exactly what the Prisma reads it replaced say, for each user
 * and for the admin (everyone's tasks, their own first steps).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import type { ConnectionStatus, ExecutionStatus, Platform, TaskStatus, TaskType } from "@/generated/sqlite/enums";
import { VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { WORKER_ALIVE_MS } from "@/server/config/scheduler";
import { TASK_STATUSES } from "@/server/services/dashboard";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const TYPES: TaskType[] = [...VISIBLE_TASK_TYPES, "SYSTEM_RETENTION"];
const STATUSES: TaskStatus[] = [...TASK_STATUSES, "ENDED"];

const DAY = 86_400_000;
const DAYS = 7;
const rollupDay = (d: Date) => d.toISOString().slice(0, 10);

/** The overview's task figures and first steps as Prisma read them before (the oracle). */
async function expected(db: Db, userId: string, admin: boolean, now: Date) {
  const where = { ...(admin ? {} : { userId }), type: { in: [...VISIBLE_TASK_TYPES] } };
  const [byStatusType, ended, nextDue, oneTime, runningNow, connections, websites, run] = await Promise.all([
    db.task.groupBy({
      by: ["type", "status"],
      where: { ...where, status: { in: [...TASK_STATUSES] } },
      _count: { _all: true },
    }),
    db.task.count({ where: { ...where, status: "ENDED" } }),
    db.task.findFirst({
      where: { ...where, status: { in: ["ACTIVE", "NEEDS_INTERVENTION"] }, nextRunAt: { not: null } },
      orderBy: { nextRunAt: "asc" },
      select: { nextRunAt: true },
    }),
    db.task.count({ where: { ...where, pendingTrigger: { not: null } } }),
    db.task.count({ where: { ...where, leaseExpiresAt: { not: null } } }),
    db.platformConnection.count({ where: { userId, status: { not: "DISCONNECTED" } } }),
    db.website.count({ where: { userId } }),
    db.executionLog.findFirst({ where: { userId, status: { not: "RUNNING" } }, select: { id: true } }),
  ]);
  const tasksByStatus: Record<string, number> = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0]));
  const tasksByType: Record<string, number> = Object.fromEntries(VISIBLE_TASK_TYPES.map((t) => [t, 0]));
  for (const row of byStatusType) {
    tasksByStatus[row.status] = (tasksByStatus[row.status] ?? 0) + row._count._all;
    tasksByType[row.type] = (tasksByType[row.type] ?? 0) + row._count._all;
  }
  const steps = { connected: connections > 0, website: websites > 0, firstRun: run !== null };
  // Runs per day of the window and all time from the rollup; the session since the oldest live worker.
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DAYS - 1)));
  const scope = admin ? {} : { userId };
  const [perDay, allTime, workers] = await Promise.all([
    db.runStatDaily.groupBy({
      by: ["day", "status"],
      where: { ...scope, day: { gte: rollupDay(since) } },
      _sum: { runs: true },
    }),
    db.runStatDaily.groupBy({ by: ["status"], where: scope, _sum: { runs: true } }),
    db.worker.findMany({
      where: { stoppedAt: null, lastSeenAt: { gte: new Date(now.getTime() - WORKER_ALIVE_MS) } },
      orderBy: { startedAt: "asc" },
    }),
  ]);
  const runsPerDay = Array.from({ length: DAYS }, (_, d) => {
    const day = rollupDay(new Date(since.getTime() + d * DAY));
    const of = (pick: (status: string) => boolean) =>
      perDay.filter((r) => r.day === day && pick(r.status)).reduce((a, r) => a + (r._sum.runs ?? 0), 0);
    return {
      day,
      success: of((s) => s === "SUCCESS"),
      failed: of((s) => s === "FAILED" || s === "TIMED_OUT"),
      other: of((s) => !["SUCCESS", "FAILED", "TIMED_OUT"].includes(s)),
    };
  });
  const totals = (rows: { status: string; runs: number }[]) => ({
    executed: rows.filter((r) => r.status !== "RUNNING").reduce((a, r) => a + r.runs, 0),
    succeeded: rows.filter((r) => r.status === "SUCCESS").reduce((a, r) => a + r.runs, 0),
    failed: rows.filter((r) => r.status === "FAILED" || r.status === "TIMED_OUT").reduce((a, r) => a + r.runs, 0),
  });
  const sessionStart = workers[0]?.startedAt ?? null;
  const sessionRows =
    sessionStart && !admin
      ? await db.executionLog.groupBy({
          by: ["status"],
          where: { userId, startedAt: { gte: sessionStart }, status: { not: "RUNNING" } },
          _count: { _all: true },
        })
      : null;
  return {
    totalTasks: byStatusType.reduce((a, r) => a + r._count._all, 0),
    endedTasks: ended,
    tasksByStatus,
    tasksByType,
    oneTime,
    runningNow,
    nextDueAt: nextDue?.nextRunAt ?? null,
    onboarding: { ...steps, done: steps.connected && steps.website && steps.firstRun },
    runsPerDay,
    workersAlive: workers.length,
    activeRuns: workers.reduce((a, w) => a + w.activeRuns, 0),
    // An admin's all time and session are the counters' and the engine's (none here), not the rollup's.
    runs: admin
      ? null
      : {
          allTime: totals(allTime.map((r) => ({ status: r.status, runs: r._sum.runs ?? 0 }))),
          session:
            sessionStart && sessionRows
              ? {
                  startedAt: sessionStart,
                  ...totals(sessionRows.map((r) => ({ status: r.status, runs: r._count._all }))),
                }
              : null,
        },
  };
}

describe.each(testEngines())("the overview's one-statement reads on %s", (engine) => {
  let t: TestDatabase;
  const users: { id: string; admin: boolean }[] = [];
  const r = prng(2021);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    for (const role of ["USER", "USER", "USER", "ADMIN"] as const)
      users.push({ id: (await createTestUser(t.db, role)).id, admin: role === "ADMIN" });
    // The second user has nothing at all: a new account.
    for (const [u, user] of users.entries()) {
      if (u === 1) continue;
      const tasks = r.int(3, 25);
      for (let i = 0; i < tasks; i++) {
        const status = r.pick(STATUSES);
        await t.db.task.create({
          data: {
            userId: user.id,
            type: r.pick(TYPES),
            status,
            dedupeKey: `k${i}`,
            frequencyMinutes: 60,
            nextRunAt: r.chance(0.15) ? null : new Date(Date.now() + r.int(-3_600, 86_400) * 1000),
            pendingTrigger: r.chance(0.2) ? r.pick(["MANUAL", "RETRY"] as const) : null,
            ...(r.chance(0.2) ? { leaseOwner: "w1", leaseExpiresAt: new Date(Date.now() + 60_000) } : {}),
          },
        });
      }
      // Some have connections (maybe only disconnected ones), websites and runs (maybe only running ones).
      for (const platform of ["GSC", "BING"] as Platform[])
        if (r.chance(0.5))
          await t.db.platformConnection.create({
            data: { userId: user.id, platform, status: r.pick<ConnectionStatus>(["CONNECTED", "DISCONNECTED"]) },
          });
      if (r.chance(0.5)) await t.db.website.create({ data: { userId: user.id, url: "https://own.example/" } });
      const task = await t.db.task.findFirst({ where: { userId: user.id } });
      if (task && r.chance(0.7))
        for (let k = r.int(1, 12); k > 0; k--)
          await t.db.executionLog.create({
            data: {
              taskId: task.id,
              userId: user.id,
              taskType: task.type,
              // Before and after the session began (two hours ago).
              startedAt: new Date(Date.now() - r.int(0, 4 * 3_600) * 1000),
              status: r.pick<ExecutionStatus>(["RUNNING", "SUCCESS", "FAILED", "SKIPPED", "TIMED_OUT"]),
            },
          });
      // The rollup: days inside the window and before it, every status.
      for (let d = 0; d < 20; d += r.int(1, 3))
        for (const status of ["SUCCESS", "FAILED", "SKIPPED", "TIMED_OUT", "INTERRUPTED"] as ExecutionStatus[])
          if (r.chance(0.6))
            await t.db.runStatDaily.create({
              data: {
                userId: user.id,
                day: rollupDay(new Date(Date.now() - d * DAY)),
                taskType: r.pick(["GSC_INSIGHTS", "WEBSITE_ANALYSIS"] as TaskType[]),
                status,
                runs: r.int(1, 40),
              },
            });
    }
  });
  beforeAll(async () => {
    // Two live workers (the session began with the older, two hours ago), one gone quiet, one stopped.
    const ago = (ms: number) => new Date(Date.now() - ms);
    for (const [id, startedAt, lastSeenAt, stoppedAt, activeRuns] of [
      ["w-old", ago(2 * 3_600_000), ago(1_000), null, 2],
      ["w-new", ago(600_000), ago(2_000), null, 3],
      ["w-quiet", ago(9 * 3_600_000), ago(3_600_000), null, 7],
      ["w-stopped", ago(8 * 3_600_000), ago(1_000), ago(1_000), 5],
    ] as const)
      await t.db.worker.create({
        data: { id, hostname: "test", pid: 1, kind: "worker", startedAt, lastSeenAt, stoppedAt, activeRuns },
      });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("counts tasks and reads first steps as the Prisma reads it replaced, for each user and the admin", async () => {
    const seen = [];
    for (const user of users) {
      const overview = await (await callerFor(t, user.id)).dashboard.overview({ days: DAYS });
      const want = await expected(t.db, user.id, user.admin, new Date());
      expect({
        totalTasks: overview.totalTasks,
        endedTasks: overview.endedTasks,
        tasksByStatus: overview.tasksByStatus,
        tasksByType: overview.tasksByType,
        oneTime: overview.jobs.oneTime,
        runningNow: overview.scheduler.runningNow,
        nextDueAt: overview.nextDueAt,
        onboarding: overview.onboarding,
        runsPerDay: overview.runsPerDay,
        workersAlive: overview.system?.workersAlive ?? want.workersAlive,
        activeRuns: overview.system?.activeRuns ?? want.activeRuns,
        runs: user.admin ? null : overview.runs,
      }).toEqual(want);
      expect(overview.scheduler.running).toBe(true);
      seen.push(want);
    }
    // The data reach every branch: a new account, finished runs, triggers, leases, ended tasks, no next run.
    expect(seen.some((w) => w.totalTasks === 0 && !w.onboarding.connected)).toBe(true);
    expect(seen.some((w) => w.onboarding.firstRun)).toBe(true);
    expect(seen.some((w) => w.runs?.session && w.runs.session.executed > 0 && w.runs.allTime.executed > 0)).toBe(true);
    expect(seen.find((w) => w.workersAlive)).toMatchObject({ workersAlive: 2, activeRuns: 5 });
    expect(seen.some((w) => w.oneTime > 0 && w.runningNow > 0 && w.endedTasks > 0 && w.nextDueAt)).toBe(true);
  });
});
