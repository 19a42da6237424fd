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
import { TASK_STATUSES } from "@/server/services/dashboard";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const TYPES: TaskType[] = [...VISIBLE_TASK_TYPES, "SYSTEM_RETENTION"];
const STATUSES: TaskStatus[] = [...TASK_STATUSES, "ENDED"];

/** The overview's task figures and first steps as Prisma read them before (the oracle). */
async function expected(db: Db, userId: string, admin: boolean) {
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
  return {
    totalTasks: byStatusType.reduce((a, r) => a + r._count._all, 0),
    endedTasks: ended,
    tasksByStatus,
    tasksByType,
    oneTime,
    runningNow,
    nextDueAt: nextDue?.nextRunAt ?? null,
    onboarding: { ...steps, done: steps.connected && steps.website && steps.firstRun },
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
        await t.db.executionLog.create({
          data: {
            taskId: task.id,
            userId: user.id,
            taskType: task.type,
            status: r.pick<ExecutionStatus>(["RUNNING", "SUCCESS", "FAILED"]),
          },
        });
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("counts tasks and reads first steps as the Prisma reads it replaced, for each user and the admin", async () => {
    const seen = [];
    for (const user of users) {
      const overview = await (await callerFor(t, user.id)).dashboard.overview({ days: 7 });
      const want = await expected(t.db, user.id, user.admin);
      expect({
        totalTasks: overview.totalTasks,
        endedTasks: overview.endedTasks,
        tasksByStatus: overview.tasksByStatus,
        tasksByType: overview.tasksByType,
        oneTime: overview.jobs.oneTime,
        runningNow: overview.scheduler.runningNow,
        nextDueAt: overview.nextDueAt,
        onboarding: overview.onboarding,
      }).toEqual(want);
      seen.push(want);
    }
    // The data reach every branch: a new account, finished runs, triggers, leases, ended tasks, no next run.
    expect(seen.some((w) => w.totalTasks === 0 && !w.onboarding.connected)).toBe(true);
    expect(seen.some((w) => w.onboarding.firstRun)).toBe(true);
    expect(seen.some((w) => w.oneTime > 0 && w.runningNow > 0 && w.endedTasks > 0 && w.nextDueAt)).toBe(true);
  });
});
