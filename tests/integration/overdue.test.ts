import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSpanExact } from "@/lib/format";
import { graceMinutesOf, latenessAt } from "@/lib/overdue";
import { metrics } from "@/server/metrics";
import { overdueTasks, raiseNoLiveWorkerAlerts, refreshOverdueGauges } from "@/server/services/overdue";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const MIN = 60_000;

describe("the grace and lateness of a task", () => {
  it("allows a tenth of the interval, at least five minutes, unless the task says otherwise", () => {
    expect(graceMinutesOf({ frequencyMinutes: 60, graceMinutes: null })).toBe(6);
    expect(graceMinutesOf({ frequencyMinutes: 10, graceMinutes: null })).toBe(5);
    expect(graceMinutesOf({ frequencyMinutes: 7 * 24 * 60, graceMinutes: null })).toBe(1008);
    expect(graceMinutesOf({ frequencyMinutes: 60, graceMinutes: 30 })).toBe(30);
  });

  it("writes the grace exactly, to the minute", () => {
    expect(formatSpanExact(graceMinutesOf({ frequencyMinutes: 1440, graceMinutes: null }) * MIN)).toBe(
      "2 hours 24 minutes",
    );
    expect(formatSpanExact(45 * MIN)).toBe("45 minutes");
    expect(formatSpanExact(7 * 24 * 60 * MIN)).toBe("7 days");
  });

  it("is on time within the grace, late after it, and missed once the next due time has passed too", () => {
    const due = new Date("2026-12-01T06:00:00Z");
    const task = { nextRunAt: due, frequencyMinutes: 60, graceMinutes: null };
    const at = (minutes: number) => latenessAt(task, new Date(due.getTime() + minutes * MIN));
    expect(at(-10)).toBeNull();
    expect(at(6)).toBeNull();
    expect(at(7)).toEqual({ state: "LATE", overdueMs: 7 * MIN });
    expect(at(60)?.state).toBe("LATE");
    expect(at(61)).toEqual({ state: "MISSED", overdueMs: 61 * MIN });
    expect(latenessAt({ ...task, nextRunAt: null }, new Date())).toBeNull();
  });
});

describe.each(testEngines())("late and missed runs on %s, with no engine running", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  let admin: { id: string };
  const now = new Date();
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MIN);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    [alice, bob, admin] = [await createTestUser(t.db), await createTestUser(t.db), await createTestUser(t.db, "ADMIN")];
    const make = async (name: string, userId: string, data: Record<string, unknown>) => {
      const task = await t.db.task.create({
        data: { userId, type: "GSC_INSIGHTS", dedupeKey: name, frequencyMinutes: 60, status: "ACTIVE", ...data },
      });
      ids[name] = task.id;
    };
    await make("within-grace", alice.id, { nextRunAt: ago(3) });
    await make("late", alice.id, { nextRunAt: ago(10) });
    await make("missed", alice.id, { nextRunAt: ago(130) });
    await make("paused", alice.id, { nextRunAt: ago(130), status: "PAUSED" });
    await make("running", alice.id, {
      nextRunAt: ago(130),
      leaseOwner: "w1",
      leaseExpiresAt: new Date(now.getTime() + MIN),
    });
    await make("own-grace", alice.id, { nextRunAt: ago(20), graceMinutes: 30 });
    await make("bobs", bob.id, { nextRunAt: ago(30) });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("lists the caller's late and missed tasks, longest overdue first, and none of another user's", async () => {
    const overdue = await (await callerFor(t, alice.id)).tasks.overdue();
    expect(overdue).toMatchObject({ late: 1, missed: 1, atLeast: false, noLiveWorker: { forMs: null } });
    expect(overdue.items.map((task) => [task.id, task.lateness])).toEqual([
      [ids.missed, "MISSED"],
      [ids.late, "LATE"],
    ]);
    expect(overdue.oldestOverdueMs).toBeGreaterThanOrEqual(130 * MIN);
    const asAdmin = await (await callerFor(t, admin.id)).tasks.overdue();
    expect(asAdmin.items.map((task) => task.id)).toContain(ids.bobs);
    const bobsUser = await t.db.user.findUniqueOrThrow({ where: { id: bob.id } });
    expect(asAdmin.items.find((task) => task.id === ids.bobs)?.ownerEmail).toBe(bobsUser.email); // whose it is
    expect(overdue.items.every((task) => task.ownerEmail === null)).toBe(true); // one's own: no owner shown
    expect((await (await callerFor(t, bob.id)).tasks.overdue()).items.map((task) => task.id)).toEqual([ids.bobs]);
  });

  it("becomes late, then missed, as time passes without a worker; a run starting ends it", async () => {
    const fresh = await t.db.task.create({
      data: { userId: bob.id, type: "WEBSITE_ANALYSIS", dedupeKey: "clock", frequencyMinutes: 60, nextRunAt: now },
    });
    const stateAt = async (minutes: number) =>
      (await overdueTasks(t.db, { userId: bob.id, role: "USER" }, new Date(now.getTime() + minutes * MIN))).items.find(
        (task) => task.id === fresh.id,
      )?.lateness ?? "ON_TIME";
    expect(await stateAt(5)).toBe("ON_TIME");
    expect(await stateAt(7)).toBe("LATE");
    expect(await stateAt(61)).toBe("MISSED");
    await t.db.task.update({
      where: { id: fresh.id },
      data: { leaseOwner: "w2", leaseExpiresAt: new Date(now.getTime() + 90 * MIN) },
    });
    expect(await stateAt(61)).toBe("ON_TIME");
    await t.db.task.delete({ where: { id: fresh.id } });
  });

  it("a task's own grace decides (tasks.setGrace, audited); null goes back to the default", async () => {
    const api = await callerFor(t, alice.id);
    expect(await api.tasks.setGrace({ taskId: ids.late!, graceMinutes: 15 })).toMatchObject({ changed: true });
    expect((await api.tasks.overdue()).items.map((task) => task.id)).not.toContain(ids.late);
    expect(await api.tasks.setGrace({ taskId: ids.late!, graceMinutes: 15 })).toMatchObject({ changed: false });
    await api.tasks.setGrace({ taskId: ids.late!, graceMinutes: null });
    expect((await api.tasks.overdue()).items.map((task) => task.id)).toContain(ids.late);
    const audit = await t.db.auditLog.findMany({
      where: { taskId: ids.late, action: "SET_GRACE" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.details)).toEqual([
      { from: null, to: 15 },
      { from: 15, to: null },
    ]);
    for (const graceMinutes of [4, 10_081, 7.5])
      await expect(api.tasks.setGrace({ taskId: ids.late!, graceMinutes })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    await expect(
      (await callerFor(t, bob.id)).tasks.setGrace({ taskId: ids.late!, graceMinutes: 30 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("says for how long no worker has been alive, and nothing while one is", async () => {
    const scope = { userId: alice.id, role: "USER" as const };
    await t.db.worker.create({ data: { id: "w-alive", hostname: "h", pid: 1, kind: "worker", lastSeenAt: now } });
    expect((await overdueTasks(t.db, scope, now)).noLiveWorker).toBeNull();
    await t.db.worker.update({ where: { id: "w-alive" }, data: { lastSeenAt: ago(5) } });
    expect((await overdueTasks(t.db, scope, now)).noLiveWorker).toEqual({ forMs: 5 * MIN });
    await t.db.worker.update({ where: { id: "w-alive" }, data: { lastSeenAt: now, stoppedAt: ago(3) } });
    expect((await overdueTasks(t.db, scope, now)).noLiveWorker).toEqual({ forMs: 3 * MIN });
  });

  it("alerts every admin once per outage when no worker has been alive for two minutes, however many instances check", async () => {
    await t.db.worker.deleteMany();
    const later = (minutes: number) => new Date(now.getTime() + minutes * MIN);
    const alerts = () => t.db.alert.findMany({ where: { kind: "NO_LIVE_WORKER" }, orderBy: { createdAt: "asc" } });
    // No worker ever: after two minutes of watching.
    expect(await raiseNoLiveWorkerAlerts(t.db, later(1), now)).toBe(0);
    expect(await raiseNoLiveWorkerAlerts(t.db, later(2), now)).toBe(1);
    expect((await alerts()).map((a) => [a.userId, a.title])).toEqual([[admin.id, "No worker is running"]]);
    // A worker comes, then stops beating: alive, then dead but not yet for two minutes, then alerted once.
    await t.db.worker.create({ data: { id: "w-1", hostname: "h", pid: 1, kind: "worker", lastSeenAt: later(10) } });
    expect(await raiseNoLiveWorkerAlerts(t.db, later(11), now)).toBe(0);
    expect(await raiseNoLiveWorkerAlerts(t.db, later(11.9), now)).toBe(0);
    const concurrent = await Promise.all([1, 2, 3].map(() => raiseNoLiveWorkerAlerts(t.db, later(12), now)));
    expect(concurrent.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await raiseNoLiveWorkerAlerts(t.db, later(30), now)).toBe(0); // the same outage: no second alert
    const [, outage] = await alerts();
    expect(outage?.message).toMatch(/no worker has been seen since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await t.db.alert.count({ where: { kind: "NO_LIVE_WORKER", userId: { not: admin.id } } })).toBe(0);
  });

  it("puts the system-wide counts and the oldest age into /api/metrics", async () => {
    await refreshOverdueGauges(t.db, now);
    const gauge = await metrics().overdueTasks.get();
    const value = (state: string) => gauge.values.find((v) => v.labels.state === state)?.value;
    expect({ late: value("late"), missed: value("missed") }).toEqual({ late: 2, missed: 1 }); // bob's is late too
    const oldest = (await metrics().oldestOverdue.get()).values[0]?.value ?? 0;
    expect(oldest).toBeGreaterThanOrEqual(130 * 60);
    expect(oldest).toBeLessThan(131 * 60);
  });
});
