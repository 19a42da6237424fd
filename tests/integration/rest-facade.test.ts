import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/server/config/env";
import { handleFacade, ROUTES } from "@/server/rest/facade";
import { openApiDocument } from "@/server/rest/openapi";
import { countRun } from "@/server/scheduler/stats";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { userForApiToken } from "@/server/services/api-tokens";

const baseEnv = parseEnv({ AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") });

describe.each(testEngines())("REST compatibility facade on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  let admin: { id: string };
  let token: string;
  let gscTask: string;
  let siteTask: string;
  let session: string | null = null; // the "cookie": whose session the request carries

  /** A request through the facade, as the route handler makes it. */
  async function call(
    method: "GET" | "POST",
    path: string,
    options: { bearer?: string; body?: unknown; env?: typeof baseEnv; origin?: string } = {},
  ) {
    const url = new URL(`http://test/api/scheduler${path}`);
    const request = new Request(url, {
      method,
      headers: {
        ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
        ...(options.body ? { "content-type": "application/json" } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    const response = await handleFacade(request, url.pathname.slice("/api/scheduler".length), {
      db: t.db,
      engine,
      env: options.env ?? baseEnv,
      scheduler: null,
      sessionUserId: async () => session,
      tokenUserId: (value) => userForApiToken(t.db, value),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { detail?: string } };
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    [alice, bob, admin] = [await createTestUser(t.db), await createTestUser(t.db), await createTestUser(t.db, "ADMIN")];
    token = (await (await callerFor(t, alice.id)).system.apiTokens.create({ name: "ci" })).token;
    gscTask = (
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
    ).id;
    siteTask = (
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
          failurePattern: {
            consecutive: 3,
            recent: 3,
            errorPatterns: [{ pattern: "HTTP <n>", category: "NETWORK_ERROR", count: 3 }],
          },
        },
      })
    ).id;
    const run = {
      taskId: gscTask,
      userId: alice.id,
      taskType: "GSC_INSIGHTS" as const,
      status: "SUCCESS" as const,
      startedAt: new Date(),
      durationMs: 120,
      result: { clicks: 5 },
      dataSource: "api",
    };
    await t.db.executionLog.create({ data: run });
    await t.db.$transaction((tx) => countRun(tx, run));
    await t.db.schedulerEvent.createMany({
      data: [
        {
          type: "JOB_COMPLETED",
          userId: alice.id,
          taskId: gscTask,
          jobKind: "RECURRING",
          runStatus: "SUCCESS",
          data: { taskType: "GSC_INSIGHTS" },
        },
        { type: "CHECK_CYCLE", workerId: "w1", tasksFound: 1, tasksExecuted: 1, durationMs: 30 },
      ],
    });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("answers every path in the original's shapes with a Bearer token", async () => {
    const uid = alice.id;
    const dashboard = await call("GET", "/dashboard", { bearer: token });
    expect(dashboard.status).toBe(200);
    expect(Object.keys(dashboard.body)).toEqual(
      expect.arrayContaining([
        "stats",
        "jobs",
        "job_count",
        "recurring_jobs",
        "one_time_jobs",
        "registered_task_types",
        "user_isolation",
        "last_updated",
      ]),
    );
    expect(dashboard.body.stats).toMatchObject({ cumulative_total_check_cycles: 0, running: false });
    expect(dashboard.body.user_isolation).toEqual({ enabled: true, current_user_id: uid });
    expect(
      (dashboard.body.jobs as { id: string; frequency: string; is_database_task: boolean }[]).find(
        (j) => j.id === `platform_insights_gsc_${uid}`,
      ),
    ).toMatchObject({ frequency: "Weekly", is_database_task: true });

    // The original's in-memory job list: the scheduler's own loop, and the runs asked for once (none yet).
    expect((await call("GET", "/jobs", { bearer: token })).body).toMatchObject({
      jobs: [{ id: "check_due_tasks", trigger_type: "IntervalTrigger", is_database_task: false }],
      total_jobs: 1,
      recurring_jobs: 1,
      one_time_jobs: 0,
      total_count: 1,
    });
    const logs = await call("GET", "/execution-logs?limit=10&offset=0&status=success", { bearer: token });
    expect(logs.body).toMatchObject({
      total_count: 1,
      limit: 10,
      offset: 0,
      has_more: false,
      is_scheduler_logs: false,
    });
    expect((logs.body.logs as Record<string, unknown>[])[0]).toMatchObject({
      task_id: gscTask,
      status: "success",
      execution_time_ms: 120,
      task: { component_name: "gsc_insights" },
    });
    const events = await call("GET", "/event-history?limit=50&days=7", { bearer: token });
    expect(await call("GET", "/event-history?event_type=bogus", { bearer: token })).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ["query", "event_type"] }] },
    });
    expect(events.body).toMatchObject({ total_count: 1, date_filter: { days: 7 } }); // the caller's own; the system's check cycle is for admins
    expect((events.body.events as { event_type: string }[]).map((e) => e.event_type).sort()).toEqual(["job_completed"]);
    expect((await call("GET", "/recent-scheduler-logs", { bearer: token })).body).toMatchObject({
      limit: 5,
      is_scheduler_logs: true,
      total_count: 1,
    });
    expect((await call("GET", "/event-logs/stats", { bearer: token })).body).toMatchObject({
      total_events: 1,
      total_records: 1,
      events_by_type: { job_completed: 1 },
      event_type_distribution: { job_completed: 1 },
    });

    const needing = await call("GET", `/tasks-needing-intervention/${uid}`, { bearer: token });
    expect(needing.body).toMatchObject({ success: true, count: 1 });
    expect((needing.body.tasks as Record<string, unknown>[])[0]).toMatchObject({
      task_id: siteTask,
      task_type: "website_analysis",
      website_url: "https://a.example/",
      failure_pattern: { consecutive_failures: 3, failure_reason: "network_error", error_patterns: ["HTTP <n>"] },
    });
    expect((await call("GET", `/task-intervention/summary/${uid}`, { bearer: token })).body).toMatchObject({
      user_id: uid,
      total_needing_attention: 1,
      by_task_type: { website_analysis: 1 },
    });
    expect((await call("GET", `/platform-insights/status/${uid}`, { bearer: token })).body).toMatchObject({
      success: true,
      total_tasks: 1,
      gsc_tasks: [{ id: gscTask, platform: "gsc", status: "active" }],
      bing_tasks: [],
    });
    expect((await call("GET", `/platform-insights/logs/${uid}?limit=5`, { bearer: token })).body).toMatchObject({
      success: true,
      total_count: 1,
      logs: [{ data_source: "api" }],
    });
    expect((await call("GET", `/website-analysis/status/${uid}`, { bearer: token })).body).toMatchObject({
      success: true,
      data: {
        user_website_tasks: [{ id: siteTask, task_type: "user_website" }],
        competitor_tasks: [],
        total_tasks: 1,
        failed_tasks: 1,
      },
    });
    expect((await call("GET", `/platform-monitoring/summary/${uid}`, { bearer: token })).body).toMatchObject({
      user_id: uid,
      overall: { total_tasks: 2 },
      platform_insights: { total: 1, platforms: ["gsc"] },
    });
    expect((await call("GET", `/platform-monitoring/health/${uid}`, { bearer: token })).body).toMatchObject({
      user_id: uid,
      health_status: "degraded",
      monitoring_stats: { total_tasks: 2 },
    });

    const triggered = await call("POST", `/tasks/gsc_insights/${gscTask}/manual-trigger`, { bearer: token });
    expect(triggered.body).toMatchObject({
      success: true,
      message: "Task triggered successfully",
      task: { id: gscTask, status: "active" },
    });
    const retried = await call("POST", `/website-analysis/retry/${siteTask}`, {
      bearer: token,
      body: { reset_failure_count: true },
    });
    expect(retried.body).toMatchObject({
      success: true,
      message: `Website analysis task ${siteTask} scheduled for immediate execution`,
      failure_count_reset: true,
      task: { id: siteTask, website_url: "https://a.example/", status: "active" },
    });
    expect((await call("GET", `/website-analysis/logs/${uid}`, { bearer: token })).body).toMatchObject({
      logs: [],
      total_count: 0,
      limit: 10,
      offset: 0,
      has_more: false,
    });

    expect((await call("GET", "/status")).body).toMatchObject({
      service: "scheduler_api",
      status: "operational",
      architecture: "modular_routers",
      refactoring_complete: true,
      configuration: { feature_flags: { dashboard: true }, security_settings: { enable_rate_limiting: true } },
      total_endpoints: ROUTES.length,
    });
    const health = await call("GET", "/health");
    expect(health.body).toMatchObject({
      service: "scheduler_api",
      status: "degraded",
      checks: { database: { status: "healthy", message: expect.any(String) }, dashboard_router: { status: "healthy" } },
    });
    expect((await call("GET", "/metrics")).body).toMatchObject({
      service: "scheduler_api",
      metrics_available: true,
      prometheus_endpoint: "/api/metrics",
    });
  });

  it("authenticates by session cookie too, and refuses the anonymous, revoked tokens and foreign user ids", async () => {
    session = bob.id;
    expect((await call("GET", "/dashboard")).body).toMatchObject({
      user_isolation: { current_user_id: bob.id },
      job_count: 1, // the scheduler's own check_due_tasks: bob has no task
    });
    expect(await call("GET", `/tasks-needing-intervention/${alice.id}`)).toMatchObject({
      status: 404,
      body: { detail: "Not found" },
    });
    expect(
      (await call("POST", `/tasks/gsc_insights/${gscTask}/manual-trigger`, { origin: "http://test" })).status,
    ).toBe(404);
    // A cookie-carried POST from another site, or with no origin at all, is refused before anything runs.
    session = alice.id;
    const untouched = await t.db.task.findUniqueOrThrow({ where: { id: gscTask } });
    expect(
      await call("POST", `/tasks/gsc_insights/${gscTask}/manual-trigger`, { origin: "https://evil.example" }),
    ).toMatchObject({ status: 403, body: { detail: "Cross-site request refused" } });
    expect((await call("POST", `/tasks/gsc_insights/${gscTask}/manual-trigger`)).status).toBe(403);
    expect(await t.db.task.findUniqueOrThrow({ where: { id: gscTask } })).toEqual(untouched);
    session = null;
    expect(await call("GET", "/dashboard")).toMatchObject({ status: 401, body: { detail: "Not authenticated" } });
    expect(await call("GET", "/dashboard", { bearer: "sdk_not-a-token" })).toMatchObject({ status: 401 });
    const api = await callerFor(t, alice.id);
    const spare = await api.system.apiTokens.create({ name: "spare" });
    expect((await call("GET", "/jobs", { bearer: spare.token })).status).toBe(200);
    await api.system.apiTokens.revoke({ tokenId: spare.id });
    expect((await call("GET", "/jobs", { bearer: spare.token })).status).toBe(401);
    expect((await api.system.apiTokens.list()).map((x) => [x.name, x.revokedAt !== null])).toEqual([
      ["spare", true],
      ["ci", false],
    ]);
    expect(JSON.stringify(await api.system.apiTokens.list())).not.toContain(token.slice(10));
  });

  it("validates like the original (422, 400), keeps admin paths for admins, and unmounts switched-off features", async () => {
    expect((await call("GET", "/execution-logs?limit=5000", { bearer: token })).status).toBe(422);
    expect((await call("GET", "/event-history?days=0", { bearer: token })).status).toBe(422);
    expect(await call("POST", `/tasks/not_a_type/${gscTask}/manual-trigger`, { bearer: token })).toMatchObject({
      status: 400,
      body: { detail: "Unknown task type: not_a_type" },
    });
    expect((await call("POST", `/tasks/website_analysis/${gscTask}/manual-trigger`, { bearer: token })).status).toBe(
      404,
    ); // the type is the task's
    expect((await call("POST", "/cleanup-event-logs", { bearer: token, body: { older_than_days: 30 } })).status).toBe(
      403,
    );
    expect((await call("GET", "/config", { bearer: token })).status).toBe(403);
    session = admin.id;
    expect(
      (await call("POST", "/cleanup-event-logs", { body: { older_than_days: 3 }, origin: "http://test" })).status,
    ).toBe(422);
    expect(
      (await call("POST", "/cleanup-event-logs", { body: { older_than_days: 30 }, origin: "http://test" })).body,
    ).toMatchObject({ dry_run: true, deleted_count: 0 });
    // The original's first version: days_to_keep (default 90) deletes at once and reports statistics.
    expect((await call("POST", "/cleanup-event-logs", { origin: "http://test" })).body).toMatchObject({
      success: true,
      dry_run: false,
      statistics: { retention_days: 90, deleted_count: 0 },
    });
    const config = await call("GET", "/config");
    expect(config.body).toMatchObject({ is_production: false });
    expect(JSON.stringify(config.body)).not.toContain("x".repeat(32));
    session = null;
    const off = parseEnv({
      AUTH_SECRET: "x".repeat(32),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
      SCHEDULER_ENABLE_TASKS: "false",
    });
    expect((await call("GET", `/tasks-needing-intervention/${alice.id}`, { bearer: token, env: off })).status).toBe(
      404,
    );
    expect((await call("GET", "/dashboard", { bearer: token, env: off })).status).toBe(200);
    expect((await call("GET", "/nope", { bearer: token })).status).toBe(404);
  });

  it("describes every facade path in a valid OpenAPI document", async () => {
    const doc = openApiDocument("http://localhost:3000");
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const route of ROUTES)
      expect(doc.paths[`/api/scheduler${route.path}`]?.[route.method.toLowerCase()], route.path).toBeDefined();
    expect(Object.keys(doc.paths)).toHaveLength(new Set(ROUTES.map((r) => r.path)).size);
  });
});
