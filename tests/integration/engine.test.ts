import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backoffMs, SchedulerEngine } from "@/server/scheduler/engine";
import type { Clock, ExecutorRegistry } from "@/server/scheduler/types";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

class FakeClock implements Clock {
  constructor(public current: Date) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

const T0 = new Date("2026-06-01T12:00:00.000Z");
const ok: ExecutorRegistry = { GSC_INSIGHTS: async () => ({ ok: true, result: { clicks: 1 }, dataSource: "api" }) };

describe.each(testEngines())("scheduler engine on %s", (engine) => {
  let t: TestDatabase;
  let userId: string;
  let clock: FakeClock;

  async function addTasks(n: number, nextRunAt: Date | null, status: "ACTIVE" | "PAUSED" = "ACTIVE") {
    await t.db.task.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        userId,
        type: "GSC_INSIGHTS" as const,
        dedupeKey: `GSC_INSIGHTS:${status}:${nextRunAt?.getTime() ?? "none"}:${i}:${Math.random()}`,
        platform: "GSC" as const,
        frequencyMinutes: 60,
        status,
        nextRunAt,
      })),
    });
  }

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
  });
  afterAll(async () => {
    await t.drop();
  });

  it("runs exactly the tasks that are due and active, and schedules their next run", async () => {
    await addTasks(3, new Date(T0.getTime() - 1000));
    await addTasks(2, new Date(T0.getTime() + 1000)); // not yet due
    await addTasks(2, new Date(T0.getTime() - 1000), "PAUSED");
    const e = new SchedulerEngine({ db: t.db, engine, registry: ok, clock, workerId: "w1" });
    const summary = await e.runCycle();
    expect(summary).toMatchObject({ cycleNumber: 1, found: 3, executed: 3, succeeded: 3, failed: 0, byType: { GSC_INSIGHTS: 3 } });
    const logs = await t.db.executionLog.findMany();
    expect(logs).toHaveLength(3);
    expect(logs.every((l) => l.status === "SUCCESS" && l.dataSource === "api" && l.workerId === "w1" && l.durationMs !== null)).toBe(true);
    const ran = await t.db.task.findMany({ where: { lastRunAt: { not: null } } });
    expect(ran).toHaveLength(3);
    for (const task of ran) {
      expect(task.nextRunAt).toEqual(new Date(T0.getTime() + 60 * 60_000));
      expect(task.leaseOwner).toBeNull();
      expect(task.lastOutcome).toBe("SUCCESS");
    }
    expect(await e.runCycle()).toBeNull(); // nothing due now: no cycle, no event
    expect(await t.db.schedulerEvent.count({ where: { type: "CHECK_CYCLE" } })).toBe(1);
  });

  it("holds the concurrency limit per cycle", async () => {
    await addTasks(10, new Date(T0.getTime() - 1000));
    const e = new SchedulerEngine({ db: t.db, engine, registry: ok, clock, workerId: "w1", concurrency: 4 });
    expect((await e.runCycle())?.found).toBe(4);
    expect((await e.runCycle())?.found).toBe(4);
    expect((await e.runCycle())?.found).toBe(2);
  });

  it("never lets two workers claim the same task", async () => {
    await addTasks(60, new Date(T0.getTime() - 1000));
    const workers = ["a", "b", "c"].map((id) => new SchedulerEngine({ db: t.db, engine, registry: ok, clock, workerId: id, concurrency: 25 }));
    for (let round = 0; round < 4; round++) await Promise.all(workers.map((w) => w.runCycle()));
    const logs = await t.db.executionLog.groupBy({ by: ["taskId"], _count: { _all: true } });
    expect(logs).toHaveLength(60);
    expect(logs.every((l) => l._count._all === 1)).toBe(true);
  });

  it("ends a run that outlives its timeout as TIMED_OUT and retries it with backoff", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: (_task, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
    };
    const e = new SchedulerEngine({ db: t.db, engine, registry, clock, workerId: "w1", timeoutMs: 50, backoffBaseMs: 30_000, random: () => 0.5 });
    expect(await e.runCycle()).toMatchObject({ found: 1, failed: 1 });
    const [log] = await t.db.executionLog.findMany();
    expect(log).toMatchObject({ status: "TIMED_OUT", errorCategory: "TIMEOUT", retryable: true });
    const task = await t.db.task.findFirstOrThrow();
    expect(task).toMatchObject({ status: "ACTIVE", consecutiveFailures: 1, failureCategory: "TIMEOUT" });
    expect(task.nextRunAt).toEqual(new Date(T0.getTime() + 30_000));
    expect((await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } })).tasksTimedOut).toBe(1);
  });

  it("backs off exponentially, then sends a repeatedly failing task to intervention with a cool-off", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    const registry: ExecutorRegistry = { GSC_INSIGHTS: async () => ({ ok: false, category: "API_LIMIT", message: "HTTP 429 rate limit", retryable: true }) };
    const e = new SchedulerEngine({ db: t.db, engine, registry, clock, workerId: "w1", backoffBaseMs: 10_000, random: () => 0.5, coolOffMs: 86_400_000 });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await e.runCycle();
      const task = await t.db.task.findFirstOrThrow();
      delays.push(task.nextRunAt!.getTime() - clock.now().getTime());
      clock.current = task.nextRunAt!;
    }
    expect(delays).toEqual([10_000, 20_000, 86_400_000]);
    const task = await t.db.task.findFirstOrThrow();
    expect(task).toMatchObject({ status: "NEEDS_INTERVENTION", consecutiveFailures: 3, failureCategory: "API_LIMIT" });
    expect(task.coolOffUntil).toEqual(task.nextRunAt);
    expect(task.failurePattern).toMatchObject({ consecutive: 3, category: "API_LIMIT" });
    expect(await e.runCycle()).toBeNull(); // in cool-off: not claimed
  });

  it("stops scheduling a task after a failure that is not retryable", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    const registry: ExecutorRegistry = { GSC_INSIGHTS: async () => ({ ok: false, category: "AUTH_ERROR", message: "invalid_grant", retryable: false }) };
    await new SchedulerEngine({ db: t.db, engine, registry, clock, workerId: "w1" }).runCycle();
    expect(await t.db.task.findFirstOrThrow()).toMatchObject({ status: "FAILED", nextRunAt: null, failureReason: "invalid_grant" });
  });

  it("records a task type with no executor as a configuration failure instead of crashing", async () => {
    await addTasks(1, new Date(T0.getTime() - 1000));
    await new SchedulerEngine({ db: t.db, engine, registry: {}, clock, workerId: "w1" }).runCycle();
    expect(await t.db.executionLog.findFirstOrThrow()).toMatchObject({ status: "FAILED", errorCategory: "CONFIG_ERROR" });
  });

  it("keeps the cumulative statistics equal to the sum of its cycle and job events", async () => {
    await addTasks(12, new Date(T0.getTime() - 1000));
    let n = 0;
    const registry: ExecutorRegistry = { GSC_INSIGHTS: async () => (n++ % 3 === 0 ? { ok: false, category: "NETWORK_ERROR", message: "ECONNRESET", retryable: true } : { ok: true }) };
    const e = new SchedulerEngine({ db: t.db, engine, registry, clock, workerId: "w1", concurrency: 5, backoffBaseMs: 1000 });
    for (let i = 0; i < 20; i++) {
      await e.runCycle();
      clock.advance(61 * 60_000);
    }
    const stats = await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } });
    const cycles = await t.db.schedulerEvent.aggregate({ where: { type: "CHECK_CYCLE" }, _count: { _all: true }, _sum: { tasksFound: true, tasksExecuted: true, tasksFailed: true } });
    expect(stats.totalCheckCycles).toBe(cycles._count._all);
    expect(stats.tasksFound).toBe(cycles._sum.tasksFound);
    expect(stats.tasksExecuted).toBe(cycles._sum.tasksExecuted);
    expect(stats.tasksFailed).toBe(cycles._sum.tasksFailed);
    expect(stats.jobsCompleted).toBe(await t.db.schedulerEvent.count({ where: { type: "JOB_COMPLETED" } }));
    expect(stats.jobsFailed).toBe(await t.db.schedulerEvent.count({ where: { type: "JOB_FAILED" } }));
    expect(stats.tasksExecuted).toBe(await t.db.executionLog.count());
    expect(e.session).toMatchObject({ cycles: stats.totalCheckCycles, executed: stats.tasksExecuted, failed: stats.tasksFailed });
    expect(await t.db.executionLog.count({ where: { status: "RUNNING" } })).toBe(0);
  });
});

describe("backoff", () => {
  it("doubles from the base, caps, and jitters within ±20 %", () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 5000, () => 0.5))).toEqual([1000, 2000, 4000, 5000]);
    expect(backoffMs(1, 1000, 5000, () => 0)).toBe(800);
    expect(backoffMs(1, 1000, 5000, () => 1)).toBe(1200);
  });
});
