/**
 * The REST facade against the ORIGINAL system's contract (tests/rest/original-contract.ts): on real
 * SQLite and PostgreSQL databases with seeded data (every list non-empty), every endpoint of both
 * versions of the original is called and its body validated with that version's response model; then
 * the router's and the access pipeline's answers: 405 for a known path with another method, 404 for an
 * unknown path, 400 for a malformed percent-encoding, 422 (FastAPI's body) for a value the original
 * would refuse, 401 signed out, 403 for a viewer's POST and an admin path, 404 for another user's ids.
 *
 * Where the two versions' models cannot both hold for one path, the facade keeps the version the
 * original frontend reads, and `DEVIATIONS` names each place, with why, and the one field relaxed.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseEnv } from "@/server/config/env";
import { handleFacade, ROUTES } from "@/server/rest/facade";
import { countRun } from "@/server/scheduler/stats";
import { hashApiToken } from "@/server/services/api-tokens";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import {
  FastApiValidationErrorBody,
  HttpErrorBody,
  METHOD_NOT_ALLOWED,
  NOT_FOUND,
  originalEndpoints,
  SchedulerEvent,
  SystemMetricsV2,
  TaskInterventionInfo,
  TasksNeedingInterventionV2,
  WebsiteAnalysisRetryV1,
  WebsiteAnalysisRetryV2,
  type OriginalEndpoint,
} from "../rest/original-contract";

const env = parseEnv({ AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") });

/**
 * The places where one answer cannot satisfy both versions' models (or would have to say something
 * untrue): the facade answers as described, and only the named field of that version's model is relaxed.
 */
const DEVIATIONS: Record<string, { why: string; schema: z.ZodType }> = {
  "2 GET /tasks-needing-intervention/{user_id}": {
    why: "task_type of a Search Console/Bing task: version 1 (the frontend's) says gsc_insights/bing_insights, version 2 platform_insights",
    schema: TasksNeedingInterventionV2.extend({
      tasks: z.array(
        TaskInterventionInfo.extend({
          task_type: z.union([TaskInterventionInfo.shape.task_type, z.enum(["gsc_insights", "bing_insights"])]),
        }),
      ),
    }),
  },
  "2 POST /website-analysis/retry/{task_id}": {
    why: "the message: version 1 (the frontend's) '… scheduled for immediate execution', version 2 '… scheduled for retry'",
    schema: WebsiteAnalysisRetryV2.extend({ message: WebsiteAnalysisRetryV1.shape.message }),
  },
  "2 GET /metrics": {
    why: "version 2's note said metrics were 'to be implemented in future release'; ours are (metrics_available: true)",
    schema: SystemMetricsV2.extend({ note: z.string().min(1) }),
  },
};

/** Lists that must not be empty in each answer (dotted paths), so a schema is never checked on `[]` only. */
const NON_EMPTY: Record<string, string[]> = {
  "/dashboard": ["jobs"],
  "/jobs": ["jobs"],
  "/execution-logs": ["logs"],
  "/event-history": ["events"],
  "/recent-scheduler-logs": ["logs"],
  "/tasks-needing-intervention/{user_id}": ["tasks"],
  "/platform-insights/status/{user_id}": ["gsc_tasks", "bing_tasks"],
  "/platform-insights/logs/{user_id}": ["logs"],
  "/website-analysis/status/{user_id}": ["data.user_website_tasks", "data.competitor_tasks"],
  "/website-analysis/logs/{user_id}": ["logs"],
};
const at = (body: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), body);

/** Paths only an admin may use here (the original let anyone). */
const ADMIN_PATHS = new Set(["/cleanup-event-logs", "/dashboard/cumulative-stats/reconcile", "/config"]);

describe.each(testEngines())("the original's REST contract on %s", (engine) => {
  let t: TestDatabase;
  const users = {} as Record<"alice" | "bob" | "admin" | "viewer", { id: string; token: string }>;
  const tasks = {} as Record<string, string>;
  const retryTargets: Record<1 | 2, string> = { 1: "", 2: "" };
  let bobTask = "";
  let revoked = "";

  async function call(
    method: string,
    path: string,
    options: { as?: keyof typeof users; token?: string; body?: unknown; rawBody?: string } = {},
  ) {
    const token = options.token ?? (options.as ? users[options.as].token : undefined);
    const url = `http://test/api/scheduler${path}`;
    const body =
      method === "GET"
        ? undefined
        : (options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)));
    const request = new Request(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body,
    });
    const response = await handleFacade(request, path.split("?")[0]!, {
      db: t.db,
      engine,
      env,
      scheduler: null,
      sessionUserId: async () => null,
      tokenUserId: async (value) => Object.values(users).find((u) => u.token === value)?.id ?? null,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as unknown };
  }

  async function user(name: keyof typeof users, role: "USER" | "ADMIN" | "VIEWER") {
    const row = await createTestUser(t.db, role);
    const token = `sdk_${name}_${randomBytes(16).toString("hex")}`;
    await t.db.apiToken.create({
      data: { userId: row.id, name, tokenHash: hashApiToken(token), prefix: token.slice(0, 10) },
    });
    users[name] = { id: row.id, token };
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    await user("alice", "USER");
    await user("bob", "USER");
    await user("admin", "ADMIN");
    await user("viewer", "VIEWER");
    revoked = `sdk_revoked_${randomBytes(8).toString("hex")}`;
    const uid = users.alice.id;
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms);
    const HOUR = 3_600_000;
    const WEEK = 7 * 24 * 60;

    const [gsc, bing] = [
      await t.db.platformConnection.create({
        data: {
          userId: uid,
          platform: "GSC",
          siteUrls: ["https://shop.example/"],
          selectedSiteUrl: "https://shop.example/",
        },
      }),
      await t.db.platformConnection.create({ data: { userId: uid, platform: "BING", status: "CONNECTED" } }),
    ];
    const own = await t.db.website.create({ data: { userId: uid, url: "https://blog.shop.example.co.uk/" } });
    const rival = await t.db.website.create({
      data: { userId: uid, url: "https://www.rival.example/", role: "COMPETITOR" },
    });
    const task = (data: Parameters<typeof t.db.task.create>[0]["data"]) =>
      t.db.task.create({ data: { userId: uid, ...data } as typeof data }).then((r) => r.id);
    const failurePattern = (category: string, message: string) => ({
      consecutive: 3,
      recent: 4,
      lastFailureAt: ago(HOUR).toISOString(),
      errorPatterns: [{ pattern: message, category, count: 3 }],
    });

    tasks.oauthGsc = await task({
      type: "OAUTH_TOKEN_MONITORING",
      platform: "GSC",
      connectionId: gsc.id,
      dedupeKey: "OAUTH_TOKEN_MONITORING:GSC",
      frequencyMinutes: WEEK,
      nextRunAt: new Date(now + 24 * HOUR),
      lastRunAt: ago(HOUR),
      lastSuccessAt: ago(HOUR),
      lastOutcome: "SUCCESS",
    });
    // A run asked for once and not started yet: a one-time job.
    tasks.oauthBing = await task({
      type: "OAUTH_TOKEN_MONITORING",
      platform: "BING",
      connectionId: bing.id,
      dedupeKey: "OAUTH_TOKEN_MONITORING:BING",
      frequencyMinutes: WEEK,
      nextRunAt: new Date(now),
      pendingTrigger: "MANUAL",
    });
    tasks.gsc = await task({
      type: "GSC_INSIGHTS",
      platform: "GSC",
      connectionId: gsc.id,
      dedupeKey: "GSC_INSIGHTS:GSC",
      frequencyMinutes: WEEK,
      nextRunAt: new Date(now + HOUR),
      lastRunAt: ago(2 * HOUR),
      lastSuccessAt: ago(2 * HOUR),
      lastOutcome: "SUCCESS",
    });
    tasks.bing = await task({
      type: "BING_INSIGHTS",
      platform: "BING",
      connectionId: bing.id,
      dedupeKey: "BING_INSIGHTS:BING",
      frequencyMinutes: WEEK,
      status: "NEEDS_INTERVENTION",
      nextRunAt: new Date(now + 6 * HOUR),
      coolOffUntil: new Date(now + 6 * HOUR),
      lastRunAt: ago(HOUR),
      lastFailureAt: ago(HOUR),
      lastOutcome: "FAILED",
      consecutiveFailures: 3,
      failureCategory: "API_LIMIT",
      failureReason: "HTTP 429: quota exceeded",
      failurePattern: failurePattern("API_LIMIT", "HTTP <n>: quota exceeded"),
    });
    tasks.own = await task({
      type: "WEBSITE_ANALYSIS",
      websiteId: own.id,
      websiteUrl: own.url,
      websiteRole: "OWN",
      dedupeKey: `WEBSITE_ANALYSIS:${own.url}`,
      frequencyMinutes: 24 * 60,
      nextRunAt: new Date(now + 12 * HOUR),
      lastRunAt: ago(HOUR),
      lastSuccessAt: ago(HOUR),
      lastOutcome: "SUCCESS",
    });
    tasks.rival = await task({
      type: "WEBSITE_ANALYSIS",
      websiteId: rival.id,
      websiteUrl: rival.url,
      websiteRole: "COMPETITOR",
      dedupeKey: `WEBSITE_ANALYSIS:${rival.url}`,
      frequencyMinutes: 10 * 24 * 60,
      status: "NEEDS_INTERVENTION",
      nextRunAt: new Date(now + 3 * HOUR),
      coolOffUntil: new Date(now + 3 * HOUR),
      lastFailureAt: ago(HOUR),
      lastOutcome: "TIMED_OUT",
      consecutiveFailures: 3,
      failureCategory: "TIMEOUT",
      failureReason: "The site did not answer within 30 s",
      failurePattern: failurePattern("TIMEOUT", "The site did not answer within <n> s"),
    });
    for (const v of [1, 2] as const)
      retryTargets[v] = await task({
        type: "WEBSITE_ANALYSIS",
        websiteUrl: `https://old-${v}.shop.example/`,
        websiteRole: "OWN",
        dedupeKey: `WEBSITE_ANALYSIS:https://old-${v}.shop.example/`,
        frequencyMinutes: 7 * 24 * 60,
        status: "FAILED",
        lastFailureAt: ago(HOUR),
        lastOutcome: "FAILED",
        consecutiveFailures: 1,
        failureCategory: "CONFIG_ERROR",
        failureReason: "robots.txt forbids fetching the page",
      });
    bobTask = (
      await t.db.task.create({
        data: {
          userId: users.bob.id,
          type: "GSC_INSIGHTS",
          platform: "GSC",
          dedupeKey: "GSC_INSIGHTS:GSC",
          frequencyMinutes: WEEK,
          nextRunAt: new Date(now + HOUR),
        },
      })
    ).id;

    const runs = [
      { taskId: tasks.oauthGsc, taskType: "OAUTH_TOKEN_MONITORING", status: "SUCCESS", result: { valid: true } },
      { taskId: tasks.gsc, taskType: "GSC_INSIGHTS", status: "SUCCESS", result: { clicks: 5 }, dataSource: "api" },
      { taskId: tasks.gsc, taskType: "GSC_INSIGHTS", status: "SKIPPED", result: null, dataSource: "cached" },
      { taskId: tasks.bing, taskType: "BING_INSIGHTS", status: "FAILED", result: null, errorMessage: "HTTP 429" },
      { taskId: tasks.own, taskType: "WEBSITE_ANALYSIS", status: "SUCCESS", result: { seoScore: 81 } },
      { taskId: tasks.own, taskType: "WEBSITE_ANALYSIS", status: "SUCCESS", result: [1, 2] }, // not an object
      { taskId: tasks.rival, taskType: "WEBSITE_ANALYSIS", status: "TIMED_OUT", result: null, errorMessage: "timeout" },
      { taskId: tasks.rival, taskType: "WEBSITE_ANALYSIS", status: "RUNNING", result: null },
    ] as const;
    for (const [i, r] of runs.entries()) {
      const run = {
        taskId: r.taskId,
        userId: uid,
        taskType: r.taskType,
        status: r.status,
        startedAt: ago((runs.length - i) * HOUR),
        durationMs: r.status === "RUNNING" ? null : 100 + i,
        result: r.result ?? undefined,
        errorMessage: "errorMessage" in r ? r.errorMessage : null,
        dataSource: "dataSource" in r ? r.dataSource : null,
      };
      await t.db.executionLog.create({ data: run });
      if (r.status !== "RUNNING") await t.db.$transaction((tx) => countRun(tx, run));
    }
    await t.db.schedulerEvent.createMany({
      data: [
        { type: "START", workerId: "w1", occurredAt: ago(10 * HOUR), data: { pollMs: 1000 } },
        {
          type: "CHECK_CYCLE",
          workerId: "w1",
          occurredAt: ago(9 * HOUR),
          cycleNumber: 1,
          checkIntervalMs: 1000,
          tasksFound: 2,
          tasksExecuted: 2,
          tasksFailed: 1,
          tasksSkipped: 0,
          tasksByType: { GSC_INSIGHTS: 1, BING_INSIGHTS: 1 },
          durationMs: 30,
          activeExecutions: 0,
        },
        { type: "CHECK_CYCLE", workerId: "w0", occurredAt: ago(200 * 24 * HOUR), cycleNumber: 1, durationMs: 12 },
        {
          type: "JOB_SCHEDULED",
          userId: uid,
          taskId: tasks.gsc,
          jobKind: "ONE_TIME",
          occurredAt: ago(8 * HOUR),
          data: { trigger: "MANUAL", by: uid },
        },
        {
          type: "JOB_COMPLETED",
          userId: uid,
          taskId: tasks.gsc,
          jobKind: "RECURRING",
          runStatus: "SUCCESS",
          durationMs: 120,
          occurredAt: ago(7 * HOUR),
          data: { taskType: "GSC_INSIGHTS" },
        },
        {
          type: "JOB_FAILED",
          userId: uid,
          taskId: tasks.bing,
          jobKind: "RECURRING",
          runStatus: "FAILED",
          durationMs: 300,
          errorMessage: "HTTP 429",
          occurredAt: ago(6 * HOUR),
          data: { taskType: "BING_INSIGHTS" },
        },
        { type: "JOB_CANCELLED", userId: uid, taskId: tasks.own, jobKind: "ONE_TIME", occurredAt: ago(5 * HOUR) },
        { type: "TASK_COOLED_OFF", userId: uid, taskId: tasks.bing, occurredAt: ago(5 * HOUR), data: { hours: 6 } },
      ],
    });
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** A concrete request for an endpoint of the original, as its own frontend or client would send it. */
  function requestFor(e: OriginalEndpoint) {
    const as: keyof typeof users = ADMIN_PATHS.has(e.path) ? "admin" : "alice";
    const path = e.path
      .replace("{user_id}", users[as].id)
      .replace("{task_type}", "gsc_insights")
      .replace("{task_id}", e.path.startsWith("/website-analysis/retry") ? retryTargets[e.version] : tasks.gsc!);
    const query: Record<string, string> = {
      "1 GET /event-history": "?limit=100&offset=0",
      "2 GET /event-history": "?limit=50&offset=0&days=30",
      "1 GET /execution-logs": "?limit=50&offset=0",
      "2 GET /execution-logs": "?limit=500&offset=0",
      "1 POST /cleanup-event-logs": "?days_to_keep=90",
      "2 POST /cleanup-event-logs": "?older_than_days=30&dry_run=true",
      "1 GET /platform-insights/logs/{user_id}": "?limit=10",
      "2 GET /platform-insights/logs/{user_id}": "?limit=50&offset=0",
      "1 GET /website-analysis/logs/{user_id}": "?limit=10&offset=0",
    };
    const body =
      e.version === 2 && e.path === "/website-analysis/retry/{task_id}"
        ? { task_id: retryTargets[2], reset_failure_count: false }
        : undefined;
    return { as, path: path + (query[`${e.version} ${e.method} ${e.path}`] ?? ""), body };
  }

  it("answers an admin's system-wide views in both versions' models too", async () => {
    for (const path of ["/dashboard", "/event-history?days=30", "/execution-logs", "/recent-scheduler-logs"]) {
      const answer = await call("GET", path, { as: "admin" });
      for (const e of [...originalEndpoints(1), ...originalEndpoints(2)].filter((x) => x.path === path.split("?")[0]))
        expect({ key: `${e.version} ${e.path}`, ok: e.response.safeParse(answer.body).success }).toEqual({
          key: `${e.version} ${e.path}`,
          ok: true,
        });
    }
    // The system's events (check cycles, a worker starting) are an admin's: in the original's event model.
    const events = (await call("GET", "/event-history?days=30", { as: "admin" })).body as { events: unknown[] };
    const types = events.events.map((e) => SchedulerEvent.parse(e).event_type);
    expect(types).toEqual(expect.arrayContaining(["check_cycle", "start", "job_completed"]));
    expect(types).not.toContain("task_cooled_off"); // ours: listed only when asked for by name
    const cycle = events.events.map((e) => SchedulerEvent.parse(e)).find((e) => e.event_type === "check_cycle")!;
    expect(cycle).toMatchObject({ check_interval_minutes: 1, tasks_by_type: { gsc_insights: 1, bing_insights: 1 } });
    const ours = (await call("GET", "/event-history?event_type=task_cooled_off", { as: "alice" })).body;
    expect(ours).toMatchObject({ total_count: 1, events: [{ event_type: "task_cooled_off" }] });
  });

  it("keeps the original's semantics the frontend relies on", async () => {
    const uid = users.alice.id;
    const jobs = (await call("GET", "/jobs", { as: "alice" })).body;
    expect(jobs).toMatchObject({ total_jobs: 2, recurring_jobs: 1, one_time_jobs: 1 });
    const dashboard = (await call("GET", "/dashboard", { as: "alice" })).body as {
      jobs: { id: string; user_job_store: string; frequency?: string }[];
      stats: Record<string, unknown>;
    };
    expect(dashboard.jobs.map((j) => j.id)).toEqual(
      expect.arrayContaining([
        "check_due_tasks",
        `oauth_token_monitoring_gsc_${uid}`,
        `platform_insights_bing_${uid}`,
        `website_analysis_competitor_${uid}_${tasks.rival}`,
      ]),
    );
    // §4.9: the second-level label of the user's own site (blog.shop.example.co.uk → example).
    expect(dashboard.jobs.find((j) => j.id === `platform_insights_gsc_${uid}`)).toMatchObject({
      user_job_store: "example",
      frequency: "Weekly",
    });
    expect(dashboard.stats).toMatchObject({
      check_interval_minutes: 1,
      min_check_interval_minutes: 1,
      max_check_interval_minutes: 1,
      last_interval_adjustment: null,
      active_strategies_count: 4,
    });
    const recent = (await call("GET", "/recent-scheduler-logs", { as: "alice" })).body as {
      logs: { event_type: string; task_id: null; user_id: string; job_id: string }[];
    };
    expect(recent.logs.map((l) => l.event_type)).not.toContain("job_cancelled");
    expect(recent.logs.every((l) => l.task_id === null && l.user_id === uid && l.job_id)).toBe(true);
    const logs = (await call("GET", "/execution-logs?status=failed", { as: "alice" })).body as {
      logs: { status: string; execution_status: string }[];
    };
    expect(logs.logs.map((l) => [l.status, l.execution_status])).toEqual([["failed", "failed"]]);
    const insights = (await call("GET", `/platform-insights/logs/${uid}?limit=1`, { as: "alice" })).body;
    expect(insights).toMatchObject({ total_count: 3, logs: [{}] }); // the full count, not the page's size
    const sites = (await call("GET", `/website-analysis/status/${uid}`, { as: "alice" })).body;
    expect(sites).toMatchObject({
      data: {
        competitor_tasks: [{ competitor_id: "rival.example", frequency_days: 10, status: "needs_intervention" }],
      },
    });
    const intervention = (await call("GET", `/tasks-needing-intervention/${uid}`, { as: "alice" })).body as {
      tasks: { task_id: string; task_type: string; failure_pattern: { failure_reason: string } }[];
    };
    expect(intervention.tasks.find((x) => x.task_id === tasks.rival)).toMatchObject({
      failure_pattern: { failure_reason: "network_error" }, // a timeout, in the original's five reasons
    });
    // Pages beyond the procedures' 200 rows, and the first version's cleanup default (90 days, deletes).
    const many = (await call("GET", "/event-history?limit=1000", { as: "admin" })).body;
    expect(many).toMatchObject({ limit: 1000, has_more: false });
    const cleanup = await call("POST", "/cleanup-event-logs", { as: "admin", body: {} });
    expect(cleanup).toMatchObject({ status: 200, body: { dry_run: false, statistics: { retention_days: 90 } } });
  });

  for (const version of [1, 2] as const) {
    it(`answers every endpoint of the original's version ${version} in that version's model`, async () => {
      const endpoints = originalEndpoints(version);
      expect(endpoints.length).toBe(version === 1 ? 14 : 22);
      const failures: unknown[] = [];
      for (const e of endpoints) {
        const key = `${e.version} ${e.method} ${e.path}`;
        const { as, path, body } = requestFor(e);
        const answer = await call(e.method, path, { as, body });
        const schema = DEVIATIONS[key]?.schema ?? e.response;
        const parsed = schema.safeParse(answer.body);
        const empty = (NON_EMPTY[e.path] ?? []).filter((p) => !(at(answer.body, p) as unknown[] | undefined)?.length);
        if (answer.status !== 200 || !parsed.success || empty.length)
          failures.push({
            key,
            status: answer.status,
            issues: parsed.success ? [] : parsed.error.issues.slice(0, 5),
            empty,
            body: answer.status !== 200 ? answer.body : undefined,
          });
      }
      expect(failures).toEqual([]);
      console.log(`[measure] ${engine}: original contract v${version}: ${endpoints.length} endpoints validated`);
    });
  }

  it("answers 405 to a known path with another method, 404 to an unknown path, 400 to a malformed one", async () => {
    let cases = 0;
    for (const route of ROUTES) {
      const path = route.path.replace(/\{[a-z_]+\}/g, "x");
      const other = route.method === "GET" ? "POST" : "GET";
      const answer = await call(other, path, { as: "alice" });
      expect({ key: `${other} ${path}`, ...answer }).toEqual({ key: `${other} ${path}`, ...METHOD_NOT_ALLOWED });
      cases++;
    }
    for (const version of [1, 2] as const)
      for (const e of originalEndpoints(version)) {
        const path = e.path.replace(/\{[a-z_]+\}/g, "x");
        const other = e.method === "GET" ? "POST" : "GET";
        expect((await call(other, path, { as: "alice" })).status).toBe(405);
        cases++;
      }
    for (const path of ["/nope", "/dashboard/extra", "/tasks/gsc_insights/x", "/"]) {
      expect(await call("GET", path, { as: "alice" })).toEqual(NOT_FOUND);
      cases++;
    }
    for (const path of ["/tasks-needing-intervention/%E0%A4%A", "/dashboard%", "/platform-insights/logs/%zz"]) {
      const answer = await call("GET", path, { as: "alice" });
      expect({ path, status: answer.status, body: HttpErrorBody.safeParse(answer.body).success }).toEqual({
        path,
        status: 400,
        body: true,
      });
      cases++;
    }
    console.log(`[measure] ${engine}: REST router answers: ${cases} cases`);
  });

  it("pages GET /dashboard's jobs for an administrator: every job once, counts of all pages, each owner's label on every page", async () => {
    type Page = {
      jobs: { id: string; user_id?: string | null; user_job_store: string }[];
      job_count: number;
      recurring_jobs: number;
      has_more: boolean;
      next_cursor: string | null;
    };
    const whole = (await call("GET", "/dashboard", { as: "admin" })).body as Page;
    expect(whole).toMatchObject({ has_more: false, next_cursor: null });
    expect(whole.job_count).toBe(whole.jobs.length);
    expect(whole.jobs.length).toBeGreaterThan(4); // alice's and bob's, so pages of 2 cross owners

    const seen: Page["jobs"] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const page = (await call("GET", `/dashboard${query}`, { as: "admin" })).body as Page;
      expect(page.job_count).toBe(whole.job_count);
      expect(page.recurring_jobs).toBe(whole.job_count);
      // The scheduler's own loop on the first page only; two of the tasks on each.
      expect(page.jobs.filter((j) => j.id === "check_due_tasks")).toHaveLength(pages === 0 ? 1 : 0);
      expect(page.jobs.filter((j) => j.id !== "check_due_tasks").length).toBeLessThanOrEqual(2);
      seen.push(...page.jobs);
      cursor = page.has_more ? page.next_cursor : null;
      expect(page.has_more).toBe(page.next_cursor !== null);
      pages++;
    } while (cursor && pages < 50);
    expect(pages).toBeGreaterThan(2);
    // The same jobs, in the same order, with the same label, as the one page.
    expect(seen.map((j) => [j.id, j.user_job_store])).toEqual(whole.jobs.map((j) => [j.id, j.user_job_store]));
    expect(seen.filter((j) => j.user_job_store === "example").length).toBeGreaterThan(1);

    // A user's pages hold only their jobs, and their label does not depend on the page.
    const alicePage = (await call("GET", "/dashboard?limit=1", { as: "alice" })).body as Page;
    expect(alicePage.jobs.filter((j) => j.id !== "check_due_tasks").map((j) => j.user_job_store)).toEqual(["example"]);
  });

  it("answers 422 in FastAPI's shape to values the original refused, with a human message for the retention floor", async () => {
    const uid = users.alice.id;
    for (const [method, path, as] of [
      ["GET", "/event-history?event_type=not_a_type", "alice"],
      ["GET", "/event-history?days=0", "alice"],
      ["GET", "/event-history?limit=1001", "alice"],
      ["GET", "/execution-logs?limit=0", "alice"],
      ["GET", "/dashboard?limit=0", "admin"],
      ["GET", "/dashboard?limit=201", "admin"],
      ["GET", "/execution-logs?status=done", "alice"],
      ["GET", `/platform-insights/logs/${uid}?limit=101`, "alice"],
      ["GET", `/website-analysis/logs/${uid}?offset=-1`, "alice"],
      ["POST", "/cleanup-event-logs?days_to_keep=3", "admin"],
      ["POST", "/cleanup-event-logs?dry_run=maybe", "admin"],
    ] as const) {
      const answer = await call(method, path, { as });
      expect({ path, status: answer.status, ok: FastApiValidationErrorBody.safeParse(answer.body).success }).toEqual({
        path,
        status: 422,
        ok: true,
      });
    }
    expect((await call("GET", "/event-history?event_type=bogus", { as: "alice" })).body).toMatchObject({
      detail: [{ loc: ["query", "event_type"] }],
    });
    expect((await call("POST", "/cleanup-event-logs?days_to_keep=3", { as: "admin" })).body).toMatchObject({
      detail: [{ loc: ["query", "days_to_keep"], msg: expect.stringMatching(/^Keep at least 7 days of events/) }],
    });
    expect((await call("POST", "/cleanup-event-logs", { as: "admin", rawBody: "{not json" })).status).toBe(422);
    expect(await call("POST", `/tasks/not_a_type/${tasks.gsc}/manual-trigger`, { as: "alice" })).toMatchObject({
      status: 400,
      body: { detail: "Unknown task type: not_a_type" },
    });
  });

  it("refuses the signed-out (401), a viewer's POSTs and non-admins on admin paths (403), and other users' ids (404)", async () => {
    const fill = (template: string, who: string) =>
      template
        .replace("{user_id}", who)
        .replace("{task_type}", "gsc_insights")
        .replace("{task_id}", template.includes("retry") ? retryTargets[1] : tasks.gsc!);
    let cases = 0;
    for (const route of ROUTES) {
      const path = fill(route.path, users.alice.id);
      if (route.access !== "public") {
        for (const token of [undefined, revoked]) {
          const answer = await call(route.method, path, { token });
          expect({ path, token: Boolean(token), ...answer }).toEqual({
            path,
            token: Boolean(token),
            status: 401,
            body: { detail: token ? "Invalid or revoked API token" : "Not authenticated" },
          });
          cases++;
        }
      } else {
        expect((await call(route.method, path)).status).toBeLessThan(500);
        cases++;
      }
      if (route.method === "POST") {
        const own = await call(route.method, fill(route.path, users.viewer.id), { as: "viewer", body: {} });
        expect({ path, viewer: own.status, body: HttpErrorBody.safeParse(own.body).success }).toEqual({
          path,
          viewer: 403,
          body: true,
        });
        cases++;
      }
      if (route.access === "admin") {
        expect({ path, user: (await call(route.method, path, { as: "alice", body: {} })).status }).toEqual({
          path,
          user: 403,
        });
        cases++;
      }
      if (route.path.includes("{user_id}") || route.path.includes("{task_id}")) {
        const answer = await call(route.method, path, { as: "bob", body: {} });
        expect({ path, bob: answer.status, body: HttpErrorBody.safeParse(answer.body).success }).toEqual({
          path,
          bob: 404,
          body: true,
        });
        cases++;
      }
    }
    // Bob's own task, named by alice: as absent as a task that does not exist.
    expect((await call("POST", `/tasks/gsc_insights/${bobTask}/manual-trigger`, { as: "alice" })).status).toBe(404);
    expect((await call("POST", `/tasks/website_analysis/${tasks.gsc}/manual-trigger`, { as: "alice" })).status).toBe(
      404,
    ); // the type is the task's
    expect((await call("POST", `/website-analysis/retry/${tasks.gsc}`, { as: "alice" })).status).toBe(404);
    console.log(`[measure] ${engine}: REST access answers: ${cases} cases`);
  });
});
