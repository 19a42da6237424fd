import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startServer, trpcPath, type Server } from "../../bench/http";
import { createTestDatabase, createTestUser, type TestDatabase } from "../helpers/db";
import { waitFor } from "../helpers/clock";
import { freePort, spawnWorker, type WorkerProcess } from "../helpers/processes";
import { startProxy } from "../helpers/proxy";

/**
 * Drill: two web instances and two workers on one PostgreSQL database behind a small local proxy,
 * under a steady load of dashboard requests and manual triggers. Each process is restarted in turn
 * (SIGTERM, wait for it to exit, start it again). Graceful shutdown must drain: a web instance
 * announces it (health 503) while still serving, then stops accepting and finishes what it has; a
 * worker stops claiming and finishes its runs. 0 failed requests, and every acknowledged trigger runs.
 */

const webEnv = {
  SCHEDULER_ENABLED: "false",
  LOG_LEVEL: "warn",
  HTTP_SHUTDOWN_GRACE_MS: "15000",
  HTTP_DRAIN_ANNOUNCE_MS: "1000",
};
const workerEnv = {
  TEST_EXECUTOR_MS: "200",
  TEST_EXECUTOR_JITTER_MS: "400",
  SCHEDULER_POLL_MS: "200",
  SCHEDULER_SHUTDOWN_GRACE_MS: "15000",
  LOG_LEVEL: "warn",
};

describe.runIf(process.env.TEST_POSTGRES_URL)(
  "rolling restart of two web instances and two workers behind a proxy",
  () => {
    let t: TestDatabase;
    const ports: number[] = [];
    const webs: Server[] = [];
    const workers: WorkerProcess[] = [];

    beforeAll(async () => {
      t = await createTestDatabase("postgres");
      for (let i = 0; i < 2; i++) ports.push(await freePort());
      webs.push(...(await Promise.all(ports.map((port) => startServer({ port, databaseUrl: t.url, env: webEnv })))));
      for (let i = 0; i < 2; i++) workers.push(spawnWorker(t.url, workerEnv));
    });
    afterAll(async () => {
      for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
      await Promise.all(webs.map((w) => w.stop()));
      await t?.drop();
    });

    it("loses no request and no trigger while each process is restarted in turn", async () => {
      const user = await createTestUser(t.db);
      const later = new Date(Date.now() + 24 * 3_600_000); // only the triggers run these tasks
      await t.db.task.createMany({
        data: Array.from({ length: 1000 }, (_, i) => ({
          userId: user.id,
          type: "GSC_INSIGHTS" as const,
          dedupeKey: `rolling-${i}`,
          frequencyMinutes: 24 * 60,
          nextRunAt: later,
        })),
      });
      const taskIds = (
        await t.db.task.findMany({ where: { userId: user.id }, select: { id: true }, orderBy: { dedupeKey: "asc" } })
      ).map((x) => x.id);
      const proxy = await startProxy(ports);
      const cookie = await signIn(proxy.url, user.email, "test-password");

      const failures: string[] = [];
      const counts = { reads: 0, triggers: 0 };
      const triggered: string[] = [];
      let loading = true;
      const reads = [
        trpcPath("dashboard.overview"),
        trpcPath("monitoring.executionLogs", { limit: 25 }),
        trpcPath("tasks.list"),
        "/dashboard",
        trpcPath("platform.monitoringSummary"),
      ];
      const reader = async (n: number) => {
        for (let i = n; loading; i++) {
          const path = reads[i % reads.length]!;
          try {
            const response = await fetch(`${proxy.url}${path}`, { headers: { cookie } });
            const text = await response.text();
            if (response.status !== 200) failures.push(`GET ${path}: ${response.status} ${text.slice(0, 200)}`);
            counts.reads++;
          } catch (error) {
            failures.push(`GET ${path}: ${(error as Error).message}`);
          }
        }
      };
      const triggerer = async (first: number) => {
        for (let i = first; loading && i < taskIds.length; i += 2) {
          const taskId = taskIds[i]!;
          try {
            const response = await fetch(`${proxy.url}/api/trpc/tasks.manualTrigger`, {
              method: "POST",
              headers: { cookie, "content-type": "application/json" },
              body: JSON.stringify({ json: { taskId } }),
            });
            const text = await response.text();
            if (response.status === 200) triggered.push(taskId);
            else failures.push(`trigger ${taskId}: ${response.status} ${text.slice(0, 200)}`);
            counts.triggers++;
          } catch (error) {
            failures.push(`trigger ${taskId}: ${(error as Error).message}`);
          }
          await sleep(100);
        }
      };
      const load = Promise.all([reader(0), reader(1), reader(2), reader(3), triggerer(0), triggerer(1)]);

      const restarts: string[] = [];
      await sleep(3_000);
      for (const i of [0, 1]) {
        await webs[i]!.stop(); // SIGTERM: stop accepting, finish what is in flight, exit
        expect(webs[i]!.process.exitCode).toBe(0);
        webs[i] = await startServer({ port: ports[i]!, databaseUrl: t.url, env: webEnv });
        restarts.push(`web ${i}`);
        await sleep(2_000);
      }
      for (const i of [0, 1]) {
        const worker = workers[i]!;
        worker.kill("SIGTERM"); // stop claiming, let runs in flight finish, exit
        const code = await worker.exited;
        if (code !== 0) console.log(worker.output().slice(-3000));
        expect(code).toBe(0);
        workers[i] = spawnWorker(t.url, workerEnv);
        restarts.push(`worker ${i}`);
        await sleep(2_000);
      }
      await sleep(2_000);
      loading = false;
      await load;
      proxy.close();

      await waitFor(
        async () =>
          (await t.db.executionLog.count({ where: { userId: user.id, trigger: "MANUAL", status: "SUCCESS" } })) >=
          triggered.length,
        60_000,
        `${triggered.length} triggered runs`,
      );
      const runs = await t.db.executionLog.groupBy({
        by: ["taskId"],
        where: { userId: user.id, trigger: "MANUAL", status: "SUCCESS" },
        _count: { _all: true },
      });
      const ran = new Map(runs.map((r) => [r.taskId, r._count._all]));
      const lostTriggers = triggered.filter((id) => !ran.has(id)).length;
      const doubleRuns = runs.filter((r) => r._count._all !== 1).length;

      expect(failures.slice(0, 10)).toEqual([]);
      expect({ failedRequests: failures.length, lostTriggers, doubleRuns }).toEqual({
        failedRequests: 0,
        lostTriggers: 0,
        doubleRuns: 0,
      });
      expect(await t.db.executionLog.count({ where: { userId: user.id, status: "RUNNING" } })).toBe(0);
      expect(restarts).toEqual(["web 0", "web 1", "worker 0", "worker 1"]);
      expect(counts.reads).toBeGreaterThan(100);
      expect(triggered.length).toBeGreaterThan(40);
      for (const port of ports) expect(proxy.served.get(port) ?? 0).toBeGreaterThan(0);
      console.log(
        `[drill] rolling restart (${restarts.join(", ")}): ${counts.reads} reads and ${counts.triggers} manual triggers through the proxy; ` +
          `failed requests 0, lost triggers 0, double runs 0 (served per instance: ${[...proxy.served.values()].join(", ")})`,
      );
    });
  },
);
