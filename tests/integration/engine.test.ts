import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SchedulerEngine, type EngineOptions } from "@/server/scheduler/engine";
import { backoffMs, coolOffMs, errorPattern } from "@/server/scheduler/failure";
import { claimDueTasks, earliestDue } from "@/server/scheduler/claim";
import { cleanupSchedulerEvents, reconcileCumulativeStats } from "@/server/scheduler/stats";
import { cleanupExecutionLogs } from "@/server/scheduler/retention";
import type { Executor, ExecutorRegistry } from "@/server/scheduler/types";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { FakeClock } from "../helpers/clock";

const T0 = new Date("2026-06-01T12:00:00.000Z");
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const ok: ExecutorRegistry = { GSC_INSIGHTS: async () => ({ ok: true, result: { clicks: 1 }, dataSource: "api" }) };
const failing =
  (category: "API_LIMIT" | "AUTH_ERROR" | "NETWORK_ERROR", message: string, retryable: boolean): Executor =>
  async () => ({ ok: false, category, message, retryable });
/** Never finishes on its own; rejects when aborted (timeout or shutdown). */
const hanging: Executor = (_task, { signal }) =>
  new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));

describe.each(testEngines())("scheduler engine on %s", (engine) => {
  let t: TestDatabase;
  let userId: string;
  let clock: FakeClock;

  async function addTasks(
    n: number,
    nextRunAt: Date | null,
    options: {
      status?: "ACTIVE" | "PAUSED";
      type?: "GSC_INSIGHTS" | "WEBSITE_ANALYSIS";
      frequencyMinutes?: number;
    } = {},
  ) {
    const type = options.type ?? "GSC_INSIGHTS";
    await t.db.task.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        userId,
        type,
        dedupeKey: `${type}:${nextRunAt?.getTime() ?? "none"}:${i}:${Math.random()}`,
        frequencyMinutes: options.frequencyMinutes ?? 60,
        status: options.status ?? "ACTIVE",
        nextRunAt,
      })),
    });
  }
  const make = (options: Partial<EngineOptions> & { config?: EngineOptions["config"] } = {}) =>
    new SchedulerEngine({ db: t.db, engine, registry: ok, clock, workerId: "w1", random: () => 0.5, ...options });
  const onlyTask = () => t.db.task.findFirstOrThrow();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    userId = (await createTestUser(t.db)).id;
  });
  beforeEach(async () => {
    clock = new FakeClock(T0);
    await t.db.schedulerEvent.deleteMany();
    await t.db.executionLog.deleteMany();
    await t.db.task.deleteMany();
    await t.db.cumulativeStats.deleteMany();
    await t.db.worker.deleteMany();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("runs exactly the tasks that are due and active, keeping each task's rhythm", async () => {
    await addTasks(3, new Date(T0.getTime() - 1000));
    await addTasks(2, new Date(T0.getTime() + 1000)); // not yet due
    await addTasks(2, new Date(T0.getTime() - 1000), { status: "PAUSED" });
    const e = make();
    const summary = await e.runCycle();
    expect(summary).toMatchObject({
      cycleNumber: 1,
      found: 3,
      executed: 3,
      succeeded: 3,
      failed: 0,
      byType: { GSC_INSIGHTS: 3 },
    });
    const logs = await t.db.executionLog.findMany();
    expect(logs).toHaveLength(3);
    expect(
      logs.every(
        (l) =>
          l.status === "SUCCESS" &&
          l.dataSource === "api" &&
          l.workerId === "w1" &&
          l.trigger === "SCHEDULED" &&
          l.attempt === 1,
      ),
    ).toBe(true);
    const ran = await t.db.task.findMany({ where: { lastRunAt: { not: null } } });
    expect(ran).toHaveLength(3);
    for (const task of ran) {
      // due time + frequency, not finish time + frequency: small delays do not add up
      expect(task.nextRunAt).toEqual(new Date(T0.getTime() - 1000 + 60 * MIN));
      expect(task).toMatchObject({ leaseOwner: null, lastOutcome: "SUCCESS", runCount: 1 });
    }
    expect(await e.runCycle()).toBeNull(); // nothing due now: no cycle, no event
    expect(await t.db.schedulerEvent.count({ where: { type: "CHECK_CYCLE" } })).toBe(1);
  });

  it("holds the global and the per-type concurrency limits", async () => {
    await addTasks(10, new Date(T0.getTime() - 1000));
    const e = make({ config: { concurrency: 4, typeConcurrency: {} } });
    expect((await e.runCycle())?.found).toBe(4);
    expect((await e.runCycle())?.found).toBe(4);
    expect((await e.runCycle())?.found).toBe(2);

    await addTasks(5, new Date(T0.getTime() - 1000), { type: "WEBSITE_ANALYSIS" });
    await addTasks(5, new Date(T0.getTime() - 500));
    let peak = 0;
    let running = 0;
    const slow: Executor = async () => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return { ok: true };
    };
    const limited = make({
      registry: { GSC_INSIGHTS: slow, WEBSITE_ANALYSIS: slow },
      config: { concurrency: 6, typeConcurrency: { WEBSITE_ANALYSIS: 2 } },
    });
    const first = await limited.runCycle();
    expect(first?.byType).toEqual({ WEBSITE_ANALYSIS: 2, GSC_INSIGHTS: 4 });
    expect(peak).toBeLessThanOrEqual(6);
  });

  it("never lets two workers claim the same task", async () => {
    await addTasks(60, new Date(T0.getTime() - 1000));
    const workers = ["a", "b", "c"].map((id) => make({ workerId: id, config: { concurrency: 25 } }));
    for (let round = 0; round < 4; round++) await Promise.all(workers.map((w) => w.runCycle()));
    const logs = await t.db.executionLog.groupBy({ by: ["taskId"], _count: { _all: true } });
    expect(logs).toHaveLength(60);
    expect(logs.every((l) => l._count._all === 1)).toBe(true);
  });

  it("knows the next claimable due time, past leased, paused and skipped types, from the claimable index", async () => {
    const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);
    await addTasks(1, at(1), { status: "PAUSED" }); // paused: never claimed on its own
    await addTasks(1, at(2)); // leased below: in flight elsewhere
    await addTasks(1, at(3), { type: "WEBSITE_ANALYSIS" });
    await addTasks(1, at(4));
    await addTasks(1, at(5), { status: "PAUSED" });
    await t.db.task.updateMany({ where: { nextRunAt: at(2) }, data: { leaseOwner: "other", leaseExpiresAt: at(10) } });
    await t.db.task.updateMany({ where: { nextRunAt: at(5) }, data: { pendingTrigger: "MANUAL" } });
    expect(await earliestDue(t.db, [])).toEqual(at(3));
    expect(await earliestDue(t.db, ["WEBSITE_ANALYSIS"])).toEqual(at(4));
    await t.db.task.deleteMany({ where: { nextRunAt: { in: [at(3), at(4)] } } });
    expect(await earliestDue(t.db, [])).toEqual(at(5)); // paused, but asked for by hand
    await t.db.task.deleteMany({ where: { nextRunAt: at(5) } });
    expect(await earliestDue(t.db, [])).toBeNull();

    // Both questions walk migration 0021's partial index instead of reading every task.
    const claimable = `"leaseOwner" IS NULL AND ("status" IN ('ACTIVE', 'NEEDS_INTERVENTION') OR "pendingTrigger" IS NOT NULL)`;
    const sql = `SELECT "nextRunAt" FROM "Task" WHERE "nextRunAt" IS NOT NULL AND ${claimable} ORDER BY "nextRunAt" ASC LIMIT 1`;
    const plan =
      engine === "sqlite"
        ? await t.db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`)
        : await t.db.$transaction(async (tx) => {
            await tx.$executeRawUnsafe(`SET LOCAL enable_seqscan = off`); // a near-empty table is read whole otherwise
            return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`);
          });
    expect(plan.map((row) => Object.values(row).map(String).join(" ")).join("\n")).toContain(
      "Task_claimable_nextRunAt_idx",
    );
  });

  it("ends a run that outlives its timeout as TIMED_OUT and retries it after a backoff", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    const e = make({ registry: { GSC_INSIGHTS: hanging }, config: { timeoutMs: 50, backoffBaseMs: 30_000 } });
    expect(await e.runCycle()).toMatchObject({ found: 1, failed: 1 });
    expect(await t.db.executionLog.findFirstOrThrow()).toMatchObject({
      status: "TIMED_OUT",
      errorCategory: "TIMEOUT",
      retryable: true,
      attempt: 1,
    });
    const task = await onlyTask();
    // A retry of the same due time, not yet a failure of the task.
    expect(task).toMatchObject({
      status: "ACTIVE",
      attempt: 1,
      consecutiveFailures: 0,
      failureCategory: "TIMEOUT",
      lastOutcome: "TIMED_OUT",
    });
    expect(task.nextRunAt).toEqual(new Date(T0.getTime() + 30_000));
    expect((await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } })).tasksTimedOut).toBe(1);
    expect(await t.db.schedulerEvent.findFirstOrThrow({ where: { type: "JOB_FAILED" } })).toMatchObject({
      runStatus: "TIMED_OUT",
    });
  });

  it("retries with exponential backoff, then counts one task failure and keeps the schedule", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    const e = make({
      registry: { GSC_INSIGHTS: failing("API_LIMIT", "HTTP 429 rate limit", true) },
      config: { maxAttempts: 3, backoffBaseMs: 10_000 },
    });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await e.runCycle();
      const task = await onlyTask();
      delays.push(task.nextRunAt!.getTime() - clock.now().getTime());
      clock.current = task.nextRunAt!;
    }
    // two retries (10 s, 20 s), then the third attempt fails the task: next regular run in 60 min
    expect(delays).toEqual([10_000, 20_000, 60 * MIN]);
    expect(await onlyTask()).toMatchObject({ status: "ACTIVE", attempt: 0, consecutiveFailures: 1 });
    expect((await t.db.executionLog.findMany({ orderBy: { id: "asc" } })).map((l) => l.attempt)).toEqual([1, 2, 3]);
  });

  it("waits at least as long as the API's Retry-After before retrying", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: async () => ({
        ok: false,
        category: "API_LIMIT",
        message: "HTTP 429",
        retryable: true,
        retryAfterMs: 15 * MIN,
      }),
    };
    await make({ registry, config: { backoffBaseMs: 10_000 } }).runCycle();
    expect((await onlyTask()).nextRunAt).toEqual(new Date(T0.getTime() + 15 * MIN)); // not the 10 s backoff
  });

  it("a used-up daily quota waits for its reset: the next run is then, and the cool-off ends then", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    // The quota resets at the next midnight UTC after each failure.
    const nextReset = () =>
      new Date(Date.UTC(clock.now().getUTCFullYear(), clock.now().getUTCMonth(), clock.now().getUTCDate() + 1));
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: async () => ({
        ok: false,
        category: "API_LIMIT",
        message: "HTTP 429: daily quota exceeded",
        retryable: false,
        resumeAt: nextReset(),
      }),
    };
    const e = make({ registry, config: { coolOffMs: 7 * DAY } });
    await e.runCycle();
    expect(await onlyTask()).toMatchObject({
      status: "ACTIVE",
      consecutiveFailures: 1,
      nextRunAt: new Date("2026-06-02T00:00:00.000Z"),
    }); // not in 60 min
    for (let run = 1; run < 3; run++) {
      clock.current = (await onlyTask()).nextRunAt!;
      await e.runCycle();
    }
    const task = await onlyTask();
    const reset = new Date("2026-06-04T00:00:00.000Z"); // the third failure was at the 3rd's midnight
    expect(task).toMatchObject({
      status: "NEEDS_INTERVENTION",
      consecutiveFailures: 3,
      coolOffUntil: reset,
      nextRunAt: reset,
    }); // until the reset, not 7 days
  });

  it("sends a task to intervention after 3 task failures in a row, with its failure pattern", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    const messages = ["timeout after 30000 ms", "HTTP 503 from https://api.example/x", "timeout after 31000 ms"];
    let i = 0;
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: async () => ({
        ok: false,
        category: "NETWORK_ERROR",
        message: messages[i++ % 3]!,
        retryable: false,
      }),
    };
    const e = make({ registry, config: { coolOffMs: DAY } });
    for (let run = 0; run < 3; run++) {
      if (run > 0) clock.current = (await onlyTask()).nextRunAt!;
      await e.runCycle();
    }
    const task = await onlyTask();
    expect(task).toMatchObject({
      status: "NEEDS_INTERVENTION",
      consecutiveFailures: 3,
      coolOffCount: 1,
      failureCategory: "NETWORK_ERROR",
    });
    expect(task.coolOffUntil!.getTime() - task.lastFailureAt!.getTime()).toBe(DAY);
    expect(task.nextRunAt).toEqual(task.coolOffUntil); // the probe
    const pattern = task.failurePattern as {
      consecutive: number;
      recent: number;
      errorPatterns: { pattern: string; count: number }[];
      reason: string;
      lastFailureAt: string;
    };
    expect(pattern).toMatchObject({ consecutive: 3, recent: 3, reason: "timeout after 31000 ms" });
    expect(pattern.errorPatterns).toEqual([
      { pattern: "timeout after <n> ms", category: "NETWORK_ERROR", count: 2, example: "timeout after 31000 ms" },
      {
        pattern: "HTTP <n> from <url>",
        category: "NETWORK_ERROR",
        count: 1,
        example: "HTTP 503 from https://api.example/x",
      },
    ]);
    expect(await t.db.schedulerEvent.count({ where: { type: "TASK_COOLED_OFF" } })).toBe(1);
    expect(await e.runCycle()).toBeNull(); // in cool-off: not claimed
  });

  it("sends a flapping task to intervention after 5 failures within 7 days, successes in between", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000), { frequencyMinutes: 12 * 60 });
    let n = 0;
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: async () =>
        n++ % 2 === 0 ? { ok: false, category: "UNKNOWN", message: "boom", retryable: false } : { ok: true },
    };
    const e = make({ registry });
    for (let run = 0; run < 9; run++) {
      await e.runCycle();
      const task = await onlyTask();
      if (task.status === "NEEDS_INTERVENTION") break;
      expect(task.consecutiveFailures).toBeLessThanOrEqual(1);
      clock.current = task.nextRunAt!;
    }
    const task = await onlyTask();
    expect(n).toBe(9); // failures at runs 1, 3, 5, 7, 9: the fifth within 4.5 days
    expect(task).toMatchObject({ status: "NEEDS_INTERVENTION", consecutiveFailures: 1 });
    expect(task.failurePattern).toMatchObject({ recent: 5, consecutive: 1 });
  });

  it("gives a cooled-off task one probe when the cool-off ends: failure doubles it, success releases it", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    let succeed = false;
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: async () =>
        succeed ? { ok: true } : { ok: false, category: "AUTH_ERROR", message: "invalid token", retryable: false },
    };
    const e = make({ registry, config: { coolOffMs: DAY, coolOffCapMs: 3 * DAY } });
    for (let run = 0; run < 3; run++) {
      await e.runCycle();
      clock.current = (await onlyTask()).nextRunAt!;
    }
    expect(await onlyTask()).toMatchObject({ status: "NEEDS_INTERVENTION", coolOffCount: 1 });
    clock.advance(-1);
    expect(await e.runCycle()).toBeNull(); // a millisecond early: still cooling off
    clock.advance(1);
    expect(await e.runCycle()).toMatchObject({ found: 1, failed: 1 }); // the probe fails
    let task = await onlyTask();
    expect(task).toMatchObject({ status: "NEEDS_INTERVENTION", coolOffCount: 2, consecutiveFailures: 4 });
    expect(task.coolOffUntil!.getTime() - clock.now().getTime()).toBe(2 * DAY); // doubled
    clock.current = task.nextRunAt!;
    await e.runCycle();
    task = await onlyTask();
    expect(task.coolOffUntil!.getTime() - clock.now().getTime()).toBe(3 * DAY); // capped
    clock.current = task.nextRunAt!;
    succeed = true;
    expect(await e.runCycle()).toMatchObject({ succeeded: 1 });
    task = await onlyTask();
    expect(task).toMatchObject({
      status: "ACTIVE",
      consecutiveFailures: 0,
      coolOffUntil: null,
      coolOffCount: 0,
      failurePattern: null,
    });
    expect(task.nextRunAt).toEqual(new Date(clock.now().getTime() + 60 * MIN));
    expect(await t.db.schedulerEvent.count({ where: { type: "TASK_RELEASED" } })).toBe(1);
    expect(await t.db.schedulerEvent.count({ where: { type: "TASK_COOLED_OFF" } })).toBe(3);
  });

  it("records a task type with no executor as a configuration failure instead of crashing", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    await make({ registry: {} }).runCycle();
    expect(await t.db.executionLog.findFirstOrThrow()).toMatchObject({
      status: "FAILED",
      errorCategory: "CONFIG_ERROR",
      retryable: false,
    });
  });

  it("recovers the runs of a dead worker: log FAILED 'worker lost', LEASE_RECOVERED, task due again", async () => {
    await addTasks(2, new Date(T0.getTime() - 1000));
    // A worker claims both and starts one run, then dies (nothing of it runs any more).
    const claimed = await claimDueTasks(t.db, engine, { workerId: "dead", now: T0, leaseMs: 30_000, limit: 2 });
    expect(claimed).toHaveLength(2);
    const log = await t.db.executionLog.create({
      data: {
        taskId: claimed[0]!.id,
        userId,
        taskType: "GSC_INSIGHTS",
        status: "RUNNING",
        startedAt: T0,
        workerId: "dead",
      },
    });
    const e = make({ config: { leaseMs: 30_000 } });
    expect(await e.recover()).toBe(0); // the lease is still valid
    clock.advance(30_001);
    expect(await e.recover()).toBe(2);
    expect(await t.db.executionLog.findUniqueOrThrow({ where: { id: log.id } })).toMatchObject({
      status: "FAILED",
      errorMessage: expect.stringContaining("worker lost"),
    });
    const lost = await t.db.task.findUniqueOrThrow({ where: { id: claimed[0]!.id } });
    expect(lost).toMatchObject({ leaseOwner: null, attempt: 1, consecutiveFailures: 0, lastOutcome: "FAILED" });
    expect(lost.nextRunAt).toEqual(clock.now()); // due at once
    expect(await t.db.schedulerEvent.count({ where: { type: "LEASE_RECOVERED" } })).toBe(2);
    expect((await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } })).leasesRecovered).toBe(2);
    expect(await e.recover()).toBe(0); // nothing twice
    expect(await e.runCycle()).toMatchObject({ found: 2, succeeded: 2 });
    expect(await t.db.executionLog.count({ where: { status: "RUNNING" } })).toBe(0);
    expect(
      await t.db.executionLog.findFirstOrThrow({ where: { taskId: claimed[0]!.id, status: "SUCCESS" } }),
    ).toMatchObject({ attempt: 2 });
  });

  it("does not let a stale RUNNING log break the count of consecutive failures", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    const task = await onlyTask();
    await t.db.task.update({ where: { id: task.id }, data: { consecutiveFailures: 2 } });
    await t.db.executionLog.create({
      data: {
        taskId: task.id,
        userId,
        taskType: "GSC_INSIGHTS",
        status: "RUNNING",
        startedAt: new Date(T0.getTime() - DAY),
        workerId: "ghost",
      },
    });
    const e = make({
      registry: { GSC_INSIGHTS: failing("AUTH_ERROR", "revoked", false) },
      config: { leaseMs: 60_000 },
    });
    await e.recover(); // closes the orphaned log
    expect(await t.db.executionLog.count({ where: { status: "RUNNING" } })).toBe(0);
    await e.runCycle();
    expect(await onlyTask()).toMatchObject({ status: "NEEDS_INTERVENTION", consecutiveFailures: 3 });
  });

  it("renews the leases of runs in flight with the heartbeat", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    let release!: () => void;
    const e = make({
      registry: { GSC_INSIGHTS: () => new Promise((resolve) => (release = () => resolve({ ok: true }))) },
      config: { leaseMs: 10_000 },
    });
    const cycle = e.runCycle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await onlyTask()).leaseExpiresAt).toEqual(new Date(T0.getTime() + 10_000));
    clock.advance(8_000);
    await e.heartbeat();
    expect((await onlyTask()).leaseExpiresAt).toEqual(new Date(T0.getTime() + 18_000));
    clock.advance(8_000);
    expect(await e.recover()).toBe(0); // alive: nothing to recover
    release();
    expect(await cycle).toMatchObject({ succeeded: 1 });
  });

  it("keeps cumulative statistics equal to the events, across a restart and log and event clean-ups", async () => {
    await addTasks(12, new Date(T0.getTime() - 1000));
    let n = 0;
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: async () =>
        n++ % 3 === 0
          ? { ok: false, category: "NETWORK_ERROR", message: "ECONNRESET", retryable: true }
          : n % 7 === 0
            ? { ok: true, skipped: "nothing new" }
            : { ok: true },
    };
    const first = make({ registry, config: { concurrency: 5, backoffBaseMs: 1000 } });
    for (let i = 0; i < 10; i++) {
      await first.runCycle();
      clock.advance(61 * MIN);
    }
    // "Restart": a new engine (new process) continues from the stored totals.
    const second = make({ registry, workerId: "w2", config: { concurrency: 5, backoffBaseMs: 1000 } });
    for (let i = 0; i < 10; i++) {
      await second.runCycle();
      clock.advance(61 * MIN);
    }
    const stats = await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } });
    expect(stats.totalCheckCycles).toBe(await t.db.schedulerEvent.count({ where: { type: "CHECK_CYCLE" } }));
    expect(stats.tasksExecuted + stats.tasksSkipped).toBe(await t.db.executionLog.count());
    expect(stats.tasksSkipped).toBeGreaterThan(0);
    expect(stats.totalCheckCycles).toBe(first.session.cycles + second.session.cycles);
    expect(await reconcileCumulativeStats(t.db)).toMatchObject({ consistent: true, difference: {} });

    const before = { ...stats };
    expect(await cleanupExecutionLogs(t.db, clock.now())).toBeGreaterThan(0);
    const cleanup = await cleanupSchedulerEvents(t.db, new Date(T0.getTime() + 10 * 61 * MIN), clock.now());
    expect(cleanup.deleted).toBeGreaterThan(0);
    const after = await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } });
    expect({ ...after, updatedAt: null }).toEqual({ ...before, updatedAt: null }); // never shrinks
    expect(await reconcileCumulativeStats(t.db)).toMatchObject({ consistent: true }); // folded, still exact
    await cleanupSchedulerEvents(t.db, clock.now(), clock.now()); // a second clean-up folds the rest
    expect(await reconcileCumulativeStats(t.db)).toMatchObject({ consistent: true });
  });

  it("reports a difference on reconcile instead of overwriting, and applies it only when asked", async () => {
    await addTasks(3, new Date(T0.getTime() - 1000));
    await make().runCycle();
    await t.db.cumulativeStats.update({ where: { id: 1 }, data: { jobsCompleted: { increment: 5 } } });
    const report = await reconcileCumulativeStats(t.db);
    expect(report).toMatchObject({ consistent: false, applied: false, difference: { jobsCompleted: 5 } });
    expect((await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } })).jobsCompleted).toBe(8);
    expect(await reconcileCumulativeStats(t.db, { apply: true })).toMatchObject({ applied: true });
    expect((await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } })).jobsCompleted).toBe(3);
  });
});

describe("failure rules", () => {
  it("backs off from the base, doubling, capped, with ±20 % jitter", () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 5000, () => 0.5))).toEqual([1000, 2000, 4000, 5000]);
    expect(backoffMs(1, 1000, 5000, () => 0)).toBe(800);
    expect(backoffMs(1, 1000, 5000, () => 1)).toBe(1200);
  });
  it("doubles the cool-off up to its cap", () => {
    expect([1, 2, 3, 4].map((n) => coolOffMs(n, { coolOffMs: 6, coolOffCapMs: 30 }))).toEqual([6, 12, 24, 30]);
  });
  it("groups errors that differ only in numbers, ids, URLs and quoted parts", () => {
    expect(errorPattern('HTTP 429 for "site-a" at https://x.example/1 id 3f9a0c12bb')).toBe(
      "HTTP <n> for <str> at <url> id <id>",
    );
  });
});

describe.each(testEngines())("system tasks on %s", (engine) => {
  it("are created once even when several processes start at the same moment", async () => {
    const { ensureSystemTasks } = await import("@/server/scheduler/retention");
    const t = await createTestDatabase(engine);
    try {
      await Promise.all(Array.from({ length: 8 }, () => ensureSystemTasks(t.db, new Date())));
      expect(await t.db.task.count({ where: { type: "SYSTEM_RETENTION" } })).toBe(1);
    } finally {
      await t.drop();
    }
  });

  it("the retention job drops the health probe rows of instances gone for a day", async () => {
    const { retentionExecutor, SYSTEM_RETENTION_TASK_ID, ensureSystemTasks } =
      await import("@/server/scheduler/retention");
    const t = await createTestDatabase(engine);
    try {
      const now = new Date();
      await ensureSystemTasks(t.db, now);
      await t.db.healthProbe.createMany({
        data: [
          { instance: "gone:1", checkedAt: new Date(now.getTime() - 25 * 3_600_000) },
          { instance: "alive:2", checkedAt: now },
        ],
      });
      const task = await t.db.task.findUniqueOrThrow({ where: { id: SYSTEM_RETENTION_TASK_ID } });
      const outcome = await retentionExecutor(t.db, { eventRetentionDays: 90, logRetentionDays: 90 })(task, {
        signal: new AbortController().signal,
        now: () => now,
      });
      expect(outcome).toMatchObject({ ok: true, result: { healthProbesDeleted: 1 } });
      expect((await t.db.healthProbe.findMany()).map((p) => p.instance)).toEqual(["alive:2"]);
    } finally {
      await t.drop();
    }
  });
});
