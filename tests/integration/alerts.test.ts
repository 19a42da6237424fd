/**
 * Alerts end to end against real databases and real receivers: the outbox written with the run that raised
 * it, one alert per episode, the "cleared" notice, deliveries over real HTTP (signed per Standard Webhooks,
 * verified by a receiver) and real SMTP (smtp-server in this process), retries with the same id, a delivery
 * left in flight by a dead worker, reminders, snooze, the daily digest, late and missed runs without a worker.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { Webhook } from "standardwebhooks";
import { TRPCError } from "@trpc/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DELIVERY_MAX_ATTEMPTS } from "@/lib/alert-kinds";
import { keyringFrom } from "@/server/crypto";
import {
  alertDeliveryExecutor,
  deliveryBackoffMs,
  type AlertDeliverySettings,
} from "@/server/scheduler/alerts/deliver";
import {
  raiseTaskNeedsYou,
  raiseScoreDrop,
  raiseTokenExpiring,
  raiseTrafficDrop,
  resolveConnection,
} from "@/server/scheduler/alerts/conditions";
import { SYSTEM_ALERT_DELIVERY_TASK_ID } from "@/server/scheduler/alerts/outbox";
import { SchedulerEngine } from "@/server/scheduler/engine";
import { ensureSystemTasks } from "@/server/scheduler/retention";
import type { ClaimedTask, ExecutorRegistry } from "@/server/scheduler/types";
import { retryDelivery, saveChannel, testChannel, unreadCount, updateRule } from "@/server/services/alerts";
import { manualTrigger } from "@/server/services/tasks";
import { checkLateTaskAlerts } from "@/server/services/overdue";
import { FakeClock } from "../helpers/clock";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const MIN = 60_000;
const keyring = keyringFrom(Buffer.alloc(32, 7).toString("base64"));

/** A webhook receiver that verifies each request with the channel's secret, as the docs tell users to. */
class Receiver {
  server!: Server;
  secret = "";
  status = 200;
  /** The receiver's own clock (the tests' fake one): the signature's timestamp is checked against it. */
  now: () => number = () => Date.now();
  received: { id: string; body: string; verified: boolean; error: string | null; headers: IncomingHttpHeaders }[] = [];
  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let verified = false;
        let error: string | null = null;
        try {
          if (this.secret) {
            const realNow = Date.now;
            Date.now = this.now; // verify() reads the time synchronously
            try {
              new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
            } finally {
              Date.now = realNow;
            }
          }
          verified = Boolean(this.secret);
        } catch (e) {
          error = (e as Error).message;
        }
        this.received.push({
          id: String(req.headers["webhook-id"] ?? ""),
          body,
          verified,
          error,
          headers: req.headers,
        });
        res.writeHead(this.status, { "content-type": "text/plain" }).end(this.status === 200 ? "ok" : "receiver broke");
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }
  get host() {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  get url() {
    return `http://${this.host}/hooks/alerts`;
  }
  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A real SMTP server in this process; every message parsed as a mail client would. */
async function startSmtp() {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { messages, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const task = { id: SYSTEM_ALERT_DELIVERY_TASK_ID } as ClaimedTask;

describe.each(testEngines())("alerts on %s", (engine) => {
  let t: TestDatabase;
  let receiver: Receiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let clock: FakeClock;
  let settings: AlertDeliverySettings;
  const T0 = new Date("2026-12-01T08:00:00Z");

  const deliver = () =>
    alertDeliveryExecutor(
      t.db,
      keyring,
      settings,
    )(task, { signal: new AbortController().signal, now: () => clock.now() });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    receiver = await new Receiver().start();
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await receiver.stop();
    await smtp.close();
    await t.drop();
  });
  beforeEach(async () => {
    clock = new FakeClock(T0);
    receiver.now = () => clock.now().getTime();
    receiver.received = [];
    receiver.status = 200;
    smtp.messages.length = 0;
    settings = {
      webhookPolicy: { allowedHosts: [receiver.host], allowedPrivateUrls: [], timeoutMs: 5_000 },
      mail: { smtpUrl: smtp.url, from: "Scheduler Dashboard <alerts@scheduler.test>", timeoutMs: 5_000 },
      appUrl: "https://scheduler.test",
      leaseMs: 60_000,
    };
    await t.db.alertDelivery.deleteMany();
    await t.db.alert.deleteMany();
    await t.db.task.deleteMany();
    await ensureSystemTasks(t.db, T0);
  });

  /** A user with a webhook channel (its secret given to the receiver) and an e-mail channel on `kinds`. */
  async function userWithChannels(kinds: ("TASK_NEEDS_INTERVENTION" | "TASK_RECOVERED" | "TASK_LATE")[]) {
    const user = await createTestUser(t.db);
    const scope = { userId: user.id, role: "USER" as const };
    const hook = await saveChannel(t.db, scope, { kind: "WEBHOOK", name: "ops", url: receiver.url }, keyring, settings);
    receiver.secret = hook.secret!;
    const mail = await saveChannel(
      t.db,
      scope,
      { kind: "EMAIL", name: "me", email: "me@example.test" },
      keyring,
      settings,
    );
    for (const kind of kinds) await updateRule(t.db, scope, { kind, channelIds: [hook.id, mail.id] });
    return { user, scope, hookId: hook.id, mailId: mail.id };
  }

  it("a task that fails into intervention raises one alert with its deliveries in the run's transaction; its recovery clears it with one notice", async () => {
    const { user } = await userWithChannels(["TASK_NEEDS_INTERVENTION", "TASK_RECOVERED"]);
    const gsc = await t.db.task.create({
      data: {
        userId: user.id,
        type: "GSC_INSIGHTS",
        dedupeKey: "GSC_INSIGHTS:GSC",
        platform: "GSC",
        frequencyMinutes: 60,
        nextRunAt: T0,
      },
    });
    let fail = true;
    const registry: ExecutorRegistry = {
      GSC_INSIGHTS: async () =>
        fail
          ? { ok: false, category: "AUTH_ERROR", message: "HTTP 401: token rejected", retryable: false }
          : { ok: true, result: { clicks: 1 } },
    };
    const scheduler = new SchedulerEngine({ db: t.db, engine, registry, clock, workerId: "w1", random: () => 0.5 });
    // Three task failures in a row: cooled off, needs intervention; the fourth (a probe) fails too.
    for (let i = 0; i < 4; i++) {
      await t.db.task.update({ where: { id: gsc.id }, data: { nextRunAt: clock.now() } });
      await scheduler.runCycle();
      clock.advance(2 * MIN);
    }
    expect((await t.db.task.findUniqueOrThrow({ where: { id: gsc.id } })).status).toBe("NEEDS_INTERVENTION");
    const alerts = await t.db.alert.findMany({ where: { userId: user.id } });
    expect(alerts.map((a) => [a.kind, a.title, a.resolvedAt])).toEqual([
      ["TASK_NEEDS_INTERVENTION", "Search Console insights needs you", null],
    ]);
    expect(alerts[0]!.message).toContain("HTTP 401: token rejected");
    expect(alerts[0]!.link).toBe(`/dashboard/jobs/${gsc.id}`);
    expect(await t.db.alertDelivery.count({ where: { alertId: alerts[0]!.id, purpose: "RAISED" } })).toBe(2);
    const sent = await deliver();
    expect(sent).toMatchObject({ ok: true, result: { delivered: 2, failed: 0 } });
    expect(receiver.received).toHaveLength(1);
    const hook = receiver.received[0]!;
    expect(hook.verified).toBe(true);
    const event = JSON.parse(hook.body);
    expect(event).toMatchObject({
      type: "alert.raised",
      version: 1,
      data: { kind: "TASK_NEEDS_INTERVENTION", severity: "ERROR", taskId: gsc.id, link: `/dashboard/jobs/${gsc.id}` },
    });
    expect(hook.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.subject).toBe("[Scheduler Dashboard] Search Console insights needs you");
    expect(mail.from?.text).toContain("alerts@scheduler.test");
    expect((mail.to as { text: string }).text).toBe("me@example.test");
    expect(mail.text).toContain("HTTP 401: token rejected");
    expect(mail.text).toContain(`https://scheduler.test/dashboard/jobs/${gsc.id}`);
    expect(mail.html).toContain(`href="https://scheduler.test/dashboard/jobs/${gsc.id}"`);

    // The cool-off's probe succeeds: the episode closes, one "cleared" notice goes out.
    fail = false;
    await t.db.task.update({ where: { id: gsc.id }, data: { nextRunAt: clock.now() } });
    await scheduler.runCycle();
    const after = await t.db.alert.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(after.map((a) => [a.kind, Boolean(a.resolvedAt)])).toEqual([
      ["TASK_NEEDS_INTERVENTION", true],
      ["TASK_RECOVERED", true],
    ]);
    expect(after[1]!.title).toBe("Search Console insights runs again");
    await deliver();
    expect(JSON.parse(receiver.received[1]!.body)).toMatchObject({
      type: "alert.raised",
      data: { kind: "TASK_RECOVERED" },
    });
  });

  it("a person who releases the task by hand (a manual trigger) ends its episode: the alert is read and cleared, no notice", async () => {
    const user = await createTestUser(t.db);
    const scope = { userId: user.id, role: "USER" as const };
    const task = await t.db.task.create({
      data: {
        userId: user.id,
        type: "WEBSITE_ANALYSIS",
        dedupeKey: "w",
        websiteUrl: "https://down.example/",
        frequencyMinutes: 1440,
        status: "NEEDS_INTERVENTION",
        nextRunAt: new Date(T0.getTime() + 6 * 60 * MIN),
      },
    });
    await raiseTaskNeedsYou(t.db, task, { status: "NEEDS_INTERVENTION", failureReason: "HTTP 503" }, T0);
    expect(await unreadCount(t.db, scope)).toBe(1);
    await manualTrigger(t.db, scope, { taskId: task.id }, null, T0);
    const alert = await t.db.alert.findFirstOrThrow({ where: { taskId: task.id } });
    expect(alert.resolvedAt).toEqual(T0);
    expect(alert.readAt).toEqual(T0);
    expect(await unreadCount(t.db, scope)).toBe(0);
    expect(await t.db.alert.count({ where: { userId: user.id, kind: "TASK_RECOVERED" } })).toBe(0);
  });

  it("retries a failing receiver with backoff and the same webhook-id, gives up after the last attempt, and a person can retry it", async () => {
    const { scope, hookId } = await userWithChannels([]);
    const { deliveryId } = await testChannel(t.db, scope, { id: hookId }, clock.now());
    // The outbox woke the delivery task (it otherwise waits up to five minutes).
    const deliveryTask = await t.db.task.findUniqueOrThrow({ where: { id: SYSTEM_ALERT_DELIVERY_TASK_ID } });
    expect(deliveryTask.nextRunAt).toEqual(clock.now());
    receiver.status = 503;
    for (let attempt = 1; attempt <= DELIVERY_MAX_ATTEMPTS; attempt++) {
      await deliver();
      const row = await t.db.alertDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
      expect(row.attempts).toBe(attempt);
      if (attempt < DELIVERY_MAX_ATTEMPTS) {
        expect(row.status).toBe("PENDING");
        expect(row.nextAttemptAt.getTime() - clock.now().getTime()).toBe(deliveryBackoffMs(attempt));
        // Not before its time.
        await deliver();
        expect(receiver.received).toHaveLength(attempt);
        clock.advance(deliveryBackoffMs(attempt));
      } else {
        expect(row).toMatchObject({ status: "FAILED", lastStatusCode: 503 });
        expect(row.lastError).toContain("HTTP 503");
      }
    }
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([deliveryId]));
    expect(receiver.received.map((r) => r.error)).toEqual(Array(DELIVERY_MAX_ATTEMPTS).fill(null));
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const attempts = await t.db.alertDeliveryAttempt.findMany({ where: { deliveryId } });
    expect(attempts.map((a) => [a.ok, a.statusCode])).toEqual(Array(DELIVERY_MAX_ATTEMPTS).fill([false, 503]));

    const caller = await callerFor(t, scope.userId);
    receiver.status = 200;
    await retryDelivery(t.db, scope, { id: deliveryId }, clock.now());
    await deliver();
    const log = await caller.alerts.deliveries({});
    expect(log.find((d) => d.id === deliveryId)).toMatchObject({ status: "DELIVERED", channel: { name: "ops" } });
    await expect(caller.alerts.retryDelivery({ id: deliveryId })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("sends again, with the same id, a delivery whose worker died mid-send, once its lease has run out", async () => {
    const { scope, hookId } = await userWithChannels([]);
    const { deliveryId } = await testChannel(t.db, scope, { id: hookId }, clock.now());
    // What a worker killed after claiming leaves behind.
    await t.db.alertDelivery.update({
      where: { id: deliveryId },
      data: { status: "SENDING", attempts: 1, leaseExpiresAt: new Date(clock.now().getTime() + 60_000) },
    });
    await deliver();
    expect(receiver.received).toHaveLength(0); // its lease still holds
    clock.advance(61_000);
    await deliver();
    expect(receiver.received.map((r) => r.id)).toEqual([deliveryId]);
    const attempts = await t.db.alertDeliveryAttempt.findMany({ where: { deliveryId }, orderBy: { id: "asc" } });
    expect(attempts.map((a) => a.ok)).toEqual([false, true]);
    expect(attempts[0]!.error).toContain("interrupted");
  });

  it("a Slack channel gets Slack's message format (text, blocks, a button to the page), unsigned", async () => {
    const user = await createTestUser(t.db);
    const scope = { userId: user.id, role: "USER" as const };
    const slack = await saveChannel(t.db, scope, { kind: "SLACK", name: "team", url: receiver.url }, keyring, settings);
    expect(slack.secret).toBeUndefined();
    await testChannel(t.db, scope, { id: slack.id }, clock.now());
    await deliver();
    const { body, headers } = receiver.received[0]!;
    expect(headers["webhook-signature"]).toBeUndefined();
    const message = JSON.parse(body);
    expect(message.text).toBe(
      'Test: Test message to "team": This channel works: alerts that your rules send to it arrive like this one.',
    );
    expect(message.blocks.at(-1)).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open the dashboard" },
          url: "https://scheduler.test/dashboard/alerts",
        },
      ],
    });
  });

  it("a receiver that checks the signature refuses a tampered body and an old timestamp", async () => {
    const { scope, hookId } = await userWithChannels([]);
    await testChannel(t.db, scope, { id: hookId }, clock.now());
    await deliver();
    const { body, headers } = receiver.received[0]!;
    const hook = new Webhook(receiver.secret);
    // Our fake clock is in the past: verify as of the time it was sent.
    const asSent = { ...(headers as Record<string, string>) };
    const realNow = Date.now;
    try {
      Date.now = () => clock.now().getTime();
      expect(hook.verify(body, asSent)).toMatchObject({ type: "alert.test" });
      expect(() => hook.verify(body.replace("works", "worked"), asSent)).toThrow("No matching signature");
      Date.now = () => clock.now().getTime() + 6 * MIN;
      expect(() => hook.verify(body, asSent)).toThrow("Message timestamp too old");
    } finally {
      Date.now = realNow;
    }
  });

  it("refuses a webhook URL the delivery guard would refuse, and keeps every channel to its owner", async () => {
    const alice = { userId: (await createTestUser(t.db)).id, role: "USER" as const };
    const bob = await createTestUser(t.db);
    const caller = await callerFor(t, alice.userId);
    for (const url of [
      "https://127.0.0.1/hook",
      "https://[::1]/hook",
      "http://hooks.example.com/x",
      "https://10.0.0.8/x",
    ])
      await expect(caller.alerts.saveChannel({ kind: "WEBHOOK", name: "x", url })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    await expect(caller.alerts.saveChannel({ kind: "EMAIL", name: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Enter the address to write to",
    });
    const created = await caller.alerts.saveChannel({ kind: "WEBHOOK", name: "x", url: "https://hooks.example.com/x" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const stored = await t.db.alertChannel.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.secretEnc).not.toContain(created.secret!.slice(6));
    expect(JSON.stringify(await caller.alerts.channels())).not.toContain(created.secret!.slice(6));
    // An edit keeps the secret and answers none.
    expect(
      await caller.alerts.saveChannel({
        id: created.id,
        kind: "WEBHOOK",
        name: "y",
        url: "https://hooks.example.com/y",
      }),
    ).toEqual({ id: created.id });
    const asBob = await callerFor(t, bob.id);
    for (const attempt of [
      () => asBob.alerts.testChannel({ id: created.id }),
      () => asBob.alerts.removeChannel({ id: created.id }),
      () => asBob.alerts.updateRule({ kind: "TASK_LATE", channelIds: [created.id] }),
    ])
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await asBob.alerts.channels()).toEqual([]);
    await expect(caller.alerts.updateRule({ kind: "TOKEN_EXPIRING", threshold: 400 })).rejects.toBeInstanceOf(
      TRPCError,
    );
    await expect(caller.alerts.updateRule({ kind: "TASK_LATE", threshold: 3 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(caller.alerts.updateRule({ kind: "NO_LIVE_WORKER", enabled: false })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("late, then missed, with no worker: one alert, raised by whichever instance looks first; cleared when the task runs", async () => {
    const { user } = await userWithChannels(["TASK_LATE", "TASK_RECOVERED"]);
    const due = T0;
    const late = await t.db.task.create({
      data: {
        userId: user.id,
        type: "GSC_INSIGHTS",
        dedupeKey: "late",
        platform: "GSC",
        frequencyMinutes: 60,
        nextRunAt: due,
      },
    });
    const at = (minutes: number) => new Date(due.getTime() + minutes * MIN);
    expect(await checkLateTaskAlerts(t.db, at(5))).toEqual({ raised: 0, closed: 0 }); // within the grace (6 min)
    expect(await checkLateTaskAlerts(t.db, at(7))).toEqual({ raised: 1, closed: 0 });
    // A second instance at the same moment, then later checks as it becomes missed: still the one alert.
    const [a, b] = await Promise.all([checkLateTaskAlerts(t.db, at(8)), checkLateTaskAlerts(t.db, at(8))]);
    expect(a.raised + b.raised).toBe(0);
    expect(await checkLateTaskAlerts(t.db, at(70))).toEqual({ raised: 0, closed: 0 });
    const alerts = await t.db.alert.findMany({ where: { userId: user.id } });
    expect(alerts.map((x) => [x.kind, x.title])).toEqual([["TASK_LATE", "Search Console insights is late"]]);
    expect(alerts[0]!.message).toContain("No worker is running");
    expect(await t.db.alertDelivery.count({ where: { alertId: alerts[0]!.id } })).toBe(2);
    // The task ran: its due time moved on.
    await t.db.task.update({ where: { id: late.id }, data: { nextRunAt: at(130), lastRunAt: at(71) } });
    expect(await checkLateTaskAlerts(t.db, at(72))).toEqual({ raised: 0, closed: 1 });
    const cleared = await t.db.alert.findFirstOrThrow({ where: { userId: user.id, kind: "TASK_RECOVERED" } });
    expect(cleared.title).toBe("Search Console insights started");
  });

  it("reminds while an episode lasts, as often as the rule says, and not while the rule or the task is snoozed", async () => {
    const { user, scope, hookId } = await userWithChannels(["TASK_LATE"]);
    await updateRule(t.db, scope, { kind: "TASK_LATE", remindEveryMinutes: 60, channelIds: [hookId] });
    const gsc = await t.db.task.create({
      data: {
        userId: user.id,
        type: "GSC_INSIGHTS",
        dedupeKey: "r",
        platform: "GSC",
        frequencyMinutes: 1440,
        nextRunAt: T0,
      },
    });
    clock.current = new Date(T0.getTime() + 200 * MIN);
    await checkLateTaskAlerts(t.db, clock.now());
    await deliver();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(["alert.raised"]);
    clock.advance(30 * MIN);
    await deliver();
    expect(receiver.received).toHaveLength(1);
    clock.advance(31 * MIN);
    await deliver();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(["alert.raised", "alert.reminder"]);
    // Snoozed task: the next reminder waits.
    const caller = await callerFor(t, user.id);
    await caller.alerts.snooze({ taskId: gsc.id, until: new Date(Date.now() + 3 * 3_600_000) });
    await t.db.task.update({
      where: { id: gsc.id },
      data: { alertsSnoozedUntil: new Date(clock.now().getTime() + 3 * 3_600_000) },
    });
    clock.advance(61 * MIN);
    await deliver();
    expect(receiver.received).toHaveLength(2);
    // Woken, but the rule snoozed: still quiet.
    await t.db.task.update({ where: { id: gsc.id }, data: { alertsSnoozedUntil: null } });
    await t.db.alertRule.updateMany({
      where: { userId: user.id, kind: "TASK_LATE" },
      data: { snoozedUntil: new Date(clock.now().getTime() + 3_600_000) },
    });
    await deliver();
    expect(receiver.received).toHaveLength(2);
    clock.advance(61 * MIN);
    await deliver();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual([
      "alert.raised",
      "alert.reminder",
      "alert.reminder",
    ]);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(3); // each reminder is a message of its own
  });

  it("an e-mail digest channel gets one message a day listing the day's alerts, not one per alert", async () => {
    const user = await createTestUser(t.db);
    const scope = { userId: user.id, role: "USER" as const };
    const digest = await saveChannel(
      t.db,
      scope,
      { kind: "EMAIL", name: "daily", email: "digest@example.test", digest: true },
      keyring,
      settings,
    );
    await t.db.alertChannel.update({ where: { id: digest.id }, data: { createdAt: T0 } });
    await updateRule(t.db, scope, { kind: "TASK_LATE", channelIds: [digest.id] });
    for (const name of ["one", "two"]) {
      await t.db.task.create({
        data: {
          userId: user.id,
          type: "WEBSITE_ANALYSIS",
          dedupeKey: name,
          websiteUrl: `https://${name}.example/`,
          frequencyMinutes: 1440,
          nextRunAt: T0,
        },
      });
    }
    clock.current = new Date(T0.getTime() + 4 * 60 * MIN);
    expect((await checkLateTaskAlerts(t.db, clock.now())).raised).toBe(2);
    expect(await t.db.alertDelivery.count({ where: { userId: user.id } })).toBe(0);
    await deliver();
    expect(smtp.messages).toHaveLength(0); // not a day yet
    clock.current = new Date(T0.getTime() + 24 * 60 * MIN + MIN);
    await deliver();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.subject).toBe("[Scheduler Dashboard] 2 alerts in the last day");
    expect(smtp.messages[0]!.text).toContain("https://one.example/");
    expect(smtp.messages[0]!.text).toContain("https://two.example/");
    await deliver();
    expect(smtp.messages).toHaveLength(1);
  });

  it("a score drop, a traffic drop and an expiring token raise their alerts at the rule's threshold, once each", async () => {
    const user = await createTestUser(t.db);
    const scope = { userId: user.id, role: "USER" as const };
    const site = await t.db.task.create({
      data: {
        userId: user.id,
        type: "WEBSITE_ANALYSIS",
        dedupeKey: "s",
        websiteUrl: "https://mine.example/",
        frequencyMinutes: 1440,
      },
    });
    const drop = (analysisId: string, previous: number, current: number) =>
      raiseScoreDrop(
        t.db,
        { userId: user.id, taskId: site.id, url: "https://mine.example/", analysisId, previous, current },
        T0,
      );
    expect(await drop("a1", 80, 71)).toBeNull(); // 9 points: under the default 10
    expect(await drop("a2", 80, 70)).not.toBeNull();
    expect(await drop("a2", 80, 70)).toBeNull(); // the same analysis: the same episode
    await updateRule(t.db, scope, { kind: "SCORE_DROP", threshold: 5 });
    expect(await drop("a3", 80, 74)).not.toBeNull();
    await updateRule(t.db, scope, { kind: "SCORE_DROP", enabled: false });
    expect(await drop("a4", 80, 10)).toBeNull();

    const gsc = await t.db.task.create({
      data: { userId: user.id, type: "GSC_INSIGHTS", dedupeKey: "g", platform: "GSC", frequencyMinutes: 1440 },
    });
    const snapshot = (endDate: Date, clicks: number, impressions: number) =>
      t.db.insightSnapshot.create({
        data: {
          userId: user.id,
          taskId: gsc.id,
          platform: "GSC",
          siteUrl: "https://mine.example/",
          startDate: endDate,
          endDate,
          clicks,
          impressions,
          ctr: 0,
          position: 0,
          topQueries: [],
          topPages: [],
        },
      });
    const week = 7 * 24 * 60 * MIN;
    await snapshot(new Date(T0.getTime() - week), 200, 5000);
    const fresh = await snapshot(T0, 130, 4000); // clicks -35 %, impressions -20 %
    const traffic = () =>
      raiseTrafficDrop(
        t.db,
        {
          id: fresh.id,
          userId: user.id,
          taskId: gsc.id,
          platform: "GSC",
          siteUrl: "https://mine.example/",
          endDate: T0,
          clicks: 130,
          impressions: 4000,
        },
        T0,
      );
    const raised = await traffic();
    const alert = await t.db.alert.findUniqueOrThrow({ where: { id: raised! } });
    expect(alert.title).toBe("https://mine.example/: clicks down 35 % on Google Search Console");
    expect(await traffic()).toBeNull();

    const connection = await t.db.platformConnection.create({ data: { userId: user.id, platform: "BING" } });
    const expiring = (days: number) =>
      raiseTokenExpiring(
        t.db,
        { id: connection.id, userId: user.id, platform: "BING" },
        new Date(T0.getTime() + days * 24 * 60 * MIN),
        T0,
      );
    expect(await expiring(8)).toBeNull(); // beyond the default 7 days
    const soon = await expiring(3);
    expect((await t.db.alert.findUniqueOrThrow({ where: { id: soon! } })).title).toBe(
      "Bing Webmaster token expires in 3 days",
    );
    // Reconnected: the episode closes with a notice.
    expect(await resolveConnection(t.db, connection.id, "BING", T0)).toBe(1);
    expect(await t.db.alert.count({ where: { userId: user.id, kind: "TASK_RECOVERED" } })).toBe(1);
  });

  it("without SMTP_URL an e-mail channel says why it cannot send, and its delivery fails with that reason", async () => {
    settings.mail = { ...settings.mail, smtpUrl: null };
    const user = await createTestUser(t.db);
    const scope = { userId: user.id, role: "USER" as const };
    const mail = await saveChannel(
      t.db,
      scope,
      { kind: "EMAIL", name: "me", email: "me@example.test" },
      keyring,
      settings,
    );
    const { listChannels } = await import("@/server/services/alerts");
    expect((await listChannels(t.db, scope, settings))[0]!.unavailable).toContain("SMTP_URL");
    const { deliveryId } = await testChannel(t.db, scope, { id: mail.id }, clock.now());
    await deliver();
    expect(await t.db.alertDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({
      status: "FAILED",
      attempts: 1,
    });
  });
});

afterEach(() => undefined);
