import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { waitFor } from "../helpers/clock";
import { spawnWorker as spawnWorkerOn } from "../helpers/processes";

const spawnWorker = (t: TestDatabase, env: Record<string, string>) => spawnWorkerOn(t.url, env);

async function addDueTasks(t: TestDatabase, userId: string, n: number) {
  const due = new Date(Date.now() - 1000);
  for (let i = 0; i < n; i += 500) {
    await t.db.task.createMany({
      data: Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
        userId,
        type: "GSC_INSIGHTS" as const,
        dedupeKey: `w-${i + j}`,
        frequencyMinutes: 24 * 60,
        nextRunAt: due,
      })),
    });
  }
}

describe.each(testEngines())("worker processes on %s", (engine) => {
  let t: TestDatabase;
  let userId: string;
  const children: ReturnType<typeof spawnWorker>[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    userId = (await createTestUser(t.db)).id;
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    await t.db.schedulerEvent.deleteMany();
    await t.db.executionLog.deleteMany();
    await t.db.task.deleteMany({ where: { userId } });
  });
  afterAll(async () => {
    await t.drop();
  });

  // Several processes sharing one database is what PostgreSQL is for (SQLite serves one process).
  if (engine === "postgres")
    it("4 worker processes run 2,000 due tasks exactly once each", async () => {
      await addDueTasks(t, userId, 2000);
      const started = Date.now();
      for (let i = 0; i < 4; i++)
        children.push(spawnWorker(t, { TEST_EXECUTOR_MS: "5", SCHEDULER_CONCURRENCY: "25", SCHEDULER_POLL_MS: "200" }));
      await waitFor(
        async () => (await t.db.executionLog.count({ where: { userId, status: "SUCCESS" } })) >= 2000,
        150_000,
        "2,000 runs",
      );
      const seconds = (Date.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate, if there were one, would show now
      for (const child of children) child.kill("SIGTERM");
      const codes = await Promise.all(children.map((c) => c.exited));
      for (const [i, c] of codes.entries())
        if (c !== 0) console.log(`worker ${i} exited ${c}:\n${children[i]!.output().slice(-3000)}`);
      expect(codes).toEqual([0, 0, 0, 0]);

      const perTask = await t.db.executionLog.groupBy({ by: ["taskId"], where: { userId }, _count: { _all: true } });
      expect(perTask).toHaveLength(2000);
      expect(perTask.filter((p) => p._count._all !== 1)).toEqual([]);
      expect(await t.db.executionLog.count({ where: { userId, status: { not: "SUCCESS" } } })).toBe(0);
      const byWorker = await t.db.executionLog.groupBy({ by: ["workerId"], where: { userId }, _count: { _all: true } });
      expect(byWorker).toHaveLength(4); // all four took a share
      expect(await t.db.task.count({ where: { userId, leaseOwner: { not: null } } })).toBe(0);
      console.log(
        `[measure] postgres: 4 workers ran 2000 tasks in ${seconds.toFixed(1)} s (${(2000 / seconds).toFixed(0)} runs/s, incl. process start-up); per worker: ${byWorker.map((w) => w._count._all).join(", ")}`,
      );
    }, 200_000);

  it("kill -9 of a worker with runs in flight: every task runs again after the lease expires, no log stays RUNNING", async () => {
    await addDueTasks(t, userId, 8);
    const lease = {
      SCHEDULER_LEASE_MS: "2000",
      SCHEDULER_HEARTBEAT_MS: "500",
      SCHEDULER_RECOVERY_INTERVAL_MS: "500",
      SCHEDULER_POLL_MS: "200",
    };
    const doomed = spawnWorker(t, { ...lease, TEST_EXECUTOR_MS: "600000", SCHEDULER_CONCURRENCY: "8" });
    children.push(doomed);
    await waitFor(
      async () => (await t.db.executionLog.count({ where: { userId, status: "RUNNING" } })) === 8,
      60_000,
      "8 runs in flight",
    );
    doomed.kill("SIGKILL");
    expect(await doomed.exited).toBeNull(); // killed, not exited

    const survivor = spawnWorker(t, { ...lease, TEST_EXECUTOR_MS: "10" });
    children.push(survivor);
    await waitFor(
      async () => (await t.db.executionLog.count({ where: { userId, status: "SUCCESS" } })) === 8,
      60_000,
      "8 re-runs",
    );
    survivor.kill("SIGTERM");
    expect(await survivor.exited).toBe(0);

    expect(await t.db.executionLog.count({ where: { userId, status: "RUNNING" } })).toBe(0);
    const lost = await t.db.executionLog.findMany({ where: { userId, status: "FAILED" } });
    expect(lost).toHaveLength(8);
    expect(lost.every((l) => l.errorMessage?.startsWith("worker lost"))).toBe(true);
    expect(await t.db.schedulerEvent.count({ where: { userId, type: "LEASE_RECOVERED" } })).toBe(8);
    const perTask = await t.db.executionLog.groupBy({
      by: ["taskId", "status"],
      where: { userId },
      _count: { _all: true },
    });
    expect(perTask.filter((p) => p.status === "SUCCESS")).toHaveLength(8);
  }, 120_000);

  it("SIGTERM drains a worker: runs that outlast the grace are INTERRUPTED and released, and the process exits 0", async () => {
    await addDueTasks(t, userId, 3);
    const worker = spawnWorker(t, {
      TEST_EXECUTOR_MS: "600000",
      SCHEDULER_SHUTDOWN_GRACE_MS: "300",
      SCHEDULER_POLL_MS: "200",
    });
    children.push(worker);
    await waitFor(
      async () => (await t.db.executionLog.count({ where: { userId, status: "RUNNING" } })) === 3,
      60_000,
      "3 runs in flight",
    );
    worker.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(await t.db.executionLog.count({ where: { userId, status: "INTERRUPTED" } })).toBe(3);
    expect(await t.db.task.count({ where: { userId, leaseOwner: { not: null } } })).toBe(0);
    expect(await t.db.schedulerEvent.count({ where: { type: "STOP" } })).toBe(1);
  }, 120_000);
});
