/**
 * The event history reads a page in one SQL statement (`eventHistorySql`, beside `eventHistoryWhere`).
 * Over random types, days, cursors, offsets and limits, for a user and an admin, on both engines, its
 * pages and totals must be exactly what Prisma reads through `eventHistoryWhere`, field for field
 * (dates, counters, JSON, the owner's email for an admin).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/sqlite/client";
import type { SchedulerEventType } from "@/generated/sqlite/enums";
import { EVENT_TYPE_VALUES, type EventHistoryInput } from "@/lib/validation/monitoring";
import { eventHistoryWhere } from "@/server/services/logs";
import type { Scope } from "@/server/services/scope";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const DATA: (Prisma.InputJsonValue | undefined)[] = [undefined, { a: 1 }, { nested: { list: [1, "two"] } }];

describe.each(testEngines())("the event history's SQL page on %s", (engine) => {
  let t: TestDatabase;
  const users: { id: string; role: "USER" | "ADMIN" }[] = [];
  const r = prng(2019);
  const now = new Date();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    for (const role of ["USER", "USER", "ADMIN"] as const)
      users.push({ id: (await createTestUser(t.db, role)).id, role });
    for (let i = 0; i < 240; i++) {
      const owner = r.chance(0.2) ? null : r.pick(users);
      const type = r.pick<SchedulerEventType>(EVENT_TYPE_VALUES);
      await t.db.schedulerEvent.create({
        data: {
          type,
          // Spread over 12 days, some exactly on a day boundary the filter may draw.
          occurredAt: new Date(now.getTime() - r.int(0, 12 * 24) * 3_600_000 - r.int(0, 999)),
          userId: owner?.id ?? null,
          taskId: owner ? `task-${r.int(1, 5)}` : null,
          executionLogId: r.chance(0.5) ? r.int(1, 1000) : null,
          workerId: r.chance(0.5) ? "vm:1:abc" : null,
          cycleNumber: type === "CHECK_CYCLE" ? r.int(1, 99) : null,
          tasksFound: type === "CHECK_CYCLE" ? r.int(0, 9) : null,
          tasksByType: type === "CHECK_CYCLE" ? { GSC_INSIGHTS: r.int(0, 3) } : undefined,
          jobKind: type.startsWith("JOB_") ? "ONE_TIME" : null,
          runStatus: type === "JOB_FAILED" ? "FAILED" : type === "JOB_COMPLETED" ? "SUCCESS" : null,
          durationMs: r.chance(0.5) ? r.int(1, 9000) : null,
          data: r.pick(DATA),
          errorMessage: type === "JOB_FAILED" ? "HTTP 503" : null,
        },
      });
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("gives the events and totals Prisma reads through eventHistoryWhere, for random filters and pages", async () => {
    for (let round = 0; round < 60; round++) {
      const who = r.pick(users);
      const scope: Scope = { userId: who.id, role: who.role };
      const type = r.chance(0.3) ? r.pick(EVENT_TYPE_VALUES) : undefined;
      const input: EventHistoryInput = {
        days: r.pick([1, 3, 7, 10, 90]),
        limit: r.pick([1, 5, 20, 200]),
        type,
        types: r.chance(0.3)
          ? [
              ...new Set([
                r.pick(EVENT_TYPE_VALUES),
                r.pick(EVENT_TYPE_VALUES),
                ...(type && r.chance(0.5) ? [type] : []),
              ]),
            ]
          : undefined,
        cursor: r.chance(0.3) ? r.int(1, 240) : undefined,
        offset: r.chance(0.2) ? r.int(0, 10) : undefined,
        withTotal: r.chance(0.5) ? true : undefined,
      };
      const at = new Date();
      const page = await (await callerFor(t, who.id)).monitoring.eventHistory(input);
      // Read the same page through Prisma (the window moves with the clock: read it with the same now).
      const where = eventHistoryWhere(scope, input, at);
      const rows = await t.db.schedulerEvent.findMany({
        where: { ...where, ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
        orderBy: { id: "desc" },
        skip: input.cursor ? undefined : input.offset,
        take: input.limit,
        include: { user: { select: { email: true } } },
      });
      const want = rows.map(({ user, ...e }) => ({
        ...e,
        userEmail: who.role === "ADMIN" ? (user?.email ?? null) : null,
      }));
      expect(page.items, JSON.stringify({ round, input })).toEqual(want);
      expect(page.total).toBe(input.withTotal ? await t.db.schedulerEvent.count({ where }) : null);
    }
  });

  it("walks every page of an admin's 90 days with nextCursor, each event once", async () => {
    const admin = users.find((u) => u.role === "ADMIN")!;
    const caller = await callerFor(t, admin.id);
    const ids: number[] = [];
    let cursor: number | null = null;
    do {
      const page: Awaited<ReturnType<typeof caller.monitoring.eventHistory>> = await caller.monitoring.eventHistory({
        days: 90,
        limit: 9,
        cursor,
      });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await t.db.schedulerEvent.findMany({ orderBy: { id: "desc" }, select: { id: true } });
    expect(ids).toEqual(all.map((e) => e.id));
  });
});
