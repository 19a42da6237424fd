/**
 * The intervention list is paginated (an admin's covers every user's tasks): pages walked with
 * `nextCursor` give exactly the tasks needing intervention, worst first (most failures in a row, then
 * the oldest failure, never-failed last, then id), with no task twice or missing, on both engines;
 * ties and missing failure times included. The summary is counted in SQL and agrees with the list.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";
import { INTERVENTION_SELECT, suggestedAction } from "@/server/services/attention";

interface Made {
  id: string;
  userId: string;
  type: string;
  consecutiveFailures: number;
  lastFailureAt: Date | null;
  failureCategory: string | null;
}

describe.each(testEngines())("the intervention list's pages on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  let admin: { id: string };
  const needing: Made[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    alice = await createTestUser(t.db);
    bob = await createTestUser(t.db);
    admin = await createTestUser(t.db, "ADMIN");
    const r = prng(19);
    const base = Date.UTC(2026, 10, 1);
    for (const owner of [alice, bob]) {
      for (let i = 0; i < 70; i++) {
        const status = r.pick(["NEEDS_INTERVENTION", "FAILED", "ACTIVE", "PAUSED"] as const);
        // Few distinct values, so ties on failures and on the failure time are common.
        const consecutiveFailures = r.int(0, 3);
        const lastFailureAt = r.chance(0.2) ? null : new Date(base + r.int(0, 4) * 3_600_000);
        const failureCategory = r.pick(["AUTH_ERROR", "NETWORK_ERROR", null] as const);
        const task = await t.db.task.create({
          data: {
            userId: owner.id,
            type: "WEBSITE_ANALYSIS",
            dedupeKey: `WEBSITE_ANALYSIS:${i}`,
            websiteUrl: `https://site${i}.pages.example/`,
            frequencyMinutes: 1440,
            status,
            consecutiveFailures,
            lastFailureAt,
            failureCategory,
            failureReason: failureCategory ? "HTTP 503" : null,
            failurePattern: r.chance(0.5) ? { consecutive: consecutiveFailures, recent: r.int(0, 9) } : undefined,
            coolOffUntil: r.chance(0.5) ? new Date(base + r.int(5, 9) * 3_600_000) : null,
            lastSuccessAt: r.chance(0.5) ? new Date(base - r.int(1, 9) * 3_600_000) : null,
            nextRunAt: r.chance(0.7) ? new Date(base + r.int(1, 9) * 3_600_000) : null,
          },
        });
        if (status === "NEEDS_INTERVENTION" || status === "FAILED")
          needing.push({
            id: task.id,
            userId: owner.id,
            type: task.type,
            consecutiveFailures,
            lastFailureAt,
            failureCategory,
          });
      }
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** The list's order, written out: what every page walk must reproduce. */
  function expected(rows: Made[]) {
    return [...rows]
      .sort(
        (a, b) =>
          b.consecutiveFailures - a.consecutiveFailures ||
          (a.lastFailureAt?.getTime() ?? Infinity) - (b.lastFailureAt?.getTime() ?? Infinity) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .map((x) => x.id);
  }

  async function walk(userId: string, limit: number) {
    const caller = await callerFor(t, userId);
    const ids: string[] = [];
    let cursor: string | null = null;
    let total: number | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof caller.tasks.needingIntervention>> = await caller.tasks.needingIntervention(
        { limit, cursor },
      );
      if (pages === 0) total = page.total;
      else expect(page.total).toBeNull(); // counted on the first page only
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { ids, total, pages };
  }

  it("walks a user's and an admin's list page by page in the one order, each task once", async () => {
    for (const limit of [1, 7, 50, 200]) {
      const mine = await walk(alice.id, limit);
      const aliceRows = needing.filter((n) => n.userId === alice.id);
      expect(mine.ids).toEqual(expected(aliceRows));
      expect(mine.total).toBe(aliceRows.length);
      const all = await walk(admin.id, limit);
      expect(all.ids).toEqual(expected(needing));
      expect(all.total).toBe(needing.length);
      expect(all.pages).toBe(Math.max(1, Math.ceil(needing.length / limit)));
    }
  });

  it("gives the default page of 50 without input, and never another user's task", async () => {
    const page = await (await callerFor(t, bob.id)).tasks.needingIntervention();
    expect(page.items.length).toBe(Math.min(50, needing.filter((n) => n.userId === bob.id).length));
    expect(page.items.every((i) => i.userId === bob.id)).toBe(true);
    expect(page.items[0]?.suggestedAction).toEqual(expect.any(String));
  });

  it("refuses a cursor it did not give and a limit out of range in words", async () => {
    const caller = await callerFor(t, alice.id);
    for (const input of [
      { cursor: "nonsense" },
      { limit: 0 },
      { limit: 201 },
      // The right shape, numbers no page of the list gives.
      { cursor: "99999999999.1.abc" },
      { cursor: "1.99999999999999999999.abc" },
    ]) {
      const error = await caller.tasks.needingIntervention(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
      expect((error as TRPCError).message).toMatch(/cursor must be a nextCursor|limit must be/);
    }
  });

  it("gives each task's fields as Prisma reads them, with the target and what to do", async () => {
    const { items } = await (await callerFor(t, admin.id)).tasks.needingIntervention({ limit: 200 });
    const rows = await t.db.task.findMany({
      where: { id: { in: items.map((i) => i.id) } },
      select: INTERVENTION_SELECT,
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(items.length).toBe(needing.length);
    for (const item of items) {
      const row = byId.get(item.id)!;
      expect(item).toEqual({ ...row, target: row.websiteUrl ?? row.platform, suggestedAction: suggestedAction(row) });
    }
    expect(items.some((i) => i.failurePattern !== null && i.coolOffUntil !== null)).toBe(true);
  });

  it("sums the summary in SQL the same as the list", async () => {
    const mine = needing.filter((n) => n.userId === alice.id);
    const summary = await (await callerFor(t, alice.id)).tasks.interventionSummary();
    const oldest = Math.min(...mine.filter((n) => n.lastFailureAt).map((n) => n.lastFailureAt!.getTime()));
    expect(summary.total).toBe(mine.length);
    expect(summary.byType).toEqual({ WEBSITE_ANALYSIS: mine.length });
    expect(summary.critical).toBe(mine.filter((n) => n.consecutiveFailures >= 5).length);
    expect(summary.requiresImmediateAttention).toBe(mine.some((n) => n.failureCategory === "AUTH_ERROR"));
    expect(summary.oldestFailureAgeMs).toBeGreaterThanOrEqual(Date.now() - oldest - 5_000);
  });
});
