/**
 * A task's page reads its history in four raw statements (`taskHistory` in tasks.ts). Over random
 * tasks (every field set or empty), runs (every outcome and trigger, over 40 days, some without a
 * duration), audit entries (with and without details), random pages and windows, for the owner, the
 * admin and another user, on both engines, the page must be exactly what the Prisma reads it
 * replaced give; another user's task is NOT_FOUND.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import type { AuditAction, ExecutionStatus, FailureCategory, TaskStatus, TriggerKind } from "@/generated/sqlite/enums";
import type { HistoryInput } from "@/lib/validation/tasks";
import { rollupDay } from "@/server/scheduler/stats";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

/** The task page as Prisma read it (the oracle), for a task the caller may see. */
async function prismaHistory(db: Db, input: HistoryInput, now: Date) {
  const since = new Date(now.getTime() - input.days * 86_400_000);
  const [task, runs, window, audit] = await Promise.all([
    db.task.findUniqueOrThrow({
      where: { id: input.taskId },
      select: {
        id: true,
        userId: true,
        type: true,
        status: true,
        runCount: true,
        platform: true,
        websiteUrl: true,
        frequencyMinutes: true,
        cronExpression: true,
        cronTimeZone: true,
        graceMinutes: true,
        nextRunAt: true,
        lastRunAt: true,
        lastOutcome: true,
        consecutiveFailures: true,
        failureReason: true,
        failureCategory: true,
        failurePattern: true,
        coolOffUntil: true,
        alertsSnoozedUntil: true,
        endedAt: true,
        endedReason: true,
      },
    }),
    db.executionLog.findMany({
      where: { taskId: input.taskId, ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
      orderBy: { id: "desc" },
      take: input.limit + 1,
      select: {
        id: true,
        status: true,
        trigger: true,
        attempt: true,
        startedAt: true,
        finishedAt: true,
        durationMs: true,
        errorMessage: true,
        errorCategory: true,
      },
    }),
    db.executionLog.findMany({
      where: { taskId: input.taskId, startedAt: { gte: since }, status: { not: "RUNNING" } },
      select: { status: true, startedAt: true, durationMs: true },
    }),
    db.auditLog.findMany({
      where: { taskId: input.taskId },
      orderBy: { id: "desc" },
      take: 50,
      select: { id: true, action: true, createdAt: true, details: true, actor: { select: { email: true } } },
    }),
  ]);
  const hasMore = runs.length > input.limit;
  const items = hasMore ? runs.slice(0, input.limit) : runs;
  const succeeded = window.filter((r) => r.status === "SUCCESS").length;
  const failed = window.filter((r) => r.status === "FAILED" || r.status === "TIMED_OUT").length;
  const byDay = new Map<string, { day: string; runs: number; total: number }>();
  for (const r of window) {
    const d = byDay.get(rollupDay(r.startedAt)) ?? { day: rollupDay(r.startedAt), runs: 0, total: 0 };
    d.runs++;
    d.total += r.durationMs ?? 0;
    byDay.set(d.day, d);
  }
  return {
    task,
    audit: audit.map((a) => ({
      id: a.id,
      action: a.action,
      createdAt: a.createdAt,
      actor: a.actor.email,
      details: a.details,
    })),
    items,
    nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null,
    successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
    durationTrend: [...byDay.values()]
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((d) => ({ day: d.day, runs: d.runs, avgDurationMs: Math.round(d.total / d.runs) })),
  };
}

describe.each(testEngines())("a task's history in raw statements on %s", (engine) => {
  let t: TestDatabase;
  let owner: string;
  let other: string;
  let admin: string;
  const taskIds: string[] = [];
  const r = prng(2023);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    [owner, other, admin] = [
      (await createTestUser(t.db)).id,
      (await createTestUser(t.db)).id,
      (await createTestUser(t.db, "ADMIN")).id,
    ];
    for (let i = 0; i < 4; i++) {
      const full = i % 2 === 0;
      const task = await t.db.task.create({
        data: {
          userId: owner,
          type: full ? "WEBSITE_ANALYSIS" : "GSC_INSIGHTS",
          status: r.pick<TaskStatus>(["ACTIVE", "PAUSED", "NEEDS_INTERVENTION", "ENDED"]),
          dedupeKey: `h${i}`,
          frequencyMinutes: r.int(15, 1440),
          runCount: r.int(0, 500),
          ...(full
            ? {
                websiteUrl: "https://own.example/",
                cronExpression: "0 6 * * *",
                cronTimeZone: "Europe/Paris",
                graceMinutes: 30,
                nextRunAt: new Date(Date.now() + 3_600_000),
                lastRunAt: new Date(Date.now() - 3_600_000),
                lastOutcome: "FAILED",
                consecutiveFailures: 3,
                failureReason: "HTTP 503",
                failureCategory: "NETWORK_ERROR",
                failurePattern: { consecutive: 3, errorPatterns: [{ pattern: "HTTP 5xx", count: 3 }] },
                coolOffUntil: new Date(Date.now() + 7_200_000),
                alertsSnoozedUntil: new Date(Date.now() + 86_400_000),
                endedAt: new Date(Date.now() - 60_000),
                endedReason: "website removed",
              }
            : { platform: "GSC" }),
        },
      });
      taskIds.push(task.id);
      for (let k = r.int(0, 60); k > 0; k--) {
        const status = r.pick<ExecutionStatus>(["RUNNING", "SUCCESS", "FAILED", "SKIPPED", "TIMED_OUT", "INTERRUPTED"]);
        const startedAt = new Date(Date.now() - r.int(0, 40 * 24) * 3_600_000 - r.int(0, 3_599_999));
        await t.db.executionLog.create({
          data: {
            taskId: task.id,
            userId: owner,
            taskType: task.type,
            status,
            trigger: r.pick<TriggerKind>(["SCHEDULED", "MANUAL", "RETRY"]),
            attempt: r.int(1, 3),
            startedAt,
            finishedAt: status === "RUNNING" ? null : new Date(startedAt.getTime() + 5_000),
            durationMs: status === "RUNNING" || r.chance(0.1) ? null : r.int(1, 60_000),
            errorMessage: status === "FAILED" ? "HTTP 503" : null,
            errorCategory: status === "FAILED" ? r.pick<FailureCategory>(["NETWORK_ERROR", "API_LIMIT"]) : null,
            result: { clicks: k },
          },
        });
      }
      for (let k = r.int(0, 5); k > 0; k--)
        await t.db.auditLog.create({
          data: {
            actorId: r.pick([owner, admin]),
            action: r.pick<AuditAction>(["MANUAL_TRIGGER", "RETRY", "PAUSE", "RESUME"]),
            taskId: task.id,
            details: r.chance(0.5) ? { from: "every hour", to: "daily", n: k } : undefined,
          },
        });
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("gives what the Prisma reads gave, for the owner and the admin, over random pages and windows", async () => {
    for (let round = 0; round < 30; round++) {
      const input: HistoryInput = {
        taskId: r.pick(taskIds),
        limit: r.pick([1, 5, 20, 200]),
        cursor: r.chance(0.4) ? r.int(1, 150) : undefined,
        days: r.pick([1, 7, 30, 90]),
      };
      const who = r.pick([owner, admin]);
      const now = new Date();
      const page = await (await callerFor(t, who)).tasks.history(input);
      // The window moves with the clock: read it with a `now` the page's own can only be after.
      expect(page, JSON.stringify({ round, input })).toEqual(await prismaHistory(t.db, input, now));
    }
  });

  it("is NOT_FOUND for another user's task, and for a task that does not exist", async () => {
    const caller = await callerFor(t, other);
    await expect(caller.tasks.history({ taskId: taskIds[0]! })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.tasks.history({ taskId: "no-such-task" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
