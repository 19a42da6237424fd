/**
 * The REST facade (`/api/scheduler/*`) joins the fuzz suite (issue #16): every route of its table, with
 * its own method and a wrong one, fed generated hostile paths (each `{param}` a hostile string, percent-
 * encoded properly or raw and broken), query strings (its declared parameters and random ones, hostile
 * values, repeated keys) and bodies (wrong types, nesting, invalid JSON, lone surrogate escapes), each sent
 * as five callers: anonymous, a session, a Bearer token, a bad token and an admin's session. Every answer is
 * JSON with a 2xx or a client status, never a 5xx nor a throw, and another user's rows are neither changed
 * nor shown. FUZZ_RUNS sets the inputs per path (the tRPC suite's variable; here a default of 150).
 */
import fc from "fast-check";
import { hostileStrings } from "../helpers/hostile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInnerContext } from "@/server/api/trpc";
import { parseEnv } from "@/server/config/env";
import { createRequestLimits } from "@/server/limits";
import { handleFacade, ROUTES, type FacadeDeps, type RestRoute } from "@/server/rest/facade";
import { REST_TASK_TYPES } from "@/server/rest/serializers";
import { userForApiToken } from "@/server/services/api-tokens";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

/** Inputs per REST path: each is sent five times (once per caller), and a REST request does far more than a tRPC call. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** The same inputs every run, unless FUZZ_SEED asks for others. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const PREFIX = "/api/scheduler";
const ORIGIN = "http://test";
const ALLOWED = new Set([400, 401, 403, 404, 405, 409, 422, 429]);
const allowed = (status: number) => (status >= 200 && status < 300) || ALLOWED.has(status);
/** The methods the app's route handler passes to the facade. */
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
const CALLERS = ["anonymous", "session", "bearer", "bad-token", "admin"] as const;
type CallerKind = (typeof CALLERS)[number];

const env = parseEnv({ AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") });
const featuresOff = parseEnv({
  AUTH_SECRET: "x".repeat(32),
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  SCHEDULER_ENABLE_DASHBOARD: "false",
  SCHEDULER_ENABLE_MONITORING: "false",
  SCHEDULER_ENABLE_TASKS: "false",
  SCHEDULER_ENABLE_PLATFORM: "false",
});

/** Every query parameter a route declares, and the body keys the POST adapters read. */
const KNOWN_KEYS = [
  ...new Set([
    ...ROUTES.flatMap((r) => Object.keys(r.query ?? {})),
    "reset_failure_count",
    "apply",
    "dry_run",
    "days_to_keep",
    "older_than_days",
    "task_id",
    "user_id",
    "limit",
    "offset",
  ]),
];

/** Strings for paths and query strings: raw unicode, any UTF-16 (lone halves too), broken escapes, traversal. */
const hostileText = hostileStrings([
  "",
  " ",
  ".",
  "..",
  "/",
  "//",
  "../..",
  "..%2F..",
  "%2e%2e",
  "%2F",
  "%",
  "%%",
  "%Z",
  "%ZZ",
  "%E",
  "%ED%A0%80",
  "%ED%BF%BF",
  "%D8%00",
  "%C0%AF",
  "%FF%FE",
  "%00",
  "a%00b",
  "%0D%0A",
  "%09",
  "%7F",
  "%u0041",
  "\u0000",
  "\ud800",
  "a\udfffb",
  "\udc00\ud800",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀",
  "é",
  "' OR 1=1 --",
  '"; DROP TABLE "Task"; --',
  "<script>alert(1)</script>",
  "__proto__",
  "constructor",
  "toString",
  "{user_id}",
  "?",
  "#",
  "&",
  "=",
  "+",
  ";",
  "\\",
  "x".repeat(100_000),
  "%".repeat(5_000),
  "%ED%A0%80".repeat(1_000),
  "é".repeat(10_000),
]);
/** Query values: the text above and numbers an integer parameter must refuse or clamp. */
const hostileValue = fc.oneof(
  hostileText,
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.constantFrom(
    "-1",
    "0",
    "1",
    "7",
    "90",
    "500",
    "5000",
    "1000001",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1e309",
    "1e-400",
    "2147483648",
    "9007199254740993",
    "9".repeat(400),
    "0x1F",
    "0b101",
    "1.5",
    "-0",
    " 5 ",
    "true",
    "false",
    "yes",
    "off",
    "TRUE",
    "null",
    "undefined",
    "success",
    "failed",
    "job_completed",
    "lease_recovered",
  ),
);

/** A lone surrogate half as the WTF-8 bytes `%ED%A0%80` (encodeURIComponent throws on one); the rest as it does. */
function encode(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff)
      out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    else out += encodeURIComponent(ch);
  }
  return out;
}
type Encoding = "encoded" | "raw" | "double";
const encoding = fc.constantFrom<Encoding>("encoded", "encoded", "raw", "raw", "double");
const applyEncoding = (text: string, how: Encoding) =>
  how === "raw" ? text : how === "encoded" ? encode(text) : encode(encode(text));

/** A path parameter: a real id (the caller's own, another user's, a task's), a task type, or hostile text. */
type Param =
  | { kind: "self" }
  | { kind: "bob-user" }
  | { kind: "bob-task" }
  | { kind: "own-task"; index: number }
  | { kind: "task-type"; value: string }
  | { kind: "text"; value: string; how: Encoding };
const text = fc.record({ kind: fc.constant("text" as const), value: hostileText, how: encoding });
const ownTask = fc.nat(1).map((index) => ({ kind: "own-task" as const, index }));
/**
 * Each slot's values: ids where ids go. Bob's ids never go into `{task_type}`, whose 400 repeats the
 * unknown name it was given (an echo of the caller's own input, not a leak).
 */
const paramFor = (slot: string): fc.Arbitrary<Param> =>
  slot === "task_type"
    ? fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(...REST_TASK_TYPES).map((value) => ({ kind: "task-type" as const, value })),
        },
        { weight: 1, arbitrary: ownTask },
        { weight: 3, arbitrary: text },
      )
    : fc.oneof(
        { weight: slot === "user_id" ? 6 : 1, arbitrary: fc.constant({ kind: "self" as const }) },
        { weight: 1, arbitrary: fc.constant({ kind: "bob-user" as const }) },
        { weight: 1, arbitrary: fc.constant({ kind: "bob-task" as const }) },
        { weight: slot === "task_id" ? 3 : 1, arbitrary: ownTask },
        { weight: 4, arbitrary: text },
      );

/** JSON values for bodies: wrong types, huge strings, nesting, lone surrogates (JSON.stringify writes "\ud800"). */
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileValue,
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 7, 30, 90, 365, 366, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, Infinity, Number.NaN),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: false }),
  fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean()), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxKeys: 3 }),
);
const bodyText: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 6,
    arbitrary: fc
      .dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 12 })), jsonValue, { maxKeys: 5 })
      .map((o) => JSON.stringify(o)),
  },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) as string | undefined) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...KNOWN_KEYS), fc.constantFrom("\\ud800", "\\udfff", "a\\udc00b", "\\ud800\\u0000"))
      .map(([key, escape]) => `{"${key}":"${escape}"}`),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "",
      " \n\t ",
      "{",
      "}",
      "[1,",
      "nul",
      "undefined",
      "NaN",
      "{'a': 1}",
      '{"a":1}garbage',
      '{"reset_failure_count": true,}',
      "\u0000",
      "\ud800",
      "1e400",
      "-0",
      '"\\ud800"',
      "[]",
      "null",
      "true",
      '{"__proto__": {"apply": true}, "constructor": {"prototype": {}}}',
      `{"older_than_days": "${"9".repeat(10_000)}"}`,
      `{"reset_failure_count": "${"x".repeat(1_000_000)}"}`,
      "[".repeat(100_000) + "]".repeat(100_000),
      '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000),
      "a=1&apply=true",
      "--x\r\nContent-Disposition: form-data; name=apply\r\n\r\ntrue\r\n--x--",
    ),
  },
);

/** An Authorization header that is not a valid token (an unknown, malformed, revoked one), or another scheme. */
const badAuthorization = fc.oneof(
  fc.constantFrom(
    "Bearer sdk_not-a-token",
    "Bearer",
    "Bearer ",
    "bearer sdk_",
    "Basic YWxpY2U6cGFzcw==",
    "Token x",
    "",
  ),
  fc.constant("revoked"),
  fc
    .string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 })
    .map((s) => `Bearer sdk_${s}`),
  fc.constantFrom(`Bearer sdk_${"A".repeat(300)}`, `Bearer ${"é".repeat(50)}`, "Bearer \u00ff\u00fe"),
);

interface Input {
  wrongMethod: boolean;
  methodPick: number;
  params: Param[];
  shape: "exact" | "trailing-slash" | "double-slash" | "extra-segment" | "dot-dot" | "upper-case" | "no-slash";
  /** How the subpath reaches the facade: as the app's route handler cuts it from the parsed URL, or the raw string. */
  subPath: "parsed" | "raw";
  query: { key: string; keyHow: Encoding; value: string | null; valueHow: Encoding }[];
  rawQuery: string | null;
  body: string | undefined;
  contentType: string | undefined;
  origin: { header: "origin" | "referer"; value: string } | undefined;
  forwardedHost: string | undefined;
  badAuthorization: string;
  featuresOff: boolean;
  /** The deps shape: a context builder with generous rate limits, or the plain parts (this process's limits: 429s). */
  plainDeps: boolean;
}

function inputFor(route: RestRoute): fc.Arbitrary<Input> {
  const names = Object.keys(route.query ?? {});
  const key = fc.oneof(
    ...(names.length ? [{ weight: 4, arbitrary: fc.constantFrom(...names) }] : []),
    { weight: 2, arbitrary: fc.constantFrom(...KNOWN_KEYS) },
    { weight: 2, arbitrary: hostileText },
  );
  const slots = route.path
    .split("/")
    .filter((s) => s.startsWith("{"))
    .map((s) => s.slice(1, -1));
  return fc.record({
    wrongMethod: fc.nat(4).map((n) => n === 0), // a fifth of the runs
    methodPick: fc.nat(10),
    params: fc.tuple(...slots.map(paramFor)),
    shape: fc.oneof(
      { weight: 8, arbitrary: fc.constant("exact" as const) },
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          "trailing-slash",
          "double-slash",
          "extra-segment",
          "dot-dot",
          "upper-case",
          "no-slash",
        ),
      },
    ),
    subPath: fc.constantFrom("parsed", "parsed", "raw"),
    query: fc.array(
      fc.record({
        key,
        keyHow: encoding,
        value: fc.option(hostileValue, { freq: 8, nil: null }),
        valueHow: encoding,
      }),
      { maxLength: 6 },
    ),
    rawQuery: fc.option(
      fc.constantFrom("?", "?&&&", "?=", "?=&=", "?%", "?%ZZ=%ZZ", "?limit=%ED%A0%80", "?a=%D8%00&a=%DC%00", "??"),
      { freq: 10, nil: null },
    ),
    body: bodyText,
    contentType: fc.constantFrom(
      undefined,
      "application/json",
      "application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=utf-16",
    ),
    origin: fc.oneof(
      { weight: 6, arbitrary: fc.constant({ header: "origin" as const, value: ORIGIN }) },
      {
        weight: 3,
        arbitrary: fc.option(
          fc.record({
            header: fc.constantFrom("origin" as const, "referer" as const),
            value: fc.constantFrom(
              "null",
              "https://evil.example",
              "http://test.evil.example",
              "not a url",
              "http://TEST",
              "http://test:80",
              "http://test/some/page?x=1",
              "",
            ),
          }),
          { nil: undefined },
        ),
      },
    ),
    forwardedHost: fc.option(fc.constantFrom("test", "evil.example", ""), { freq: 10, nil: undefined }),
    badAuthorization,
    featuresOff: fc.nat(9).map((n) => n === 0),
    plainDeps: fc.nat(9).map((n) => n === 0),
  });
}

describe.each(testEngines())("fuzzing the REST facade on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let admin: { id: string };
  let bob: string;
  let bobTask: string;
  let bobIds: string[];
  let aliceTasks: string[];
  let token: string;
  let revoked: string;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    bob = (await createTestUser(t.db)).id;
    const connection = await t.db.platformConnection.create({
      data: { userId: bob, platform: "GSC", status: "CONNECTED", siteUrls: ["https://bob.example/"] },
    });
    bobTask = (
      await t.db.task.create({
        data: {
          userId: bob,
          type: "WEBSITE_ANALYSIS",
          websiteUrl: "https://bob.example/",
          websiteRole: "OWN",
          dedupeKey: "bob",
          frequencyMinutes: 1440,
          status: "NEEDS_INTERVENTION",
          consecutiveFailures: 3,
          failureCategory: "NETWORK_ERROR",
          failureReason: "HTTP 503",
          lastFailureAt: new Date(),
          lastOutcome: "FAILED",
          nextRunAt: new Date(Date.now() + 3_600_000),
        },
      })
    ).id;
    const log = await t.db.executionLog.create({
      data: {
        taskId: bobTask,
        userId: bob,
        taskType: "WEBSITE_ANALYSIS",
        status: "FAILED",
        finishedAt: new Date(),
        durationMs: 5,
      },
    });
    const event = await t.db.schedulerEvent.create({
      data: { type: "JOB_FAILED", userId: bob, taskId: bobTask, runStatus: "FAILED" },
    });
    const alert = await t.db.alert.create({
      data: { userId: bob, kind: "RECONNECT_REQUIRED", title: "t", message: "m" },
    });
    const website = await t.db.website.create({ data: { userId: bob, url: "https://bob.example/" } });
    bobIds = [bobTask, bob, connection.id, String(log.id), String(event.id), alert.id, website.id].filter(
      (id) => id.length >= 8, // a numeric id like "1" is in every body
    );

    alice = await createTestUser(t.db);
    admin = await createTestUser(t.db, "ADMIN");
    const api = await callerFor(t, alice.id);
    token = (await api.system.apiTokens.create({ name: "fuzz" })).token;
    const spare = await api.system.apiTokens.create({ name: "revoked" });
    await api.system.apiTokens.revoke({ tokenId: spare.id });
    revoked = spare.token;
    aliceTasks = [
      (
        await t.db.task.create({
          data: {
            userId: alice.id,
            type: "GSC_INSIGHTS",
            platform: "GSC",
            dedupeKey: "GSC_INSIGHTS:GSC",
            frequencyMinutes: 10080,
            nextRunAt: new Date(Date.now() + 3_600_000),
          },
        })
      ).id,
      (
        await t.db.task.create({
          data: {
            userId: alice.id,
            type: "WEBSITE_ANALYSIS",
            websiteUrl: "https://a.example/",
            websiteRole: "OWN",
            dedupeKey: "w",
            frequencyMinutes: 1440,
            status: "NEEDS_INTERVENTION",
            consecutiveFailures: 3,
            failureCategory: "NETWORK_ERROR",
            failureReason: "HTTP 503",
            lastFailureAt: new Date(),
            lastOutcome: "FAILED",
          },
        })
      ).id,
    ];
    await t.db.executionLog.create({
      data: { taskId: aliceTasks[0]!, userId: alice.id, taskType: "GSC_INSIGHTS", status: "SUCCESS", durationMs: 9 },
    });
    await t.db.schedulerEvent.create({
      data: { type: "JOB_COMPLETED", userId: alice.id, taskId: aliceTasks[0]!, runStatus: "SUCCESS" },
    });
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

  it(`answers ${RUNS} generated requests per REST path, as five callers, with JSON and never a 5xx`, async () => {
    const limits = createRequestLimits({ mutations: 1_000_000, reads: 1_000_000 }); // the rate limits have their own tests
    const userOf: Record<CallerKind, string | null> = {
      anonymous: null,
      session: alice.id,
      bearer: alice.id,
      "bad-token": null,
      admin: admin.id,
    };
    const before = await bobsRows();
    const bobTaskBefore = JSON.stringify(await t.db.task.findUniqueOrThrow({ where: { id: bobTask } }));
    const statuses: Record<string, number> = {};
    const problems: string[] = [];
    let problemCount = 0;
    let fiveXX = 0;
    let inputs = 0;
    let requests = 0;

    /** The path for one caller: an admin sees every task, so bob's task is swapped for one that does not exist. */
    function pathFor(route: RestRoute, input: Input, caller: CallerKind): string {
      const values = [...input.params];
      const resolve = (p: Param): string => {
        switch (p.kind) {
          case "self":
            return userOf[caller] ?? alice.id;
          case "bob-user":
            return bob;
          case "bob-task":
            return caller === "admin" ? "c000000000000000000000000" : bobTask;
          case "own-task":
            return aliceTasks[p.index]!;
          case "task-type":
            return p.value;
          case "text":
            return applyEncoding(p.value, p.how);
        }
      };
      let path = route.path
        .split("/")
        .map((s) => (s.startsWith("{") ? resolve(values.shift()!) : s))
        .join("/");
      if (input.shape === "trailing-slash") path += "/";
      else if (input.shape === "double-slash") path = path.replace("/", "//");
      else if (input.shape === "extra-segment") path += "/extra";
      else if (input.shape === "dot-dot") path += "/../" + path.split("/").pop();
      else if (input.shape === "upper-case") path = path.toUpperCase();
      else if (input.shape === "no-slash") path = path.slice(1);
      return path;
    }

    function queryFor(input: Input): string {
      if (input.rawQuery !== null) return input.rawQuery;
      if (!input.query.length) return "";
      return `?${input.query
        .map((q) => applyEncoding(q.key, q.keyHow) + (q.value === null ? "" : `=${applyEncoding(q.value, q.valueHow)}`))
        .join("&")}`;
    }

    async function send(route: RestRoute, input: Input, method: Method, caller: CallerKind) {
      const path = pathFor(route, input, caller);
      const url = `${ORIGIN}${PREFIX}${path.startsWith("/") ? "" : "/"}${path}${queryFor(input)}`;
      const headers = new Headers();
      if (caller === "bearer") headers.set("authorization", `Bearer ${token}`);
      if (caller === "bad-token")
        headers.set(
          "authorization",
          input.badAuthorization === "revoked" ? `Bearer ${revoked}` : input.badAuthorization,
        );
      if (input.origin) headers.set(input.origin.header, input.origin.value);
      if (input.forwardedHost !== undefined) headers.set("x-forwarded-host", input.forwardedHost);
      const withBody = method !== "GET" && input.body !== undefined;
      if (withBody && input.contentType) headers.set("content-type", input.contentType);
      const request = new Request(url, { method, headers, body: withBody ? input.body : undefined });
      // As src/app/api/scheduler/[...path]/route.ts cuts it (still percent-encoded), or the raw string.
      const pathname = new URL(request.url).pathname;
      const subPath =
        input.subPath === "parsed" && pathname.includes(PREFIX)
          ? pathname.slice(pathname.indexOf(PREFIX) + PREFIX.length)
          : path;
      const createContext = (userId: string | null) =>
        createInnerContext({ db: t.db, engine, scheduler: null, sessionUserId: userId, limits });
      const deps: FacadeDeps = {
        env: input.featuresOff ? featuresOff : env,
        sessionUserId: async () => (caller === "session" || caller === "admin" ? userOf[caller] : null),
        tokenUserId: (value) => userForApiToken(t.db, value),
        ...(input.plainDeps ? { db: t.db, engine, scheduler: null } : { createContext }),
      };
      const describeRequest = () =>
        `${method} ${url.length > 300 ? `${url.slice(0, 300)}… (${url.length} chars)` : url} as ${caller}` +
        ` subPath=${JSON.stringify(subPath.slice(0, 200))}` +
        (withBody ? ` body=${JSON.stringify(input.body!.slice(0, 300))}` : "") +
        (input.origin ? ` ${input.origin.header}=${input.origin.value}` : "");

      requests++;
      let status: number;
      let text: string;
      let contentType: string | null;
      let allow: string | null;
      try {
        const response = await handleFacade(request, subPath, deps);
        status = response.status;
        contentType = response.headers.get("content-type");
        allow = response.headers.get("allow");
        text = await response.text();
      } catch (error) {
        problemCount++;
        if (problems.length < 25) problems.push(`THROWN ${String(error).slice(0, 300)}: ${describeRequest()}`);
        return;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      const fail = (why: string) => {
        problemCount++;
        if (problems.length < 25) problems.push(`${why}: ${describeRequest()} → ${text.slice(0, 300)}`);
      };
      if (status >= 500) fiveXX++;
      if (!allowed(status)) fail(`status ${status}`);
      if (!contentType?.startsWith("application/json")) fail(`content-type ${contentType}`);
      try {
        JSON.parse(text);
      } catch {
        fail("not JSON");
      }
      if (status === 405 && !allow) fail("405 without Allow");
      // An admin sees everyone's tasks by design; nobody else may see a trace of bob's.
      if (caller !== "admin" && bobIds.some((id) => text.includes(id))) fail("another user's id in the answer");
    }

    const started = Date.now();
    for (const route of ROUTES) {
      const own: readonly string[] = ROUTES.filter((r) => r.path === route.path).map((r) => r.method);
      const wrong = METHODS.filter((m) => !own.includes(m));
      await fc.assert(
        fc.asyncProperty(inputFor(route), async (input) => {
          inputs++;
          const method = input.wrongMethod ? wrong[input.methodPick % wrong.length]! : route.method;
          for (const caller of CALLERS) await send(route, input, method, caller);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `[measure] ${engine}: REST fuzz: ${RUNS} inputs per REST path × ${ROUTES.length} paths = ${inputs} inputs, ` +
        `${requests} requests (${CALLERS.length} callers each) in ${seconds} s; 5xx seen: ${fiveXX}; statuses ${JSON.stringify(statuses)}`,
    );
    expect(problems, `${problemCount} problems, the first ${problems.length}:\n${problems.join("\n")}`).toEqual([]);
    expect(fiveXX).toBe(0);
    expect(inputs).toBe(RUNS * ROUTES.length);
    expect(requests).toBe(inputs * CALLERS.length);
    expect(JSON.stringify(await t.db.task.findUniqueOrThrow({ where: { id: bobTask } }))).toBe(bobTaskBefore);
    expect(await bobsRows()).toEqual(before);
  }, 600_000);

  it("answers a NUL or a lone surrogate in a path or query value with a 422 naming it (PostgreSQL refuses a NUL)", async () => {
    const call = async (method: "GET" | "POST", path: string, query = "") => {
      const request = new Request(`${ORIGIN}${PREFIX}${path}${query}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
      const response = await handleFacade(request, path, {
        db: t.db,
        engine,
        env,
        scheduler: null,
        sessionUserId: async () => null,
        tokenUserId: (value) => userForApiToken(t.db, value),
      });
      const body = (await response.json()) as { detail: { loc: string[] }[] };
      return `${response.status} ${JSON.stringify(body.detail?.map?.((d) => d.loc))}`;
    };
    const me = alice.id;
    // Past the router: "%00" is a well-formed escape; "\ud800" raw is what only a raw subpath can carry.
    expect(await call("POST", "/tasks/website_analysis/%00/manual-trigger")).toBe('422 [["path","task_id"]]');
    expect(await call("POST", "/website-analysis/retry/a%00b")).toBe('422 [["path","task_id"]]');
    expect(await call("POST", "/website-analysis/retry/a\ud800")).toBe('422 [["path","task_id"]]');
    expect(await call("GET", `/tasks-needing-intervention/${me}%00`)).toBe('422 [["path","user_id"]]');
    expect(await call("GET", `/website-analysis/logs/${me}`, "?task_id=%00")).toBe('422 [["query","task_id"]]');
    expect(await call("GET", `/platform-insights/logs/${me}`, "?task_id=x%00")).toBe('422 [["query","task_id"]]');
    expect(await call("GET", "/execution-logs", "?status=%00")).toBe('422 [["query","status"]]');
    // A broken escape is the router's 400, as before.
    expect(await call("POST", "/website-analysis/retry/%ED%A0%80")).toBe("400 undefined");
    // A task type named like an object's own property is unknown like any other name.
    for (const name of ["__proto__", "constructor", "toString"])
      expect(await call("POST", `/tasks/${name}/x/manual-trigger`)).toBe("400 undefined");
  });

  it("answers a wrong method on every path with a JSON 405 naming the allowed ones", async () => {
    for (const route of ROUTES) {
      const own: readonly string[] = ROUTES.filter((r) => r.path === route.path).map((r) => r.method);
      for (const method of METHODS.filter((m) => !own.includes(m))) {
        const path = route.path.replace(/\{[^}]+\}/g, "x");
        const response = await handleFacade(new Request(`${ORIGIN}${PREFIX}${path}`, { method }), path, {
          db: t.db,
          engine,
          env,
          scheduler: null,
          sessionUserId: async () => alice.id,
          tokenUserId: (value) => userForApiToken(t.db, value),
        });
        expect(`${method} ${route.path}: ${response.status} ${response.headers.get("allow")}`).toBe(
          `${method} ${route.path}: 405 ${own.join(", ")}`,
        );
        expect(await response.json()).toEqual({ detail: "Method Not Allowed" });
      }
    }
  });
});
