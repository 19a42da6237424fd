import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestUser, type TestDatabase } from "../helpers/db";
import { waitFor } from "../helpers/clock";
import { spawnWorker, type WorkerProcess } from "../helpers/processes";

/**
 * Drill: 4 worker processes on one PostgreSQL database under a steady stream of due tasks, one of
 * them killed (mostly kill -9, every fourth a SIGTERM) and restarted every 2.5 s. Every task must
 * run to success exactly once, no two runs of a task may overlap, and every run a dead worker left
 * behind must be closed and counted.
 */
const LOAD_SECONDS = 30;
const BATCH = 20; // due tasks added every 250 ms: 80 per second
const KILL_EVERY_MS = 2_500;
const workerEnv = {
  SCHEDULER_LEASE_MS: "2000",
  SCHEDULER_HEARTBEAT_MS: "500",
  SCHEDULER_RECOVERY_INTERVAL_MS: "500",
  SCHEDULER_POLL_MS: "200",
  SCHEDULER_CONCURRENCY: "20",
  SCHEDULER_SHUTDOWN_GRACE_MS: "300",
  TEST_EXECUTOR_MS: "100",
  TEST_EXECUTOR_JITTER_MS: "300",
};

describe.runIf(process.env.TEST_POSTGRES_URL)(
  "4 workers on PostgreSQL, one killed and restarted every few seconds",
  () => {
    let t: TestDatabase;
    let userId: string;
    const workers: WorkerProcess[] = [];
    const retired: WorkerProcess[] = [];

    beforeAll(async () => {
      t = await createTestDatabase("postgres");
      userId = (await createTestUser(t.db)).id;
    });
    afterAll(async () => {
      for (const w of [...workers, ...retired]) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
      await t?.drop();
    });

    it("runs every task exactly once: none skipped, none twice, no overlap, every lost run closed", async () => {
      for (let i = 0; i < 4; i++) workers.push(spawnWorker(t.url, workerEnv));

      let added = 0;
      let kills = 0;
      let terms = 0;
      const loadUntil = Date.now() + LOAD_SECONDS * 1000;
      const producer = (async () => {
        while (Date.now() < loadUntil) {
          const due = new Date();
          await t.db.task.createMany({
            data: Array.from({ length: BATCH }, (_, j) => ({
              userId,
              type: "GSC_INSIGHTS" as const,
              dedupeKey: `churn-${added + j}`,
              frequencyMinutes: 24 * 60,
              nextRunAt: due,
            })),
          });
          added += BATCH;
          await sleep(250);
        }
      })();
      const killer = (async () => {
        await sleep(3_000); // let the first workers start
        for (let round = 0; Date.now() < loadUntil; round++) {
          const index = round % workers.length;
          const victim = workers[index]!;
          const graceful = round % 4 === 3;
          victim.kill(graceful ? "SIGTERM" : "SIGKILL");
          await victim.exited;
          if (graceful) terms++;
          else kills++;
          retired.push(victim);
          workers[index] = spawnWorker(t.url, workerEnv);
          await sleep(KILL_EVERY_MS);
        }
      })();
      await Promise.all([producer, killer]);

      // The load has stopped; the live workers finish what is due and what the dead ones left.
      await waitFor(
        async () =>
          (await t.db.executionLog.count({ where: { userId, status: "SUCCESS" } })) >= added &&
          (await t.db.executionLog.count({ where: { userId, status: "RUNNING" } })) === 0,
        120_000,
        `${added} successful runs and none RUNNING`,
      );
      await sleep(1_000); // a second run of anything, if there were one, would show now
      for (const w of workers) w.kill("SIGTERM");
      const codes = await Promise.all(workers.map((w) => w.exited));
      for (const [i, code] of codes.entries())
        if (code !== 0) console.log(`worker ${i} exited ${code}:\n${workers[i]!.output().slice(-3000)}`);
      expect(codes).toEqual([0, 0, 0, 0]);
      for (const w of retired) {
        // A crash of our own (not the drill's kill) would show as a non-zero exit code.
        if (w.exitCode !== null && w.exitCode !== 0)
          console.log(`retired worker exited ${w.exitCode}:\n${w.output().slice(-3000)}`);
        expect(w.exitCode === 0 || w.signalCode === "SIGKILL").toBe(true);
      }

      const tasks = await t.db.task.count({ where: { userId } });
      expect(tasks).toBe(added);
      const successes = await t.db.executionLog.groupBy({
        by: ["taskId"],
        where: { userId, status: "SUCCESS" },
        _count: { _all: true },
      });
      const skipped = tasks - successes.length;
      const doubled = successes.filter((s) => s._count._all !== 1).length;
      expect({ skipped, doubled }).toEqual({ skipped: 0, doubled: 0 });

      // No two runs of one task at the same time: each starts after the previous one was closed.
      const logs = await t.db.executionLog.findMany({
        where: { userId },
        orderBy: [{ taskId: "asc" }, { startedAt: "asc" }, { id: "asc" }],
      });
      let overlaps = 0;
      for (let i = 1; i < logs.length; i++) {
        const [prev, next] = [logs[i - 1]!, logs[i]!];
        if (prev.taskId === next.taskId && (!prev.finishedAt || next.startedAt < prev.finishedAt)) overlaps++;
      }
      expect(overlaps).toBe(0);

      const lost = logs.filter((l) => l.status === "FAILED");
      const interrupted = logs.filter((l) => l.status === "INTERRUPTED");
      expect(lost.every((l) => l.errorMessage?.startsWith("worker lost"))).toBe(true);
      expect(logs.filter((l) => !["SUCCESS", "FAILED", "INTERRUPTED"].includes(l.status))).toEqual([]);
      // Every lost run was closed by a lease recovery that names it (a worker may also die between its
      // claim and the RUNNING log: that recovery closes no run), and counted as a failed job.
      const recoveries = await t.db.schedulerEvent.findMany({ where: { userId, type: "LEASE_RECOVERED" } });
      const closedByRecovery = new Set(recoveries.flatMap((e) => (e.data as { closedRuns: number[] }).closedRuns));
      expect(lost.filter((l) => !closedByRecovery.has(l.id))).toEqual([]);
      expect(await t.db.schedulerEvent.count({ where: { userId, type: "JOB_FAILED" } })).toBe(lost.length);
      expect(await t.db.schedulerEvent.count({ where: { userId, type: "JOB_COMPLETED" } })).toBe(added);
      expect(await t.db.task.count({ where: { userId, leaseOwner: { not: null } } })).toBe(0);
      // The drill must have hit runs in flight, or it proved nothing.
      expect(kills).toBeGreaterThanOrEqual(4);
      expect(lost.length).toBeGreaterThan(0);
      console.log(
        `[drill] worker churn: ${added} tasks in ${LOAD_SECONDS} s, ${kills} kill -9 and ${terms} SIGTERM restarts; ` +
          `${lost.length} runs lost with their worker and re-run (${recoveries.length} leases recovered), ${interrupted.length} interrupted by SIGTERM and re-run; skipped 0, double runs 0, overlaps 0`,
      );
    });
  },
);
