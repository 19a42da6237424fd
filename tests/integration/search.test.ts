/**
 * Search on real databases: the rows a search finds (Logs' `monitoring.executionLogs`, Jobs'
 * `dashboard.jobs`, the logs' export) are exactly the filtered rows whose text matches by the one
 * definition in src/lib/search.ts, over random filters and searches (property-style), for a user (their
 * own rows only) and an admin (everyone's); the index follows inserts, updates and deletes; a search the
 * index cannot serve is a BAD_REQUEST in words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Prisma } from "@/generated/sqlite/client";
import type { ExecutionStatus, Platform, TriggerKind } from "@/generated/sqlite/enums";
import type { TASK_TYPE_VALUES } from "@/lib/validation/dashboard";
import { matchesSearch } from "@/lib/search";
import { migrateDatabase, searchLabels } from "@/server/migrate";
import { exportRecords } from "@/server/services/export";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const TARGETS: { type: (typeof TASK_TYPE_VALUES)[number]; platform?: Platform; url?: string }[] = [
  { type: "GSC_INSIGHTS", platform: "GSC" },
  { type: "BING_INSIGHTS", platform: "BING" },
  { type: "OAUTH_TOKEN_MONITORING", platform: "WORDPRESS" },
  { type: "OAUTH_TOKEN_MONITORING", platform: "WIX" },
  { type: "WEBSITE_ANALYSIS", url: "https://shop.example.com/" },
  { type: "WEBSITE_ANALYSIS", url: "https://Blog.Example.org/" },
];
const ERRORS = [
  null,
  "HTTP 503: upstream unavailable",
  "Timed out after 300000 ms",
  "HTTP 429: Quota reached for today",
  'Token "refresh" was REVOKED',
  "100% of 3 retries used",
];
const RESULTS: (Prisma.InputJsonValue | null)[] = [
  null,
  { ok: true, items: 12 },
  { summary: { text: "Deep crawl finished" }, pages: 40 },
  { note: "quota_left low" },
];
/** Searches drawn from the data's words, with case, wildcards, two words and ones that find nothing. */
const SEARCHES = [
  "503",
  "timed",
  "EXAMPLE",
  "example.com",
  "wordpress",
  "gsc_insights",
  "bing_",
  "quo%reach",
  "deep crawl",
  "revoked token",
  "100%",
  "quota_left",
  "website_analysis shop",
  "network_error",
  "nothing-like-this",
  "blog.example.org 429",
  "search console",
  "Bing Webmaster",
  "website analysis",
  "oauth token wix",
  "timed out",
  "succeeded manual",
  "running",
  "active",
];

const lines = (parts: (string | null | undefined)[]) => parts.filter((p): p is string => p != null).join("\n");
/** A code (task type, platform, status, outcome) with the name people know it by, as the search text carries them. */
const LABELS = new Map(searchLabels());
const named = (code: string | null) => (code === null ? [] : [code, LABELS.get(code)]);
function stringLeaves(value: Prisma.JsonValue | null): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return (Array.isArray(value) ? value : Object.values(value)).flatMap((v) => stringLeaves(v ?? null));
}

describe.each(testEngines())("search on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  let admin: { id: string };
  const r = prng(7);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    alice = await createTestUser(t.db);
    bob = await createTestUser(t.db);
    admin = await createTestUser(t.db, "ADMIN");
    const start = Date.now() - 10 * 86_400_000;
    let n = 0;
    for (const owner of [alice, bob, admin]) {
      for (const [i, target] of TARGETS.entries()) {
        const task = await t.db.task.create({
          data: {
            userId: owner.id,
            type: target.type,
            dedupeKey: `${target.type}:${i}`,
            platform: target.platform ?? null,
            websiteUrl: target.url ?? null,
            frequencyMinutes: 60,
            failureReason: r.chance(0.4) ? r.pick(ERRORS.filter(Boolean)) : null,
          },
        });
        for (let k = 0; k < 12; k++) {
          const status = r.pick<ExecutionStatus>(["SUCCESS", "FAILED", "TIMED_OUT", "RUNNING"]);
          const log = await t.db.executionLog.create({
            data: {
              taskId: task.id,
              userId: owner.id,
              taskType: target.type,
              trigger: r.pick<TriggerKind>(["SCHEDULED", "MANUAL", "RETRY"]),
              startedAt: new Date(start + n++ * 3_600_000),
            },
          });
          // Most runs end after they start, as the engine records them: the index follows the update.
          if (status !== "RUNNING") {
            const error = status === "SUCCESS" ? null : r.pick(ERRORS);
            const result = r.pick(RESULTS);
            await t.db.executionLog.update({
              where: { id: log.id },
              data: {
                status,
                errorMessage: error,
                errorCategory: error?.includes("503") ? "NETWORK_ERROR" : null,
                ...(result === null ? {} : { result }),
              },
            });
          }
        }
      }
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** Every log's searchable text, as src/lib/search.ts describes it, read from the rows themselves. */
  async function logTexts() {
    const logs = await t.db.executionLog.findMany({
      select: {
        id: true,
        userId: true,
        status: true,
        taskType: true,
        trigger: true,
        startedAt: true,
        errorMessage: true,
        errorCategory: true,
        result: true,
        task: { select: { platform: true, websiteUrl: true } },
      },
      orderBy: { id: "desc" },
    });
    return logs.map((l) => ({
      ...l,
      text: lines([
        ...named(l.taskType),
        ...named(l.task.platform),
        ...named(l.status),
        l.trigger,
        l.task.websiteUrl,
        l.errorMessage,
        l.errorCategory,
        ...stringLeaves(l.result),
      ]),
    }));
  }

  it("finds exactly the filtered logs whose text matches, page after page, for a user and an admin", async () => {
    const all = await logTexts();
    for (let round = 0; round < 30; round++) {
      const who = r.pick([alice, bob, admin]);
      const search = r.pick(SEARCHES);
      const filter = {
        ...(r.chance(0.3) ? { status: r.pick<ExecutionStatus>(["SUCCESS", "FAILED", "TIMED_OUT", "RUNNING"]) } : {}),
        ...(r.chance(0.3) ? { taskType: r.pick(TARGETS).type } : {}),
        ...(r.chance(0.2) ? { trigger: r.pick<TriggerKind>(["SCHEDULED", "MANUAL", "RETRY"]) } : {}),
        ...(r.chance(0.2) ? { from: new Date(Date.now() - 8 * 86_400_000) } : {}),
      };
      const expected = all
        .filter((l) => who === admin || l.userId === who.id)
        .filter((l) => !filter.status || l.status === filter.status)
        .filter((l) => !filter.taskType || l.taskType === filter.taskType)
        .filter((l) => !filter.trigger || l.trigger === filter.trigger)
        .filter((l) => !filter.from || l.startedAt >= filter.from)
        .filter((l) => matchesSearch(l.text, search))
        .map((l) => l.id);
      const caller = await callerFor(t, who.id);
      const found: number[] = [];
      let cursor: number | null = null;
      let count: { total: number; capped: boolean } | null = null;
      do {
        const page = await caller.monitoring.executionLogs({ ...filter, search, limit: 7, cursor });
        count ??= page.count;
        found.push(...page.items.map((l) => l.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(found, `${search} ${JSON.stringify(filter)}`).toEqual(expected);
      expect(count).toMatchObject({ total: expected.length, capped: false });
    }
  });

  it("exports exactly what the list finds", async () => {
    const caller = await callerFor(t, alice.id);
    for (const search of ["503", "example", "quo%reach"]) {
      const listed = await caller.monitoring.executionLogs({ search, limit: 200 });
      const rows: number[] = [];
      for await (const records of exportRecords(
        t.db,
        { userId: alice.id, role: "USER" },
        { kind: "execution-logs", filter: { search } },
        { pageSize: 5 },
      ))
        rows.push(...records.map((record) => Number(record.id)));
      expect(rows).toEqual(listed.items.map((l) => l.id));
    }
  });

  it("finds exactly the filtered jobs whose text matches", async () => {
    const tasks = await t.db.task.findMany({
      select: {
        id: true,
        userId: true,
        type: true,
        platform: true,
        status: true,
        websiteUrl: true,
        failureReason: true,
      },
    });
    for (const who of [alice, admin]) {
      const caller = await callerFor(t, who.id);
      for (const search of SEARCHES) {
        const expected = tasks
          .filter((task) => who === admin || task.userId === who.id)
          .filter((task) =>
            matchesSearch(
              lines([
                ...named(task.type),
                ...named(task.platform),
                ...named(task.status),
                task.websiteUrl,
                task.failureReason,
              ]),
              search,
            ),
          )
          .map((task) => task.id)
          .sort();
        const page = await caller.dashboard.jobs({ search, limit: 200 });
        expect(page.items.map((j) => j.id).sort(), search).toEqual(expected);
      }
    }
  });

  it("follows writes: a changed error is found by its new words only, a deleted log is gone", async () => {
    const caller = await callerFor(t, bob.id);
    const [log] = (await caller.monitoring.executionLogs({ limit: 1 })).items;
    await t.db.executionLog.update({ where: { id: log!.id }, data: { errorMessage: "Zebra crossing failed" } });
    expect((await caller.monitoring.executionLogs({ search: "zebra" })).items.map((l) => l.id)).toEqual([log!.id]);
    await t.db.executionLog.update({ where: { id: log!.id }, data: { errorMessage: "Giraffe" } });
    expect((await caller.monitoring.executionLogs({ search: "zebra" })).items).toEqual([]);
    await t.db.executionLog.delete({ where: { id: log!.id } });
    expect((await caller.monitoring.executionLogs({ search: "giraffe" })).items).toEqual([]);
    const task = await t.db.task.findFirstOrThrow({ where: { userId: bob.id, websiteUrl: { not: null } } });
    await t.db.task.update({ where: { id: task.id }, data: { failureReason: "Kangaroo court" } });
    expect((await caller.dashboard.jobs({ search: "kangaroo" })).items.map((j) => j.id)).toEqual([task.id]);
    // A user never finds another user's rows, whatever they search for.
    const other = await callerFor(t, alice.id);
    expect((await other.dashboard.jobs({ search: "kangaroo" })).items).toEqual([]);
  });

  it("finds a run while it runs and once when it has finished", async () => {
    const caller = await callerFor(t, alice.id);
    const task = await t.db.task.findFirstOrThrow({ where: { userId: alice.id, websiteUrl: { not: null } } });
    const run = await t.db.executionLog.create({
      data: { taskId: task.id, userId: alice.id, taskType: task.type, startedAt: new Date() },
    });
    const found = async (search: string) =>
      (await caller.monitoring.executionLogs({ search, limit: 100 })).items.filter((l) => l.id === run.id).length;
    // Running: on PostgreSQL its text is computed on the spot (it has no search row until it ends).
    expect(await found("running")).toBe(1);
    await t.db.executionLog.update({
      where: { id: run.id },
      data: { status: "FAILED", errorMessage: "Wombat timeout", finishedAt: new Date() },
    });
    expect(await found("wombat")).toBe(1);
    expect(await found("running")).toBe(0);
  });

  it("finds runs by the names people know, and rewrites every text when those names change", async () => {
    const caller = await callerFor(t, admin.id);
    const gsc = async () => (await caller.monitoring.executionLogs({ search: "search console", limit: 200 })).items;
    const before = await gsc();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((l) => l.taskType === "GSC_INSIGHTS")).toBe(true);
    // Without the names (as if they had all changed), the texts are rewritten without them...
    await t.db.$executeRawUnsafe(`DELETE FROM "SearchLabel"`);
    await t.db.$executeRawUnsafe(`UPDATE "ExecutionLog" SET "errorMessage" = "errorMessage"`);
    expect(await gsc()).toEqual([]);
    // ...and the next migration run puts the names back and rewrites every text with them.
    await migrateDatabase(t.url);
    expect((await gsc()).map((l) => l.id)).toEqual(before.map((l) => l.id));
    expect((await caller.dashboard.jobs({ search: "google search console" })).items.length).toBeGreaterThan(0);
  });

  it("refuses a search the index cannot serve, in words", async () => {
    const caller = await callerFor(t, alice.id);
    const problem = async (search: string) => {
      try {
        await caller.monitoring.executionLogs({ search });
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe("BAD_REQUEST");
        return (error as TRPCError).message;
      }
    };
    expect(await problem("ok")).toBe('Each search word needs at least 3 characters ("ok" is too short)');
    expect(await problem("a_b%c")).toBe(
      'Each search word needs at least 3 characters in a row besides _ and % ("a_b%c" is too short)',
    );
    expect(await problem("c:\\temp")).toBe("A search cannot contain a backslash");
    expect(await problem("x".repeat(201))).toBe("Search for at most 200 characters");
    expect(await problem("   ")).toBeNull(); // blank: no search
    await expect(caller.dashboard.jobs({ search: "ab" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
