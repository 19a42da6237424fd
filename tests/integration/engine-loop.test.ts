import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { SchedulerEngine } from "@/server/scheduler/engine";
import type { Executor, ExecutorRegistry } from "@/server/scheduler/types";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { waitFor } from "../helpers/clock";

const FAR = new Date("2099-01-01T00:00:00.000Z");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hanging: Executor = (_task, { signal }) =>
  new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
const after =
  (ms: number): Executor =>
  async () => {
    await sleep(ms);
    return { ok: true };
  };

/** The engine's real loop, on the real clock: what runs inside the web server and `npm run worker`. */
describe.each(testEngines())("scheduler loop on %s", (engine) => {
  let t: TestDatabase;
  let userId: string;
  const engines: SchedulerEngine[] = [];

  async function addTask(
    nextRunAt: Date | null,
    data: {
      status?: "ACTIVE" | "PAUSED" | "NEEDS_INTERVENTION";
      lastOutcome?: "FAILED" | "SUCCESS";
      consecutiveFailures?: number;
      userId?: string;
    } = {},
  ) {
    return t.db.task.create({
      data: {
        userId: data.userId ?? userId,
        type: "GSC_INSIGHTS",
        dedupeKey: `k-${Math.random()}`,
        frequencyMinutes: 60,
        nextRunAt,
        status: data.status ?? "ACTIVE",
        lastOutcome: data.lastOutcome,
        consecutiveFailures: data.consecutiveFailures ?? 0,
      },
    });
  }
  async function start(
    registry: ExecutorRegistry,
    config: ConstructorParameters<typeof SchedulerEngine>[0]["config"] = {},
  ) {
    const e = new SchedulerEngine({ db: t.db, engine, registry, config: { pollMs: 1000, ...config } });
    engines.push(e);
    await e.start();
    return e;
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    userId = (await createTestUser(t.db)).id;
  });
  beforeEach(async () => {
    await t.db.executionLog.deleteMany();
    await t.db.task.deleteMany();
    await t.db.auditLog.deleteMany();
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop(0)));
  });
  afterAll(async () => {
    await t.drop();
  });

  it("starts a task within a second of its due time, waking at the due time rather than polling", async () => {
    const e = await start({ GSC_INSIGHTS: after(0) }, { pollMs: 5000 }); // a long poll: only the due-time wake can be on time
    await sleep(50);
    const due = new Date(Date.now() + 400);
    await addTask(due);
    e.wake(); // a new task was added (the API does this); the loop then sleeps until its due time
    const log = await waitFor(
      () => t.db.executionLog.findFirst({ where: { status: "SUCCESS" } }).then((l) => l ?? undefined),
      5000,
      "the run",
    );
    const drift = log.startedAt.getTime() - due.getTime();
    console.log(`[measure] ${engine}: due -> started drift ${drift} ms`);
    expect(drift).toBeGreaterThanOrEqual(0);
    expect(drift).toBeLessThan(1000);
  });

  it("writes START and keeps a Worker row alive; stop writes STOP", async () => {
    const e = await start({});
    expect(await t.db.worker.findUniqueOrThrow({ where: { id: e.workerId } })).toMatchObject({
      stoppedAt: null,
      kind: "worker",
    });
    await e.stop(0);
    expect((await t.db.worker.findUniqueOrThrow({ where: { id: e.workerId } })).stoppedAt).not.toBeNull();
    const events = await t.db.schedulerEvent.findMany({
      where: { workerId: e.workerId, type: { in: ["START", "STOP"] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((ev) => ev.type)).toEqual(["START", "STOP"]);
  });

  it("shuts down gracefully: finishes what fits in the grace, interrupts and releases the rest", async () => {
    const quick = await addTask(new Date(Date.now() - 1000));
    const stuck = await addTask(new Date(Date.now() - 1000));
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: (task, ctx) => (task.id === quick.id ? after(200)(task, ctx) : hanging(task, ctx)),
    };
    const e = await start(registry);
    await waitFor(
      async () => (await t.db.executionLog.count({ where: { status: "RUNNING" } })) === 2,
      5000,
      "two runs",
    );
    const before = await t.db.cumulativeStats.findUnique({ where: { id: 1 } });
    await e.stop(1000);
    expect(e.state).toBe("stopped");
    expect(await t.db.executionLog.findFirstOrThrow({ where: { taskId: quick.id } })).toMatchObject({
      status: "SUCCESS",
    });
    expect(await t.db.executionLog.findFirstOrThrow({ where: { taskId: stuck.id } })).toMatchObject({
      status: "INTERRUPTED",
    });
    const released = await t.db.task.findUniqueOrThrow({ where: { id: stuck.id } });
    expect(released).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, nextRunAt: stuck.nextRunAt }); // due again at once
    expect(
      await t.db.schedulerEvent.count({ where: { type: "JOB_CANCELLED", taskId: stuck.id, runStatus: "INTERRUPTED" } }),
    ).toBe(1);
    expect((await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } })).tasksInterrupted).toBe(
      (before?.tasksInterrupted ?? 0) + 1,
    );
    expect(e.session.interrupted).toBe(1);
    // Another worker takes the released task at once.
    await start({ GSC_INSIGHTS: after(0) });
    await waitFor(
      () => t.db.executionLog.findFirst({ where: { taskId: stuck.id, status: "SUCCESS" } }).then((l) => l ?? undefined),
      5000,
      "the re-run",
    );
  });

  it("runs one run for 20 concurrent manual triggers, recorded as MANUAL with one audit entry", async () => {
    const task = await addTask(FAR);
    const e = await start({ GSC_INSIGHTS: after(300) });
    const caller = await callerFor(t, userId, e);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => caller.tasks.manualTrigger({ taskId: task.id })),
    );
    expect(results.filter((r) => r.queued)).toHaveLength(1);
    const started = results.find((r) => r.queued)!;
    expect(started.executionLogId).toEqual(expect.any(Number));
    // The others point at the run in flight when it had begun (or at nothing yet); never at another run.
    for (const r of results) expect([null, started.executionLogId]).toContain(r.executionLogId);
    await waitFor(
      async () => (await t.db.executionLog.count({ where: { status: "SUCCESS" } })) === 1,
      5000,
      "the manual run",
    );
    await sleep(300);
    const logs = await t.db.executionLog.findMany();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ id: started.executionLogId, trigger: "MANUAL", status: "SUCCESS" });
    expect(await t.db.auditLog.count({ where: { action: "MANUAL_TRIGGER", taskId: task.id, actorId: userId } })).toBe(
      1,
    );
    // A one-time job: scheduled once, completed once.
    expect(
      await t.db.schedulerEvent.count({ where: { type: "JOB_SCHEDULED", taskId: task.id, jobKind: "ONE_TIME" } }),
    ).toBe(1);
    expect(
      await t.db.schedulerEvent.count({ where: { type: "JOB_COMPLETED", taskId: task.id, jobKind: "ONE_TIME" } }),
    ).toBe(1);
    // Once the run is over a new trigger is accepted again.
    expect((await caller.tasks.manualTrigger({ taskId: task.id })).queued).toBe(true);
  });

  it("runs a cooled-off task at once on manual trigger and resets its failure counters", async () => {
    const task = await addTask(FAR, { status: "NEEDS_INTERVENTION", consecutiveFailures: 3 });
    await t.db.task.update({
      where: { id: task.id },
      data: { coolOffUntil: FAR, coolOffCount: 2, failurePattern: { consecutive: 3 } },
    });
    const e = await start({ GSC_INSIGHTS: after(0) });
    const caller = await callerFor(t, userId, e);
    const result = await caller.tasks.manualTrigger({ taskId: task.id });
    expect(result.queued).toBe(true);
    await waitFor(
      () => t.db.executionLog.findFirst({ where: { taskId: task.id, status: "SUCCESS" } }).then((l) => l ?? undefined),
      5000,
      "the run",
    );
    await waitFor(
      async () => (await t.db.task.findUniqueOrThrow({ where: { id: task.id } })).leaseOwner === null,
      5000,
      "the record",
    );
    expect(await t.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: "ACTIVE",
      consecutiveFailures: 0,
      coolOffUntil: null,
      coolOffCount: 0,
      failurePattern: null,
      pendingTrigger: null,
    });
    expect(await t.db.schedulerEvent.count({ where: { type: "TASK_RELEASED", taskId: task.id } })).toBe(1);
  });

  it("is picked up by a worker elsewhere within a poll when this process runs no engine", async () => {
    const task = await addTask(FAR);
    await start({ GSC_INSIGHTS: after(0) }, { pollMs: 200 });
    const caller = await callerFor(t, userId, null); // a web instance with SCHEDULER_ENABLED=false
    expect(await caller.tasks.manualTrigger({ taskId: task.id })).toMatchObject({ queued: true, executionLogId: null });
    const log = await waitFor(
      () => t.db.executionLog.findFirst({ where: { taskId: task.id } }).then((l) => l ?? undefined),
      3000,
      "the run",
    );
    expect(log.trigger).toBe("MANUAL");
  });

  it("retries a failed task now with trigger RETRY, and refuses tasks that did not fail, paused or foreign ones", async () => {
    const failed = await addTask(FAR, { lastOutcome: "FAILED", consecutiveFailures: 1 });
    const healthy = await addTask(FAR, { lastOutcome: "SUCCESS" });
    const paused = await addTask(FAR, { status: "PAUSED", lastOutcome: "FAILED" });
    const other = await createTestUser(t.db);
    const foreign = await addTask(FAR, { userId: other.id, lastOutcome: "FAILED" });
    const viewer = await createTestUser(t.db, "VIEWER");
    const e = await start({ GSC_INSIGHTS: after(0) });
    const caller = await callerFor(t, userId, e);
    expect((await caller.tasks.retry({ taskId: failed.id })).queued).toBe(true);
    await waitFor(
      () =>
        t.db.executionLog.findFirst({ where: { taskId: failed.id, status: "SUCCESS" } }).then((l) => l ?? undefined),
      5000,
      "the retry",
    );
    expect(await t.db.executionLog.findFirstOrThrow({ where: { taskId: failed.id } })).toMatchObject({
      trigger: "RETRY",
    });
    expect(await t.db.auditLog.count({ where: { action: "RETRY", taskId: failed.id } })).toBe(1);

    const code = (p: Promise<unknown>) =>
      p.then(
        () => "OK",
        (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
      );
    expect(await code(caller.tasks.retry({ taskId: healthy.id }))).toBe("CONFLICT");
    expect(await code(caller.tasks.manualTrigger({ taskId: paused.id }))).toBe("CONFLICT");
    expect(await code(caller.tasks.manualTrigger({ taskId: foreign.id }))).toBe("NOT_FOUND");
    expect(await code(caller.tasks.retry({ taskId: foreign.id }))).toBe("NOT_FOUND");
    expect(await code(caller.tasks.manualTrigger({ taskId: "" }))).toBe("BAD_REQUEST");
    expect(await code((await callerFor(t, viewer.id, e)).tasks.manualTrigger({ taskId: healthy.id }))).toBe(
      "FORBIDDEN",
    );
    expect(await t.db.executionLog.count({ where: { taskId: { in: [healthy.id, paused.id, foreign.id] } } })).toBe(0);
  });

  it("shows the scheduler's state, session and cumulative statistics, and lets only an admin reconcile them", async () => {
    await addTask(new Date(Date.now() - 1000));
    const e = await start({ GSC_INSIGHTS: after(0) });
    await waitFor(async () => e.session.cycles >= 1 || undefined, 5000, "a cycle");
    const caller = await callerFor(t, userId, e);
    const status = await caller.system.scheduler();
    expect(status.local).toMatchObject({ workerId: e.workerId, state: "running", kind: "worker" });
    expect(status.local!.session.cycles).toBeGreaterThanOrEqual(1);
    expect(status.workers.map((w) => w.id)).toContain(e.workerId);
    expect(status.cumulative!.totalCheckCycles).toBeGreaterThanOrEqual(1);

    const code = (p: Promise<unknown>) =>
      p.then(
        () => "OK",
        (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
      );
    expect(await code(caller.dashboard.cumulativeStats.reconcile({ apply: false }))).toBe("FORBIDDEN");
    const admin = await createTestUser(t.db, "ADMIN");
    const adminCaller = await callerFor(t, admin.id, e);
    await t.db.cumulativeStats.update({ where: { id: 1 }, data: { jobsFailed: { increment: 2 } } });
    const report = await adminCaller.dashboard.cumulativeStats.reconcile({ apply: false });
    expect(report).toMatchObject({ consistent: false, applied: false, difference: { jobsFailed: 2 } });
    expect(await adminCaller.dashboard.cumulativeStats.reconcile({ apply: true })).toMatchObject({ applied: true });
    expect(await adminCaller.dashboard.cumulativeStats.reconcile({})).toMatchObject({ consistent: true });
    expect(await t.db.auditLog.count({ where: { action: "RECONCILE_STATS", actorId: admin.id } })).toBe(3);
  });
});
