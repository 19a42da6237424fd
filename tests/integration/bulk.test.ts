/**
 * Bulk actions on a whole filter (`tasks.bulkAction`), on real databases: the preview counts what Jobs'
 * filter and search match; the action goes chunk by chunk over every matching job (not only a page),
 * each through the one-job action with its own audit entry; what does not fit is skipped with the reason;
 * another user's jobs are never touched; more than the cap is refused before anything changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { BulkActionInput } from "@/lib/validation/tasks";
import { InvalidInputError } from "@/server/errors";
import { BULK_ACTION_CHUNK, bulkAction } from "@/server/services/bulk";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

describe.each(testEngines())("bulk actions on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  const SITES = 2 * BULK_ACTION_CHUNK + 3; // more than two chunks

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    alice = await createTestUser(t.db);
    bob = await createTestUser(t.db);
    for (const owner of [alice, bob]) {
      for (let i = 0; i < SITES; i++)
        await t.db.task.create({
          data: {
            userId: owner.id,
            type: "WEBSITE_ANALYSIS",
            dedupeKey: `WEBSITE_ANALYSIS:${i}`,
            websiteUrl: `https://shop${i}.bulk.example/`,
            frequencyMinutes: 1440,
            nextRunAt: new Date(Date.now() + 86_400_000),
          },
        });
      await t.db.task.create({
        data: {
          userId: owner.id,
          type: "GSC_INSIGHTS",
          dedupeKey: "GSC_INSIGHTS:GSC",
          platform: "GSC",
          frequencyMinutes: 360,
        },
      });
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** Runs an action to the end as the page does: chunk after chunk until `next` is null. */
  async function runToEnd(userId: string, input: Omit<BulkActionInput, "confirm" | "after">) {
    const caller = await callerFor(t, userId);
    const preview = await caller.tasks.bulkAction({ ...input, confirm: false });
    let after: string | null = null;
    let calls = 0;
    const total = { done: 0, changed: 0, skipped: [] as { taskId: string; reason: string }[] };
    do {
      const step = await caller.tasks.bulkAction({ ...input, confirm: true, after });
      expect(step.done).toBeLessThanOrEqual(BULK_ACTION_CHUNK);
      total.done += step.done;
      total.changed += step.changed;
      total.skipped.push(...step.skipped);
      after = step.next;
      calls++;
    } while (after !== null);
    return { preview, calls, ...total };
  }

  it("pauses every job the search matches, in chunks, one audit entry each, and nobody else's", async () => {
    const result = await runToEnd(alice.id, { action: "pause", filter: { search: "bulk.example" } });
    expect(result.preview).toMatchObject({ confirmed: false, matched: SITES });
    expect(result.calls).toBe(3);
    expect(result).toMatchObject({ done: SITES, changed: SITES, skipped: [] });
    const paused = await t.db.task.findMany({ where: { status: "PAUSED" }, select: { userId: true, type: true } });
    expect(paused).toHaveLength(SITES);
    expect(paused.every((p) => p.userId === alice.id && p.type === "WEBSITE_ANALYSIS")).toBe(true);
    const audits = await t.db.auditLog.findMany({ where: { action: "PAUSE", actorId: alice.id } });
    expect(audits).toHaveLength(SITES);
    expect(new Set(audits.map((a) => a.taskId)).size).toBe(SITES);

    // Again: nothing fits, everything is skipped with the reason.
    const again = await runToEnd(alice.id, { action: "pause", filter: { search: "bulk.example" } });
    expect(again.changed).toBe(0);
    expect(new Set(again.skipped.map((s) => s.reason))).toEqual(new Set(["Already paused"]));
  });

  it("refuses to run a paused job and to retry one that has not failed, each skipped with the reason", async () => {
    const run = await runToEnd(alice.id, { action: "runNow", filter: { status: "PAUSED" } });
    expect(run.changed).toBe(0);
    expect(run.skipped).toHaveLength(SITES);
    expect(run.skipped[0]!.reason).toBe("Task is paused: resume it before running it");

    const resumed = await runToEnd(alice.id, { action: "resume", filter: { search: "shop1" } });
    // shop1, shop10–shop19, and so on: every match of the search, whatever their number.
    const shop1 = (await t.db.task.findMany({ where: { userId: alice.id, websiteUrl: { contains: "shop1" } } })).length;
    expect(resumed).toMatchObject({ changed: shop1, done: shop1 });

    const retried = await runToEnd(alice.id, { action: "retry", filter: { search: "shop1" } });
    expect(retried.changed).toBe(0);
    expect(retried.skipped[0]!.reason).toBe("Task has not failed: use Run now to run it anyway");

    const started = await runToEnd(alice.id, { action: "runNow", filter: { type: "GSC_INSIGHTS" } });
    expect(started).toMatchObject({ changed: 1, done: 1 });
    const gsc = await t.db.task.findFirstOrThrow({ where: { userId: alice.id, type: "GSC_INSIGHTS" } });
    expect(gsc.pendingTrigger).toBe("MANUAL");
    // Bob's jobs were never touched.
    expect(
      await t.db.task.count({
        where: { userId: bob.id, OR: [{ status: "PAUSED" }, { pendingTrigger: { not: null } }] },
      }),
    ).toBe(0);
  });

  it("refuses a filter matching more jobs than the cap before changing anything, and bad input in words", async () => {
    const scope = { userId: bob.id, role: "USER" as const };
    await expect(bulkAction(t.db, scope, { action: "pause", filter: {}, confirm: true }, SITES - 1)).rejects.toThrow(
      new InvalidInputError(
        `This filter matches more than ${SITES - 1} jobs, the most one bulk action may change: narrow the filter or the search`,
      ),
    );
    expect(await t.db.task.count({ where: { userId: bob.id, status: "PAUSED" } })).toBe(0);
    expect((await bulkAction(t.db, scope, { action: "pause", filter: {}, confirm: false }, SITES + 1)).matched).toBe(
      SITES + 1,
    );

    const caller = await callerFor(t, bob.id);
    const refused = await caller.tasks.bulkAction({ action: "explode" as never }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("BAD_REQUEST");
    expect((refused as TRPCError).message).toBe("action must be one of pause, resume, runNow, retry");
  });
});
