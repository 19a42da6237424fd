/**
 * A success is recorded by two paths: the one-run transaction (recordRun) and the set-based batch
 * (recordFinishedRuns) that records the runs finishing together. Both take the task's next state from
 * nextTaskState; this checks that, for the same run, they leave the same task, log, job event, daily
 * rollup and counters behind, on real SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/sqlite/client";
import { openRuns, recordFinishedRuns } from "@/server/scheduler/batch";
import { claimDueTasks } from "@/server/scheduler/claim";
import { defaultEngineConfig } from "@/server/scheduler/config";
import { batchable, recordRun } from "@/server/scheduler/record";
import type { Invoked } from "@/server/scheduler/run";
import { COUNTERS, type Counters } from "@/server/scheduler/stats";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const WORKER = "w1";
const settings = { config: defaultEngineConfig, random: () => 0.5 };
const ok: Invoked = { outcome: { ok: true, result: { clicks: 12 }, dataSource: "api" }, status: "SUCCESS" };

interface Case {
  name: string;
  /** The task before its run is claimed. */
  task?: Partial<Prisma.TaskUncheckedCreateInput>;
  invoked?: Invoked;
  /** How late the run starts after its due time. */
  lateMs?: number;
  /** Set by a person while the run is in flight. */
  pausedMidRun?: boolean;
}

const cases: Case[] = [
  { name: "a success on time keeps the rhythm" },
  {
    name: "a success after failures clears the failure state and keeps the history",
    task: {
      attempt: 1, // a retry
      consecutiveFailures: 2,
      failureReason: "HTTP 503: upstream unavailable",
      failureCategory: "NETWORK_ERROR",
      lastFailureAt: new Date("2026-11-20T09:00:00.000Z"),
      lastOutcome: "FAILED",
      failureHistory: [{ at: "2026-11-20T09:00:00.000Z", category: "NETWORK_ERROR", message: "HTTP 503" }],
      failurePattern: { consecutive: 2, recent: 2, reason: "HTTP 503" },
      runCount: 7,
    },
  },
  {
    name: "a skip",
    invoked: { outcome: { ok: true, skipped: "nothing to do: no site selected" }, status: "SKIPPED" },
  },
  { name: "a manual trigger's success restarts the rhythm", task: { pendingTrigger: "MANUAL" } },
  { name: "a very late run restarts the rhythm", lateMs: 2 * 3_600_000 },
  { name: "a pause set while the run was in flight stays", pausedMidRun: true },
];

describe.each(testEngines())("the one-run and the set-based paths agree on %s", (engine) => {
  let t: TestDatabase;
  const users = { one: "", batch: "" };
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    users.one = (await createTestUser(t.db)).id;
    users.batch = (await createTestUser(t.db)).id;
  });
  afterAll(async () => {
    await t.drop();
  });

  async function counters(): Promise<Counters> {
    const row = await t.db.cumulativeStats.findUnique({ where: { id: 1 } });
    return Object.fromEntries(COUNTERS.map((c) => [c, row?.[c] ?? 0])) as Counters;
  }

  /** Claims, opens, "runs" and records one task through one path; returns what it left behind. */
  async function through(path: "one" | "batch", c: Case, index: number) {
    const userId = users[path];
    const due = new Date(Date.UTC(2026, 10, 20 + index, 10));
    const startedAt = new Date(due.getTime() + 250 + (c.lateMs ?? 0));
    const finishedAt = new Date(startedAt.getTime() + 40);
    const created = await t.db.task.create({
      data: {
        userId,
        type: "GSC_INSIGHTS",
        dedupeKey: `agreement:${index}`,
        frequencyMinutes: 60,
        nextRunAt: due,
        ...c.task,
      },
    });
    const [task] = await claimDueTasks(t.db, t.engine, {
      workerId: WORKER,
      now: startedAt,
      leaseMs: 60_000,
      limit: 1,
      taskId: created.id,
    });
    expect(task).toBeDefined();
    const opened = await openRuns(t.db, t.engine, WORKER, [task!.id], startedAt);
    const logId = opened.get(task!.id)!;
    if (c.pausedMidRun) await t.db.task.update({ where: { id: task!.id }, data: { status: "PAUSED" } });

    const run = {
      task: task!,
      trigger: task!.pendingTrigger ?? "SCHEDULED",
      startedAt,
      logId,
      invoked: c.invoked ?? ok,
      finishedAt,
    };
    const before = await counters();
    if (path === "one") {
      expect(await recordRun(t.db, WORKER, settings, run)).toBe(true);
    } else {
      const finished = batchable(run);
      expect(finished).not.toBeNull(); // the engine would take the set-based path
      const recorded = await t.db.$transaction((tx) =>
        recordFinishedRuns(tx, t.engine, WORKER, [finished!], finishedAt),
      );
      expect([...recorded]).toEqual([logId]);
    }
    const after = await counters();

    const {
      id: _id,
      userId: _userId,
      createdAt: _createdAt,
      updatedAt: _updatedAt,
      ...taskRow
    } = await t.db.task.findUniqueOrThrow({ where: { id: task!.id } });
    const {
      id: _logId,
      taskId: _taskId,
      userId: _logUser,
      ...log
    } = await t.db.executionLog.findUniqueOrThrow({
      where: { id: logId },
    });
    const {
      id: _eventId,
      taskId: _eventTask,
      userId: _eventUser,
      executionLogId: _eventLog,
      ...event
    } = await t.db.schedulerEvent.findFirstOrThrow({ where: { executionLogId: logId } });
    const rollup = (await t.db.runStatDaily.findMany({ where: { userId }, orderBy: { day: "asc" } })).map(
      ({ userId: _rollupUser, ...row }) => row,
    );
    const counted = Object.fromEntries(COUNTERS.map((k) => [k, after[k] - before[k]]));
    return { task: taskRow, log, event, rollup, counted };
  }

  it.each(cases.map((c, i) => [c.name, c, i] as const))("%s", async (_name, c, index) => {
    const one = await through("one", c, index);
    const batch = await through("batch", c, index);
    expect(batch).toEqual(one);
    // And the state is what a success means.
    expect(one.task).toMatchObject({
      status: c.pausedMidRun ? "PAUSED" : "ACTIVE",
      leaseOwner: null,
      pendingTrigger: null,
      consecutiveFailures: 0,
      attempt: 0,
      coolOffUntil: null,
      failureReason: null,
      failurePattern: null,
      runCount: (c.task?.runCount ?? 0) + 1,
      lastSuccessAt: one.log.finishedAt,
      lastOutcome: one.log.status,
    });
    expect(one.task.failureHistory).toEqual(c.task?.failureHistory ?? null);
  });
});
