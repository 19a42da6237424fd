/**
 * The exports of the execution logs and the scheduler events, on real databases: the rows of an export
 * are the list's rows for the same filter (property-style, over random filters, through the page's own
 * link builder and the route's handler), CSV and NDJSON read back to the same values, each caller gets
 * their own rows only (an admin everyone's), the access policy and the query string are refused in words,
 * and the body is pulled: nothing is read ahead of the client, and a client that goes away stops the walk.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskType } from "@/generated/sqlite/enums";
import { exportHref, type ExportFormat, type ExportKind } from "@/lib/export";
import { TYPE_LABELS } from "@/lib/labels";
import { EVENT_TYPE_VALUES, EXECUTION_STATUS_VALUES, TRIGGER_VALUES } from "@/lib/validation/monitoring";
import { createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { createRequestLimits } from "@/server/limits";
import { handleExport, pulledStream, type ExportDeps } from "@/server/rest/export";
import { userForApiToken } from "@/server/services/api-tokens";
import {
  exportColumns,
  exportRecords,
  guardFormula,
  resultSummary,
  type ExportRecord,
  type ExportRequest,
} from "@/server/services/export";
import type { Scope } from "@/server/services/scope";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const HOUR = 3_600_000;

/**
 * CSV read as a spreadsheet reads it: a record ends at CRLF, or at a lone LF or CR, unless quoted. So a
 * line break that the writer left unquoted splits a record here, as it would there.
 */
const parseCsv = (text: string) =>
  parse(text, { columns: true, record_delimiter: ["\r\n", "\n", "\r"] }) as Record<string, string>[];

/** Messages a CSV writer must quote, and ones a spreadsheet would take for a formula. */
const NASTY = [
  'He said "no", then left',
  "a,b,c",
  "line one\nline two",
  "crlf\r\nnext line",
  '=HYPERLINK("https://evil.example","click")',
  "+1 555 0100",
  "-2 retries left",
  "@SUM(A1:A9)",
  "\tleading tab",
  "\rleading carriage return",
  "unicode ✓ – é ü 漢字",
  "'already an apostrophe",
  " spaced ",
  'quote at the end"',
];

describe.each(testEngines())("exports of logs and events on %s", (engine) => {
  let t: TestDatabase;
  let alice: string;
  let bob: string;
  let admin: string;
  let viewer: string;
  const emails = new Map<string, string>();
  const tasksOf = new Map<string, { id: string; type: TaskType; target: string }[]>();
  let seededAt: Date;
  const highLimits = createRequestLimits({ mutations: 1_000_000, reads: 1_000_000 });
  const r = prng(18);

  const scopeOf = (userId: string): Scope => ({ userId, role: userId === admin ? "ADMIN" : "USER" });

  /** The route handler's dependencies, as the app builds them, on the test database. */
  const deps = (session: string | null, extra: Partial<ExportDeps> = {}): ExportDeps => ({
    sessionUserId: async () => session,
    tokenUserId: (token) => userForApiToken(t.db, token),
    createContext: (userId) =>
      createInnerContext({ db: t.db, engine: t.engine, sessionUserId: userId, limits: highLimits }),
    ...extra,
  });
  const get = (path: string, session: string | null, extra: Partial<ExportDeps> = {}, init: RequestInit = {}) => {
    const url = new URL(path, "http://127.0.0.1");
    const kind: ExportKind = url.pathname.endsWith("/events") ? "events" : "execution-logs";
    return handleExport(new Request(url, init), kind, deps(session, extra));
  };
  /** The ids of an export's body, read as its format says. */
  const idsOf = (format: ExportFormat, text: string) =>
    format === "csv"
      ? parseCsv(text).map((row) => Number(row.id))
      : text
          .split("\n")
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { id: number }).id);

  const caller = async (userId: string) =>
    createCaller(await createInnerContext({ db: t.db, engine: t.engine, sessionUserId: userId, limits: highLimits }));

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const made = [
      await createTestUser(t.db),
      await createTestUser(t.db),
      await createTestUser(t.db, "ADMIN"),
      await createTestUser(t.db, "VIEWER"),
    ];
    [alice, bob, admin, viewer] = made.map((u) => u.id) as [string, string, string, string];
    for (const u of made) emails.set(u.id, u.email);
    for (const userId of [alice, bob]) {
      const specs = [
        { type: "GSC_INSIGHTS", platform: "GSC" },
        { type: "BING_INSIGHTS", platform: "BING" },
        { type: "OAUTH_TOKEN_MONITORING", platform: "WIX" },
        { type: "WEBSITE_ANALYSIS", websiteUrl: `https://${userId.slice(-6)}.example/a,b?q="x"` },
      ] as const;
      const tasks = [];
      for (const spec of specs) {
        const task = await t.db.task.create({
          data: {
            userId,
            type: spec.type,
            dedupeKey: `${spec.type}:${"platform" in spec ? spec.platform : spec.websiteUrl}`,
            frequencyMinutes: 60,
            nextRunAt: new Date(Date.now() + HOUR),
            ...("platform" in spec ? { platform: spec.platform } : { websiteUrl: spec.websiteUrl }),
          },
        });
        tasks.push({ id: task.id, type: spec.type, target: "platform" in spec ? spec.platform : spec.websiteUrl });
      }
      tasksOf.set(userId, tasks);
    }
    // Times at a half hour past whole hours before now: a `days` boundary (whole hours before the moment
    // of the query, seconds later) never falls between the list's query and the export's.
    seededAt = new Date();
    const ago = (hours: number) => new Date(seededAt.getTime() - hours * HOUR - HOUR / 2);
    const results = [
      { clicks: 120, impressions: 3400, ctr: 0.035, topQuery: "shoes, red", nested: { a: 1 }, none: null },
      { outcome: "valid", platform: "GSC", expiresAt: "2026-12-01T00:00:00.000Z" },
      [1, 2, 3],
      { seoScore: 81, title: "=cmd|' /C calc'!A0", change: { previous: 80, current: 81 } },
      null,
    ];
    const logs = Array.from({ length: 240 }, () => {
      const userId = r.pick([alice, bob]);
      const task = r.pick(tasksOf.get(userId)!);
      const status = r.pick(EXECUTION_STATUS_VALUES);
      const startedAt = ago(r.int(0, 40 * 24));
      const failed = status === "FAILED" || status === "TIMED_OUT";
      const result = r.pick(results);
      return {
        taskId: task.id,
        userId,
        taskType: task.type,
        status,
        trigger: r.pick(TRIGGER_VALUES),
        attempt: r.int(1, 3),
        startedAt,
        ...(status === "RUNNING" ? {} : { finishedAt: new Date(startedAt.getTime() + 1500), durationMs: 1500 }),
        ...(failed
          ? { errorMessage: r.pick(NASTY), errorCategory: r.pick(["NETWORK_ERROR", "API_LIMIT"] as const) }
          : {}),
        ...(result === null ? {} : { result }),
      };
    });
    await t.db.executionLog.createMany({ data: logs });
    const events = Array.from({ length: 200 }, () => {
      const owner = r.chance(0.15) ? null : r.pick([alice, bob]);
      const task = owner ? r.pick(tasksOf.get(owner)!) : null;
      const type = owner ? r.pick(EVENT_TYPE_VALUES) : r.pick(["CHECK_CYCLE", "START", "STOP"] as const);
      return {
        type,
        occurredAt: ago(r.int(0, 100 * 24)),
        userId: owner,
        taskId: task?.id ?? null,
        workerId: "worker-1",
        durationMs: r.int(1, 5000),
        runStatus: type === "JOB_FAILED" ? ("FAILED" as const) : type === "JOB_COMPLETED" ? ("SUCCESS" as const) : null,
        errorMessage: type === "JOB_FAILED" ? r.pick(NASTY) : null,
        ...(task ? { data: { taskType: task.type, trigger: "MANUAL" } } : {}),
        ...(type === "CHECK_CYCLE" ? { cycleNumber: r.int(1, 99), tasksFound: 3, tasksExecuted: 2 } : {}),
      };
    });
    await t.db.schedulerEvent.createMany({ data: events });
  });
  afterAll(async () => {
    await t.drop();
  });

  /** Every id of a list procedure's pages, following its cursor to the end. */
  async function listIds(kind: ExportKind, userId: string, filter: Record<string, unknown>, limit: number) {
    const api = await caller(userId);
    const ids: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { items: { id: number }[]; nextCursor: number | null } =
        kind === "execution-logs"
          ? await api.monitoring.executionLogs({ ...filter, limit, cursor } as never)
          : await api.monitoring.eventHistory({ ...filter, limit, cursor } as never);
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return ids;
  }

  async function exportIds(request: ExportRequest, scope: Scope, pageSize: number) {
    const ids: number[] = [];
    for await (const page of exportRecords(t.db, scope, request, { pageSize }))
      ids.push(...page.map((x) => Number(x.id)));
    return ids;
  }

  it("exports exactly the list's rows, in its order, for random filters (service and route, CSV and NDJSON)", async () => {
    const allTasks = [...tasksOf.values()].flat();
    let nonEmpty = 0;
    let cases = 0;
    for (let i = 0; i < 30; i++) {
      const who = r.pick([alice, bob, admin]);
      const dates = [seededAt.getTime() - r.int(0, 45 * 24) * HOUR, seededAt.getTime() - r.int(0, 45 * 24) * HOUR].sort(
        (a, b) => a - b,
      );
      const filter = {
        ...(r.chance(0.35) ? { status: r.pick(EXECUTION_STATUS_VALUES) } : {}),
        ...(r.chance(0.3) ? { taskType: r.pick(allTasks).type } : {}),
        ...(r.chance(0.3) ? { trigger: r.pick(TRIGGER_VALUES) } : {}),
        ...(r.chance(0.25) ? { taskId: r.pick(allTasks).id } : {}),
        ...(r.chance(0.4) ? { from: new Date(dates[0]!) } : {}),
        ...(r.chance(0.4) ? { to: new Date(dates[1]!) } : {}),
      };
      const listed = await listIds("execution-logs", who, filter, r.int(7, 60));
      const exported = await exportIds({ kind: "execution-logs", filter: filter as never }, scopeOf(who), r.int(3, 50));
      const format = r.pick(["csv", "ndjson"] as const);
      const response = await get(exportHref("execution-logs", format, filter), who, { pageSize: r.int(3, 50) });
      expect(response.status).toBe(200);
      const routed = idsOf(format, await response.text());
      expect({ filter, who, exported, routed }).toEqual({ filter, who, exported: listed, routed: listed });
      if (listed.length) nonEmpty++;
      cases++;
    }
    for (let i = 0; i < 30; i++) {
      const who = r.pick([alice, bob, admin]);
      const types = [...new Set([r.pick(EVENT_TYPE_VALUES), r.pick(EVENT_TYPE_VALUES), "JOB_FAILED" as const])];
      const filter = {
        ...(r.chance(0.3) ? { type: r.pick(EVENT_TYPE_VALUES) } : {}),
        ...(r.chance(0.35) ? { types } : {}),
        days: r.pick([1, 7, 30, 90, r.int(1, 90)]),
      };
      const listed = await listIds("events", who, filter, r.int(7, 60));
      const exported = await exportIds({ kind: "events", filter: filter as never }, scopeOf(who), r.int(3, 50));
      const format = r.pick(["csv", "ndjson"] as const);
      const response = await get(exportHref("events", format, filter), who, { pageSize: r.int(3, 50) });
      expect(response.status).toBe(200);
      const routed = idsOf(format, await response.text());
      expect({ filter, who, exported, routed }).toEqual({ filter, who, exported: listed, routed: listed });
      if (listed.length) nonEmpty++;
      cases++;
    }
    console.log(`[measure] ${engine}: export = list for ${cases} random filters, ${nonEmpty} with rows`);
    expect(nonEmpty).toBeGreaterThan(cases / 2); // the filters are not all empty: the comparison says something
  });

  it("writes CSV that reads back to the NDJSON's values: quoted commas, quotes and line breaks, formulas disarmed", async () => {
    const csv = await get("/api/export/execution-logs?format=csv", admin);
    const ndjson = await get("/api/export/execution-logs?format=ndjson", admin);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(ndjson.headers.get("content-type")).toBe("application/x-ndjson");
    const csvText = await csv.text();
    const ndText = await ndjson.text();
    expect(csvText.split("\r\n")[0]).toBe(exportColumns("execution-logs", scopeOf(admin)).join(","));
    const rows = parseCsv(csvText);
    const records = ndText
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as ExportRecord);
    expect(ndText.endsWith("\n")).toBe(true);
    expect(records).toHaveLength(240);
    expect(rows).toHaveLength(240);
    // Each CSV cell is the NDJSON value as text: empty for null, a formula-like text with its apostrophe.
    const asCell = (v: ExportRecord[string]) => (v === null ? "" : typeof v === "string" ? guardFormula(v) : String(v));
    for (const [i, record] of records.entries()) {
      expect(Object.keys(rows[i]!)).toEqual(Object.keys(record));
      expect(rows[i]).toEqual(Object.fromEntries(Object.entries(record).map(([k, v]) => [k, asCell(v)])));
    }
    // ...and the NDJSON's values are the database's.
    const db = await t.db.executionLog.findMany({ orderBy: { id: "desc" }, include: { task: true } });
    expect(records.map((x) => x.id)).toEqual(db.map((l) => l.id));
    for (const [i, log] of db.entries()) {
      expect(records[i]).toEqual({
        id: log.id,
        startedAt: log.startedAt.toISOString(),
        finishedAt: log.finishedAt?.toISOString() ?? null,
        durationMs: log.durationMs,
        status: log.status,
        trigger: log.trigger,
        attempt: log.attempt,
        taskId: log.taskId,
        taskType: log.taskType,
        taskLabel: TYPE_LABELS[log.taskType],
        target: log.task.websiteUrl ?? log.task.platform,
        ownerEmail: emails.get(log.userId!),
        errorCategory: log.errorCategory,
        errorMessage: log.errorMessage,
        resultSummary: resultSummary(log.result),
      });
    }
    // Every nasty message occurs, and comes back from the CSV exactly (behind an apostrophe when formula-like).
    const messages = new Set(records.map((x) => x.errorMessage));
    for (const message of NASTY.filter((m) => messages.has(m))) {
      const row = rows.find((x, i) => records[i]!.errorMessage === message)!;
      expect(row.errorMessage).toBe(/^[=+\-@\t\r]/.test(message) ? `'${message}` : message);
    }
    expect(NASTY.filter((m) => !messages.has(m))).toEqual([]);
    expect(rows.find((x) => x.errorMessage!.startsWith("'=HYPERLINK"))).toBeDefined();
    expect(rows.find((x) => x.target!.includes('a,b?q="x"'))).toBeDefined();

    // Events: the summary in words, the same columns in both formats.
    const events = await get("/api/export/events?format=csv&days=90", admin);
    const eventRows = parseCsv(await events.text());
    const eventsNd = (await (await get("/api/export/events?format=ndjson&days=90", admin)).text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as ExportRecord);
    expect(eventRows.length).toBe(eventsNd.length);
    expect(Object.keys(eventRows[0]!)).toEqual(exportColumns("events", scopeOf(admin)));
    expect(Object.keys(eventsNd[0]!)).toEqual(exportColumns("events", scopeOf(admin)));
    const failedEvent = eventsNd.find((x) => x.type === "JOB_FAILED")!;
    expect(failedEvent.summary).toBe(
      `${TYPE_LABELS[String(failedEvent.taskType)]} failed: ${String(failedEvent.errorMessage)}`,
    );
    expect(eventsNd.some((x) => x.type === "CHECK_CYCLE" && x.userEmail === null)).toBe(true); // the system's
  });

  it("sums up a result in one line, without the JSON", () => {
    expect(resultSummary({ clicks: 12, impressions: 300, nested: { a: 1 }, topQuery: null, ok: true })).toBe(
      "clicks: 12; impressions: 300; ok: true",
    );
    expect(resultSummary([1, 2])).toBe("2 items");
    expect(resultSummary({ nested: { only: 1 } })).toBeNull();
    expect(resultSummary(null)).toBeNull();
    expect(resultSummary({ text: "x".repeat(600) })!.length).toBe(500);
  });

  it("gives each caller their own rows only; an admin everyone's and whose each is", async () => {
    const since = new Date(Date.now() - 90 * 24 * HOUR);
    const idsWhere = async (model: "log" | "event", userId?: string) =>
      (model === "log"
        ? await t.db.executionLog.findMany({ where: userId ? { userId } : {}, select: { id: true } })
        : await t.db.schedulerEvent.findMany({
            where: { occurredAt: { gte: since }, ...(userId ? { userId } : {}) },
            select: { id: true },
          })
      )
        .map((x) => x.id)
        .sort((a, b) => a - b);
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    const [aliceLogs, aliceEvents] = [new Set(await idsWhere("log", alice)), new Set(await idsWhere("event", alice))];
    for (const format of ["csv", "ndjson"] as const) {
      const logs = idsOf(format, await (await get(`/api/export/execution-logs?format=${format}`, bob)).text());
      expect(logs.filter((id) => aliceLogs.has(id))).toEqual([]);
      expect(sorted(logs)).toEqual(await idsWhere("log", bob));
      const events = idsOf(format, await (await get(`/api/export/events?format=${format}&days=90`, bob)).text());
      expect(events.filter((id) => aliceEvents.has(id))).toEqual([]);
      expect(sorted(events)).toEqual(await idsWhere("event", bob));

      const everyLog = idsOf(format, await (await get(`/api/export/execution-logs?format=${format}`, admin)).text());
      expect(sorted(everyLog)).toEqual(await idsWhere("log"));
      const everyEvent = idsOf(format, await (await get(`/api/export/events?format=${format}&days=90`, admin)).text());
      expect(sorted(everyEvent)).toEqual(await idsWhere("event")); // the system's events too
    }
    // A user's export does not name owners (they are all the caller); an admin's does.
    const bobsCsv = (await (await get("/api/export/execution-logs", bob)).text()).split("\r\n")[0]!;
    expect(bobsCsv.split(",")).not.toContain("ownerEmail");
    expect(bobsCsv.split(",")).toEqual(exportColumns("execution-logs", scopeOf(bob)));
    const bobsEvent = JSON.parse((await (await get("/api/export/events?format=ndjson", bob)).text()).split("\n")[0]!);
    expect(Object.keys(bobsEvent)).not.toContain("userEmail");
    // A viewer (read-only) may export: a read; they have no rows of their own.
    const asViewer = await get("/api/export/execution-logs?format=ndjson", viewer);
    expect({ status: asViewer.status, body: await asViewer.text() }).toEqual({ status: 200, body: "" });
    const viewerCsv = await get("/api/export/execution-logs?format=csv", viewer);
    expect(await viewerCsv.text()).toBe(`${exportColumns("execution-logs", scopeOf(viewer)).join(",")}\r\n`);
  });

  it("answers a download: headers, file name, no caching", async () => {
    const at = new Date("2026-11-30T14:05:59Z");
    const csv = await get("/api/export/execution-logs?format=csv", alice, { now: () => at });
    expect(Object.fromEntries(csv.headers)).toMatchObject({
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="execution-logs-20261130-1405.csv"',
      "cache-control": "no-store",
    });
    await csv.body?.cancel();
    const nd = await get("/api/export/events?format=ndjson", alice, { now: () => at });
    expect(nd.headers.get("content-disposition")).toBe('attachment; filename="events-20261130-1405.ndjson"');
    expect(nd.headers.get("content-type")).toBe("application/x-ndjson");
    await nd.body?.cancel();
    // No format: CSV.
    expect((await get("/api/export/events", alice)).headers.get("content-type")).toBe("text/csv; charset=utf-8");
  });

  it("refuses a query it cannot read with 400 and a sentence, never a 500", async () => {
    const cases: [string, RegExp][] = [
      ["/api/export/execution-logs?status=NOPE", /^status must be one of RUNNING, SUCCESS/],
      ["/api/export/execution-logs?from=2026-02-01&to=2026-01-01", /^The start date is after the end date$/],
      ["/api/export/execution-logs?from=yesterday", /^from must be a date$/],
      ["/api/export/execution-logs?format=xlsx", /^format must be csv or ndjson$/],
      ["/api/export/execution-logs?limit=10", /^limit is not an export parameter/],
      ["/api/export/execution-logs?cursor=10", /^cursor is not an export parameter/],
      ["/api/export/execution-logs?foo=1", /^Unknown parameter foo: this export takes format, status, taskType/],
      ["/api/export/execution-logs?status=SUCCESS&status=FAILED", /^status is given more than once$/],
      ["/api/export/execution-logs?taskId=a%00b", /NUL character/],
      ["/api/export/events?days=0", /^days must be at least 1$/],
      ["/api/export/events?days=91", /^days must be at most 90$/],
      ["/api/export/events?days=abc", /^days: Invalid input/],
      ["/api/export/events?type=NOPE", /^type must be one of START/],
      ["/api/export/events?types=JOB_FAILED,NOPE", /^type must be one of START/],
      ["/api/export/events?withTotal=true", /^withTotal is not an export parameter/],
    ];
    for (const [path, message] of cases) {
      const response = await get(path, alice);
      const body = (await response.json()) as { detail: string };
      expect({ path, status: response.status, type: response.headers.get("content-type") }).toEqual({
        path,
        status: 400,
        type: expect.stringContaining("application/json"),
      });
      expect({ path, detail: body.detail }).toEqual({ path, detail: expect.stringMatching(message) });
    }
    // Empty values are no filter; a list parameter may repeat or be comma-separated.
    expect((await get("/api/export/execution-logs?status=&taskType=", alice)).status).toBe(200);
    const repeated = await get("/api/export/events?format=ndjson&days=90&types=JOB_FAILED&types=JOB_COMPLETED", alice);
    const commas = await get("/api/export/events?format=ndjson&days=90&types=JOB_FAILED,JOB_COMPLETED", alice);
    expect(idsOf("ndjson", await repeated.text())).toEqual(idsOf("ndjson", await commas.text()));
  });

  it("authenticates like the REST facade: the session, a Bearer token (which wins), else 401; reads are rate limited", async () => {
    const signedOut = await get("/api/export/execution-logs?status=NOPE", null);
    expect(signedOut.status).toBe(401); // before the query is read
    expect(signedOut.headers.get("www-authenticate")).toBe("Bearer");
    expect(await signedOut.json()).toEqual({ detail: "Not authenticated" });
    expect((await get("/api/export/events", null)).status).toBe(401);

    const { token, id } = await (await caller(alice)).system.apiTokens.create({ name: "export" });
    const bearer = (value: string) => ({ headers: { authorization: `Bearer ${value}` } });
    // With a token, the token's user, whoever's session the request also carries.
    const byToken = await get("/api/export/execution-logs?format=ndjson", bob, {}, bearer(token));
    expect(byToken.status).toBe(200);
    const aliceIds = (await t.db.executionLog.findMany({ where: { userId: alice }, select: { id: true } })).map(
      (x) => x.id,
    );
    expect(idsOf("ndjson", await byToken.text()).sort((a, b) => a - b)).toEqual(aliceIds.sort((a, b) => a - b));
    // A wrong token is nobody, even with a session beside it.
    const wrong = await get("/api/export/execution-logs", bob, {}, bearer("sdk_not-a-token"));
    expect({ status: wrong.status, body: await wrong.json() }).toEqual({
      status: 401,
      body: { detail: "Invalid or revoked API token" },
    });
    await (await caller(alice)).system.apiTokens.revoke({ tokenId: id });
    expect((await get("/api/export/events", null, {}, bearer(token))).status).toBe(401);

    // The per-user read limit: the third read in the minute is refused, with when to come back.
    const tight = createRequestLimits({ mutations: 1, reads: 2 });
    const limited: Partial<ExportDeps> = {
      createContext: (userId) =>
        createInnerContext({ db: t.db, engine: t.engine, sessionUserId: userId, limits: tight }),
    };
    expect((await get("/api/export/events", bob, limited)).status).toBe(200);
    expect((await get("/api/export/events", bob, limited)).status).toBe(200);
    const third = await get("/api/export/events", bob, limited);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await third.json()) as { detail: string }).detail).toMatch(/^Too many requests/);
  });

  it("reads a page only when the client pulls, and stops the walk when the client goes away", async () => {
    // The stream asks for a chunk only when one is read: nothing is produced ahead.
    let produced = 0;
    let finished = false;
    async function* chunks() {
      try {
        for (let i = 0; i < 1000; i++) {
          produced++;
          yield `chunk ${i}\n`;
        }
      } finally {
        finished = true;
      }
    }
    const reader = pulledStream(chunks(), "first\n", () => undefined).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first\n");
    expect(produced).toBe(0);
    await reader.read();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBe(2);
    await reader.cancel(); // the client went away
    expect({ produced, finished }).toEqual({ produced: 2, finished: true });

    // Through the route: the request's signal aborted after the first page, no further page is read.
    const abort = new AbortController();
    const response = await get(
      "/api/export/execution-logs?format=ndjson",
      admin,
      { pageSize: 5 },
      { signal: abort.signal },
    );
    const body = response.body!.getReader();
    const first = new TextDecoder().decode((await body.read()).value);
    expect(first.trimEnd().split("\n")).toHaveLength(5);
    abort.abort();
    let more = 0;
    for (let next = await body.read(); !next.done; next = await body.read()) more += next.value.length;
    expect(more).toBe(0);

    // The service alone: an aborted signal ends the walk before its next query.
    const stop = new AbortController();
    let pages = 0;
    for await (const page of exportRecords(
      t.db,
      scopeOf(admin),
      { kind: "execution-logs", filter: {} },
      {
        pageSize: 10,
        signal: stop.signal,
      },
    )) {
      expect(page).toHaveLength(10);
      pages++;
      stop.abort();
    }
    expect(pages).toBe(1);
  });
});
