/**
 * Every tRPC procedure, fed generated hostile input (wrong types, huge strings, negative and huge
 * numbers, unicode, injection strings, unknown keys): it answers OK or a client error, never an
 * internal error, and another user's rows are untouched. FUZZ_RUNS sets the inputs per procedure.
 */
import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import { hostileStrings } from "../helpers/hostile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { createRequestLimits } from "@/server/limits";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const ADMIN_ONLY = /^(system\.(config|users)|dashboard\.cumulativeStats|monitoring\.cleanupEventLogs)/;
const CLIENT_ERRORS = new Set(["BAD_REQUEST", "NOT_FOUND", "CONFLICT"]);

/** The keys the API's schemas know, so generated objects get past "unknown key" often enough to test the values. */
const KEYS = [
  "taskId",
  "taskIds",
  "paused",
  "days",
  "limit",
  "cursor",
  "direction",
  "status",
  "taskType",
  "type",
  "trigger",
  "from",
  "to",
  "platform",
  "websiteId",
  "url",
  "role",
  "alertId",
  "apply",
  "olderThanDays",
  "dryRun",
  "range",
  "sort",
  "order",
  "name",
  "userId",
  "resetFailures",
  "tokenId",
  "filter",
  "confirm",
  "id",
  "page",
  "query",
];
const hostile = fc.oneof(
  hostileStrings([
    "' OR 1=1 --",
    '"; DROP TABLE "Task"; --',
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\u0000",
    "\ud800",
    "a\udfffb",
    "\udc00\ud800",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀",
    "__proto__",
    "constructor",
    "GSC",
    "ACTIVE",
    "http://169.254.169.254/",
    "x".repeat(100_000),
  ]),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    -1,
    0,
    1,
    2 ** 31,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    Infinity,
    -Infinity,
    Number.NaN,
  ),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: false }),
  fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.integer()), { maxLength: 5 }),
);
const input = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom(...KEYS), hostile, { maxKeys: 6 }),
  fc.constant(undefined),
);

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (error: unknown) => (error instanceof TRPCError ? error.code : `THROWN ${String(error)}`),
  );

describe.each(testEngines())("fuzzing every procedure on %s", (engine) => {
  let t: TestDatabase;
  let bob: string;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    bob = (await createTestUser(t.db)).id;
    const connection = await t.db.platformConnection.create({
      data: { userId: bob, platform: "GSC", status: "CONNECTED", siteUrls: ["https://bob.example/"] },
    });
    const task = await t.db.task.create({
      data: {
        userId: bob,
        type: "GSC_INSIGHTS",
        dedupeKey: "GSC_INSIGHTS:GSC",
        platform: "GSC",
        connectionId: connection.id,
        frequencyMinutes: 60,
        nextRunAt: new Date(Date.now() + 3_600_000),
      },
    });
    await t.db.executionLog.create({
      data: {
        taskId: task.id,
        userId: bob,
        taskType: "GSC_INSIGHTS",
        status: "SUCCESS",
        finishedAt: new Date(),
        durationMs: 5,
      },
    });
    await t.db.schedulerEvent.create({
      data: { type: "JOB_COMPLETED", userId: bob, taskId: task.id, runStatus: "SUCCESS" },
    });
    await t.db.alert.create({ data: { userId: bob, kind: "RECONNECT_REQUIRED", title: "t", message: "m" } });
    await t.db.website.create({ data: { userId: bob, url: "https://bob.example/" } });
  });
  afterAll(async () => {
    await t.drop();
  });

  const bobsRows = () =>
    Promise.all([
      t.db.task.findMany({ where: { userId: bob } }),
      t.db.executionLog.findMany({ where: { userId: bob } }),
      t.db.schedulerEvent.findMany({ where: { userId: bob } }),
      t.db.platformConnection.findMany({ where: { userId: bob } }),
      t.db.alert.findMany({ where: { userId: bob } }),
      t.db.website.findMany({ where: { userId: bob } }),
      t.db.user.findUnique({ where: { id: bob } }),
    ]);

  it(`answers ${RUNS} generated inputs per procedure with OK or a client error, and leaves another user's rows alone`, async () => {
    const alice = await createTestUser(t.db);
    const admin = await createTestUser(t.db, "ADMIN");
    const limits = createRequestLimits({ mutations: 1_000_000, reads: 1_000_000 }); // the rate limits have their own tests
    const callers = {
      user: createCaller(await createInnerContext({ db: t.db, engine: t.engine, sessionUserId: alice.id, limits })),
      admin: createCaller(await createInnerContext({ db: t.db, engine: t.engine, sessionUserId: admin.id, limits })),
    };
    const before = await bobsRows();
    const seen: Record<string, number> = {};
    let inputs = 0;
    const paths = Object.keys(appRouter._def.procedures);
    for (const path of paths) {
      const caller = ADMIN_ONLY.test(path) ? callers.admin : callers.user;
      const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
        i: unknown,
      ) => Promise<unknown>;
      try {
        await fc.assert(
          fc.asyncProperty(input, async (value) => {
            inputs++;
            const result = await outcome(fn(value));
            seen[result] = (seen[result] ?? 0) + 1;
            if (result !== "OK" && !CLIENT_ERRORS.has(result)) throw new Error(result);
          }),
          { numRuns: RUNS, seed: 20261128, endOnFailure: true },
        );
      } catch (error) {
        throw new Error(`${path}: ${(error as Error).message.slice(0, 2000)}`);
      }
    }
    console.log(
      `[measure] ${engine}: ${inputs} generated inputs over ${paths.length} procedures: ${JSON.stringify(seen)}`,
    );
    expect(inputs).toBe(RUNS * paths.length);
    expect(await bobsRows()).toEqual(before);
  }, 600_000);

  it.each([
    ["a lone surrogate half", "task\ud800"],
    ["a NUL character (PostgreSQL cannot store it)", "task\u0000"],
  ])("answers %s in any string input with BAD_REQUEST", async (_what, broken) => {
    const alice = await createTestUser(t.db);
    const caller = createCaller(await createInnerContext({ db: t.db, engine: t.engine, sessionUserId: alice.id }));
    const calls: [string, () => Promise<unknown>][] = [
      ["tasks.history", () => caller.tasks.history({ taskId: broken })],
      ["tasks.manualTrigger", () => caller.tasks.manualTrigger({ taskId: broken })],
      ["dashboard.jobs", () => caller.dashboard.jobs({ cursor: broken })],
      ["monitoring.executionLogs", () => caller.monitoring.executionLogs({ taskId: broken })],
      [
        "platform.addWebsite",
        () => caller.platform.addWebsite({ url: "https://ok.example/", role: "OWN", label: broken }),
      ],
      ["platform.removeWebsite", () => caller.platform.removeWebsite({ websiteId: broken })],
      ["platform.dismissAlert", () => caller.platform.dismissAlert({ alertId: broken })],
      ["system.apiTokens.create", () => caller.system.apiTokens.create({ name: broken })],
      ["system.apiTokens.revoke", () => caller.system.apiTokens.revoke({ tokenId: broken })],
      ["tasks.retry", () => caller.tasks.retry({ taskId: broken })],
      ["tasks.pause", () => caller.tasks.pause({ taskId: broken })],
      ["monitoring.websiteAnalysisLogs", () => caller.monitoring.websiteAnalysisLogs({ taskId: broken })],
      ["monitoring.platformInsightsLogs", () => caller.monitoring.platformInsightsLogs({ taskId: broken })],
    ];
    for (const [path, call] of calls) expect(`${path}: ${await outcome(call())}`).toBe(`${path}: BAD_REQUEST`);
  });
});
