import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyringFrom } from "@/server/crypto";
import { ensureSystemTasks } from "@/server/scheduler/retention";
import { saveChannel, testChannel } from "@/server/services/alerts";
import { waitFor } from "../helpers/clock";
import { createTestDatabase, createTestUser, type TestDatabase } from "../helpers/db";
import { spawnWorker, type WorkerProcess } from "../helpers/processes";

/**
 * Drill: 200 webhook deliveries, a worker process killed with SIGKILL in the middle of sending them, a second
 * worker started. Every delivery must arrive (its signature verified by the receiver), and whatever arrives
 * twice must carry the same webhook-id, so the receiver can drop the copy.
 */
const DELIVERIES = 200;
const workerEnv = (allowed: string) => ({
  SCHEDULER_LEASE_MS: "2000",
  SCHEDULER_HEARTBEAT_MS: "500",
  SCHEDULER_RECOVERY_INTERVAL_MS: "500",
  SCHEDULER_POLL_MS: "200",
  WEBHOOK_ALLOWED_HOSTS: allowed,
});

describe.runIf(process.env.TEST_POSTGRES_URL)("alert deliveries when a worker is killed mid-send", () => {
  let t: TestDatabase;
  let server: Server;
  const workers: WorkerProcess[] = [];
  const received: { id: string; verified: boolean }[] = [];
  let secret = "";

  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let verified = true;
        try {
          new Webhook(secret).verify(Buffer.concat(chunks).toString("utf8"), req.headers as Record<string, string>);
        } catch {
          verified = false;
        }
        received.push({ id: String(req.headers["webhook-id"]), verified });
        // A receiver that takes a moment, so the kill lands among sends in flight.
        setTimeout(() => res.writeHead(verified ? 200 : 401).end(), 60);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t?.drop();
  });

  it("delivers every message at least once, and a message sent twice carries the same webhook-id", async () => {
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const user = await createTestUser(t.db);
    const scope = { userId: user.id, role: "USER" as const };
    const settings = {
      webhookPolicy: { allowedHosts: [host], allowedPrivateUrls: [], timeoutMs: 5_000 },
      mail: { smtpUrl: null, from: "x <x@x.test>", timeoutMs: 5_000 },
    };
    const keyring = keyringFrom(process.env.TOKEN_ENCRYPTION_KEY!);
    await ensureSystemTasks(t.db, new Date());
    const channel = await saveChannel(
      t.db,
      scope,
      { kind: "WEBHOOK", name: "drill", url: `http://${host}/hook` },
      keyring,
      settings,
    );
    secret = channel.secret!;
    const ids = new Set<string>();
    for (let i = 0; i < DELIVERIES; i++) ids.add((await testChannel(t.db, scope, { id: channel.id })).deliveryId);

    workers.push(spawnWorker(t.url, workerEnv(host)));
    await waitFor(async () => received.length >= 60, 60_000, "the first worker to send 60");
    workers[0]!.kill("SIGKILL");
    await workers[0]!.exited;
    const atKill = received.length;
    workers.push(spawnWorker(t.url, workerEnv(host)));
    await waitFor(
      async () => (await t.db.alertDelivery.count({ where: { status: "DELIVERED" } })) === DELIVERIES,
      90_000,
      "every delivery to be delivered",
    );
    await sleep(500);

    const arrived = new Set(received.map((r) => r.id));
    expect([...arrived].sort()).toEqual([...ids].sort());
    expect(received.every((r) => r.verified)).toBe(true);
    const copies = received.length - arrived.size;
    const interrupted = await t.db.alertDeliveryAttempt.count({ where: { error: { startsWith: "interrupted" } } });
    console.log(
      `[drill] alert delivery, kill -9 mid-send: ${DELIVERIES} deliveries, killed after ${atKill} arrived; all ${arrived.size} arrived, ${copies} sent twice (same webhook-id), ${interrupted} attempts logged as interrupted, 0 with a different id`,
    );
    // A copy can only come from a send the dead worker had in flight.
    expect(copies).toBeLessThanOrEqual(interrupted);
  });
});
