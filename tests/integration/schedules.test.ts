import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { nextRuns } from "@/lib/schedule";
import { SchedulerEngine } from "@/server/scheduler/engine";
import type { ExecutorRegistry } from "@/server/scheduler/types";
import { updateSchedule } from "@/server/services/tasks";
import { FakeClock } from "../helpers/clock";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const MIN = 60_000;
const BERLIN_SIX = { kind: "cron", expression: "0 6 * * *", timeZone: "Europe/Berlin" } as const;
const ok: ExecutorRegistry = {
  GSC_INSIGHTS: async () => ({ ok: true, result: { clicks: 1 }, dataSource: "api" }),
};

describe.each(testEngines())("editable schedules on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  let viewer: { id: string };
  let taskId: string;

  const task = () => t.db.task.findUniqueOrThrow({ where: { id: taskId } });
  const audit = () => t.db.auditLog.findMany({ where: { taskId, action: "SET_SCHEDULE" }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    [alice, bob, viewer] = [
      await createTestUser(t.db),
      await createTestUser(t.db),
      await createTestUser(t.db, "VIEWER"),
    ];
  });
  beforeEach(async () => {
    await t.db.auditLog.deleteMany();
    await t.db.executionLog.deleteMany();
    await t.db.schedulerEvent.deleteMany();
    await t.db.task.deleteMany();
    taskId = (
      await t.db.task.create({
        data: {
          userId: alice.id,
          type: "GSC_INSIGHTS",
          dedupeKey: "GSC_INSIGHTS:GSC",
          platform: "GSC",
          frequencyMinutes: 1440,
          status: "ACTIVE",
          nextRunAt: new Date(Date.now() + 20 * 60 * MIN),
          lastRunAt: new Date(Date.now() - 4 * 60 * MIN),
        },
      })
    ).id;
  });
  afterAll(async () => {
    await t.drop();
  });

  it("sets a cron schedule: the next run is its next time, the list reads it back, the audit holds before and after", async () => {
    const api = await callerFor(t, alice.id);
    const before = new Date();
    const result = await api.tasks.updateSchedule({ taskId, schedule: BERLIN_SIX });
    expect(result.changed).toBe(true);
    const saved = await task();
    expect(saved).toMatchObject({ cronExpression: "0 6 * * *", cronTimeZone: "Europe/Berlin", frequencyMinutes: 1440 });
    expect(saved.nextRunAt).toEqual(nextRuns(BERLIN_SIX, before, 1)[0]);
    expect(new Date(saved.nextRunAt!).toLocaleTimeString("en-GB", { timeZone: "Europe/Berlin" })).toBe("06:00:00");

    const listed = (await api.tasks.list()).find((x) => x.id === taskId);
    expect(listed).toMatchObject({ cronExpression: "0 6 * * *", cronTimeZone: "Europe/Berlin" });

    // The same schedule again changes nothing and writes no second entry.
    expect((await api.tasks.updateSchedule({ taskId, schedule: BERLIN_SIX })).changed).toBe(false);
    const entries = await audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: alice.id, targetId: taskId });
    expect(entries[0]!.details).toEqual({
      from: { kind: "interval", minutes: 1440, reading: "every day" },
      to: { ...BERLIN_SIX, reading: "At 06:00, every day (Europe/Berlin)" },
    });
    // The task's page shows the change in its audit trail.
    const history = await api.tasks.history({ taskId });
    expect(history.audit[0]).toMatchObject({ action: "SET_SCHEDULE" });
    expect(history.task).toMatchObject({ cronExpression: "0 6 * * *" });
  });

  it("sets an interval: the next run keeps the last run's rhythm, or is now when that has passed", async () => {
    const api = await callerFor(t, alice.id);
    const lastRunAt = (await task()).lastRunAt!;
    await api.tasks.updateSchedule({ taskId, schedule: { kind: "interval", minutes: 360 } });
    expect(await task()).toMatchObject({
      frequencyMinutes: 360,
      cronExpression: null,
      cronTimeZone: null,
      nextRunAt: new Date(lastRunAt.getTime() + 360 * MIN),
    });
    const before = Date.now();
    await api.tasks.updateSchedule({ taskId, schedule: { kind: "interval", minutes: 120 } });
    const due = (await task()).nextRunAt!.getTime();
    expect(due).toBeGreaterThanOrEqual(before);
    expect(due).toBeLessThanOrEqual(Date.now());
    expect(await audit()).toHaveLength(2);
  });

  it("keeps the next time of a task that is retrying; the runs after follow the new schedule", async () => {
    const retryAt = new Date(Date.now() + 3 * MIN);
    await t.db.task.update({ where: { id: taskId }, data: { attempt: 1, nextRunAt: retryAt } });
    await (await callerFor(t, alice.id)).tasks.updateSchedule({ taskId, schedule: BERLIN_SIX });
    expect(await task()).toMatchObject({ nextRunAt: retryAt, cronExpression: "0 6 * * *" });
  });

  it("refuses what the task may not have with a BAD_REQUEST that says why, and changes nothing", async () => {
    const api = await callerFor(t, alice.id);
    const refusals: [unknown, string][] = [
      [{ kind: "interval", minutes: 30 }, "may run every hour at most"],
      [{ kind: "cron", expression: "*/15 * * * *", timeZone: "UTC" }, "this schedule runs every 15 minutes"],
      [{ kind: "cron", expression: "61 6 * * *", timeZone: "UTC" }, "invalid value for minute"],
      [{ kind: "cron", expression: "0 6 * *", timeZone: "UTC" }, "five fields"],
      [{ kind: "cron", expression: "0 6 * * *", timeZone: "Europe/Atlantis" }, "Pick a time zone"],
      [{ kind: "cron", expression: "0 6 31 2 *", timeZone: "UTC" }, "never runs"],
      [{ kind: "interval", minutes: 1.5 }, "Enter whole minutes"],
      [{ kind: "interval", minutes: 60 * 24 * 31 }, "at least every 30 days"],
      [{ kind: "daily" }, 'kind must be "interval" or "cron"'],
    ];
    for (const [schedule, words] of refusals) {
      const error = await api.tasks
        // @ts-expect-error -- the refusals include shapes the schema does not allow
        .updateSchedule({ taskId, schedule })
        .then(
          () => null,
          (e: unknown) => e as { code: string; message: string },
        );
      expect(error, JSON.stringify(schedule)).toMatchObject({ code: "BAD_REQUEST" });
      expect(error!.message, JSON.stringify(schedule)).toContain(words);
      expect(error!.message).not.toMatch(/"path"|\bschedule\.\w+\b.*Invalid/);
    }
    expect(await task()).toMatchObject({ frequencyMinutes: 1440, cronExpression: null });
    expect(await audit()).toHaveLength(0);
  });

  it("is another user's: NOT_FOUND; a viewer's: FORBIDDEN; an ended task's: CONFLICT", async () => {
    const schedule = { kind: "interval", minutes: 120 } as const;
    await expect((await callerFor(t, bob.id)).tasks.updateSchedule({ taskId, schedule })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect((await callerFor(t, viewer.id)).tasks.updateSchedule({ taskId, schedule })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await t.db.task.update({ where: { id: taskId }, data: { status: "ENDED" } });
    await expect((await callerFor(t, alice.id)).tasks.updateSchedule({ taskId, schedule })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await task()).toMatchObject({ frequencyMinutes: 1440 });
  });

  it("the engine runs the task on its cron times, across the spring DST change", async () => {
    // Saturday 2026-03-28 06:00 Berlin (05:00Z); the next day is 23 hours long.
    const t0 = new Date("2026-03-28T05:00:00Z");
    const scope = { userId: alice.id, role: "USER" as const };
    await updateSchedule(t.db, scope, { taskId, schedule: BERLIN_SIX }, null, new Date(t0.getTime() - MIN));
    expect((await task()).nextRunAt).toEqual(t0);
    const clock = new FakeClock(t0);
    const scheduler = new SchedulerEngine({ db: t.db, engine, registry: ok, clock, workerId: "w1", random: () => 0.5 });
    expect((await scheduler.runCycle())?.succeeded).toBe(1);
    expect((await task()).nextRunAt).toEqual(new Date("2026-03-29T04:00:00Z"));
    clock.current = new Date("2026-03-29T04:00:00Z");
    expect((await scheduler.runCycle())?.succeeded).toBe(1);
    expect((await task()).nextRunAt).toEqual(new Date("2026-03-30T04:00:00Z"));
  });
});
