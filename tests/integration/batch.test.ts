import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRuns, recordFinishedRuns, type FinishedRun } from "@/server/scheduler/batch";
import { RunBatcher } from "@/server/scheduler/record";
import { hotSql, type HotSql } from "@/server/db";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

describe.each(testEngines())("the engine's set-based writes on %s", (engine) => {
  let t: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    userId = (await createTestUser(t.db)).id;
  });
  afterAll(async () => {
    await t.drop();
  });

  it("opens RUNNING logs only for tasks still leased by this worker, and records finished runs like the one-run path", async () => {
    const due = new Date("2026-11-20T10:00:00.000Z");
    const startedAt = new Date("2026-11-20T10:00:00.250Z");
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const task = await t.db.task.create({
        data: {
          userId,
          type: "GSC_INSIGHTS",
          dedupeKey: `batch:${i}`,
          frequencyMinutes: 60,
          nextRunAt: due,
          leaseOwner: i === 3 ? "someone-else" : "w1",
          leaseExpiresAt: new Date(due.getTime() + 60_000),
          pendingTrigger: i === 0 ? "MANUAL" : null,
          consecutiveFailures: 2,
          failureReason: "earlier",
        },
      });
      ids.push(task.id);
    }
    const opened = await openRuns(t.db, t.engine, "w1", ids, startedAt);
    expect([...opened.keys()].sort()).toEqual(ids.slice(0, 3).sort()); // the fourth lease is not ours: no run
    const first = await t.db.executionLog.findUniqueOrThrow({ where: { id: opened.get(ids[0]!)! } });
    expect(first).toMatchObject({
      status: "RUNNING",
      trigger: "MANUAL",
      attempt: 1,
      userId,
      taskType: "GSC_INSIGHTS",
      workerId: "w1",
    });
    expect(first.scheduledFor?.toISOString()).toBe(due.toISOString());
    expect(first.startedAt.toISOString()).toBe(startedAt.toISOString());

    // Meanwhile: the second run was closed by recovery, and the third task's lease was taken over.
    await t.db.executionLog.update({
      where: { id: opened.get(ids[1]!)! },
      data: { status: "FAILED", errorMessage: "worker lost" },
    });
    await t.db.task.update({ where: { id: ids[2]! }, data: { leaseOwner: "w2" } });

    const finishedAt = new Date(startedAt.getTime() + 40);
    const runs: FinishedRun[] = ids.slice(0, 3).map((taskId) => ({
      logId: opened.get(taskId)!,
      taskId,
      userId,
      taskType: "GSC_INSIGHTS",
      trigger: taskId === ids[0] ? "MANUAL" : "SCHEDULED",
      attempt: 1,
      status: "SUCCESS",
      startedAt,
      finishedAt,
      durationMs: 40,
      nextRunAt: new Date(due.getTime() + 3_600_000),
      result: { clicks: 12 },
      dataSource: "live",
      skipped: null,
    }));
    const recorded = await t.db.$transaction((tx) => recordFinishedRuns(tx, t.engine, "w1", runs, finishedAt));
    expect([...recorded].sort()).toEqual([opened.get(ids[0]!)!, opened.get(ids[2]!)!].sort());

    const log = await t.db.executionLog.findUniqueOrThrow({ where: { id: opened.get(ids[0]!)! } });
    expect(log).toMatchObject({ status: "SUCCESS", durationMs: 40, result: { clicks: 12 }, dataSource: "live" });
    expect((await t.db.executionLog.findUniqueOrThrow({ where: { id: opened.get(ids[1]!)! } })).status).toBe("FAILED"); // left as recovery closed it

    const moved = await t.db.task.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(moved).toMatchObject({
      status: "ACTIVE",
      leaseOwner: null,
      pendingTrigger: null,
      runCount: 1,
      lastOutcome: "SUCCESS",
      consecutiveFailures: 0,
      failureReason: null,
    });
    expect(moved.nextRunAt?.toISOString()).toBe(new Date(due.getTime() + 3_600_000).toISOString());
    expect(moved.lastSuccessAt?.toISOString()).toBe(finishedAt.toISOString());
    const taken = await t.db.task.findUniqueOrThrow({ where: { id: ids[2]! } });
    expect(taken).toMatchObject({ leaseOwner: "w2", runCount: 0 }); // the new lease holder moves it on

    const events = await t.db.schedulerEvent.findMany({ where: { type: "JOB_COMPLETED" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.executionLogId).sort()).toEqual([...recorded].sort());
    expect(events.find((e) => e.taskId === ids[0])).toMatchObject({
      jobKind: "ONE_TIME",
      runStatus: "SUCCESS",
      durationMs: 40,
      data: { taskType: "GSC_INSIGHTS", trigger: "MANUAL", attempt: 1 },
    });
    const rollup = await t.db.runStatDaily.findMany({ where: { userId } });
    expect(rollup).toEqual([
      expect.objectContaining({ day: "2026-11-20", status: "SUCCESS", runs: 2, totalDurationMs: 80n }),
    ]);
    expect(await t.db.cumulativeStats.findUnique({ where: { id: 1 } })).toMatchObject({
      jobsCompleted: 2,
      tasksSucceeded: 2,
    });

    // The rollup adds to an existing row instead of replacing it.
    await t.db.$transaction((tx) => recordFinishedRuns(tx, t.engine, "w1", [], finishedAt));
    const again = await openRuns(t.db, t.engine, "w2", [ids[2]!], startedAt);
    await t.db.$transaction((tx) =>
      recordFinishedRuns(tx, t.engine, "w2", [{ ...runs[2]!, logId: again.get(ids[2]!)!, durationMs: 20 }], finishedAt),
    );
    expect(await t.db.runStatDaily.findMany({ where: { userId } })).toEqual([
      expect.objectContaining({ runs: 3, totalDurationMs: 100n }),
    ]);
  });

  it("records a burst of 1,200 runs from two users, two transactions at a time, each run once, counters and rollup in step", async () => {
    const other = (await createTestUser(t.db)).id;
    const due = new Date("2026-11-21T08:00:00.000Z");
    const startedAt = new Date("2026-11-21T08:00:00.100Z");
    const before = await t.db.cumulativeStats.findUnique({ where: { id: 1 } });
    await t.db.task.createMany({
      data: Array.from({ length: 1200 }, (_, i) => ({
        id: `burst-${String(i).padStart(4, "0")}`,
        userId: i % 2 ? other : userId,
        type: i % 3 ? ("GSC_INSIGHTS" as const) : ("BING_INSIGHTS" as const),
        dedupeKey: `burst:${i}`,
        frequencyMinutes: 60,
        nextRunAt: due,
        leaseOwner: "w9",
        leaseExpiresAt: new Date(due.getTime() + 60_000),
      })),
    });
    const ids = Array.from({ length: 1200 }, (_, i) => `burst-${String(i).padStart(4, "0")}`);
    const opened = await openRuns(t.db, t.engine, "w9", ids, startedAt);
    let inFlight = 0;
    let most = 0;
    // Watch how many recording transactions overlap (the batcher may run two at once).
    const hot = hotSql(t.db);
    const watchedHot: HotSql = {
      runner: hot.runner,
      transaction: async (write) => {
        most = Math.max(most, ++inFlight);
        try {
          return await hot.transaction(write);
        } finally {
          inFlight--;
        }
      },
    };
    const watched = new RunBatcher(t.db, t.engine, "w9", () => new Date(startedAt.getTime() + 50), watchedHot);
    const results = await Promise.all(
      ids.map((taskId, i) =>
        watched.record({
          logId: opened.get(taskId)!,
          taskId,
          userId: i % 2 ? other : userId,
          taskType: i % 3 ? "GSC_INSIGHTS" : "BING_INSIGHTS",
          trigger: "SCHEDULED",
          attempt: 1,
          status: "SUCCESS",
          startedAt,
          finishedAt: new Date(startedAt.getTime() + 50),
          durationMs: 50,
          nextRunAt: new Date(due.getTime() + 3_600_000),
          result: { n: i },
          dataSource: "live",
          skipped: null,
        }),
      ),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(most).toBe(2); // 1,200 queued at once: 500 written, and the next 500 beside them
    expect(await t.db.executionLog.count({ where: { taskId: { startsWith: "burst-" }, status: "SUCCESS" } })).toBe(
      1200,
    );
    expect(
      await t.db.schedulerEvent.count({ where: { taskId: { startsWith: "burst-" }, type: "JOB_COMPLETED" } }),
    ).toBe(1200);
    expect(await t.db.task.count({ where: { id: { startsWith: "burst-" }, leaseOwner: null, runCount: 1 } })).toBe(
      1200,
    );
    const rollup = await t.db.runStatDaily.findMany({ where: { day: "2026-11-21" } });
    expect(rollup.reduce((sum, r) => sum + r.runs, 0)).toBe(1200);
    expect(rollup).toHaveLength(4); // two users × two types
    const after = await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } });
    expect(after.jobsCompleted - (before?.jobsCompleted ?? 0)).toBe(1200);
  });

  it("a batched success closes its task's open 'needs you' alert with the notice, in the batch's transaction", async () => {
    const due = new Date("2026-11-22T08:00:00.000Z");
    const startedAt = new Date("2026-11-22T08:00:00.100Z");
    const ids = ["alerted-a", "alerted-b", "alerted-c"];
    await t.db.task.createMany({
      data: ids.map((id, i) => ({
        id,
        userId,
        type: "GSC_INSIGHTS" as const,
        dedupeKey: `alerted:${i}`,
        frequencyMinutes: 60,
        nextRunAt: due,
        leaseOwner: "w8",
        leaseExpiresAt: new Date(due.getTime() + 60_000),
      })),
    });
    const alert = await t.db.alert.create({
      data: {
        userId,
        taskId: "alerted-b",
        kind: "TASK_NEEDS_INTERVENTION",
        episodeKey: "needs-you:alerted-b",
        title: "Search Console insights needs you",
        message: "It failed three times in a row.",
      },
    });
    const opened = await openRuns(t.db, t.engine, "w8", ids, startedAt);
    const batcher = new RunBatcher(t.db, t.engine, "w8", () => new Date(startedAt.getTime() + 30));
    const results = await Promise.all(
      ids.map((taskId) =>
        batcher.record({
          logId: opened.get(taskId)!,
          taskId,
          userId,
          taskType: "GSC_INSIGHTS",
          trigger: "SCHEDULED",
          attempt: 1,
          status: "SUCCESS",
          startedAt,
          finishedAt: new Date(startedAt.getTime() + 30),
          durationMs: 30,
          nextRunAt: new Date(due.getTime() + 3_600_000),
          result: null,
          dataSource: "live",
          skipped: null,
        }),
      ),
    );
    expect(results).toEqual([true, true, true]);
    expect((await t.db.alert.findUniqueOrThrow({ where: { id: alert.id } })).resolvedAt).not.toBeNull();
    expect(await t.db.alert.findMany({ where: { userId, kind: "TASK_RECOVERED" } })).toEqual([
      expect.objectContaining({ taskId: "alerted-b", title: "Search Console insights runs again" }),
    ]);
    expect(await t.db.task.count({ where: { id: { in: ids }, leaseOwner: null, runCount: 1 } })).toBe(3);
  });
});
