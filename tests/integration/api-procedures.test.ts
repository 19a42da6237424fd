import pg from "pg";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { createRequestLimits, type LimitStore } from "@/server/limits";
import { countRun } from "@/server/scheduler/stats";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const code = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (error: unknown) => (error instanceof TRPCError ? error.code : `THROWN: ${String(error)}`),
  );
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Caller = Awaited<ReturnType<typeof callerFor>>;
function callPath(caller: Caller, path: string, input?: unknown) {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (fn as (i: unknown) => Promise<unknown>)(input);
}
const procedures = Object.entries(appRouter._def.procedures).map(([path, p]) => ({
  path,
  type: (p as unknown as { _def: { type: string } })._def.type,
}));
const PUBLIC = ["system.status", "system.health", "system.metrics"];
const ADMIN = [
  "dashboard.cumulativeStats.reconcile",
  "monitoring.cleanupEventLogs",
  "system.config",
  "system.users.list",
  "system.users.setRole",
];

describe.each(testEngines())("the full API on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };
  let admin: { id: string };
  let viewer: { id: string };
  let tasks: Record<string, string>;
  const now = Date.now();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    [alice, bob, admin, viewer] = [
      await createTestUser(t.db),
      await createTestUser(t.db),
      await createTestUser(t.db, "ADMIN"),
      await createTestUser(t.db, "VIEWER"),
    ];
    const gsc = await t.db.platformConnection.create({
      data: { userId: alice.id, platform: "GSC", status: "EXPIRED", siteUrls: ["https://a.example/"] },
    });
    const mk = (data: Record<string, unknown>) =>
      t.db.task
        .create({
          data: { userId: alice.id, frequencyMinutes: 60, dedupeKey: `k${Math.random()}`, ...data } as never,
          select: { id: true },
        })
        .then((x) => x.id);
    tasks = {
      gsc: await mk({
        type: "GSC_INSIGHTS",
        platform: "GSC",
        connectionId: gsc.id,
        nextRunAt: new Date(now + HOUR),
        lastRunAt: new Date(now - HOUR),
      }),
      oauth: await mk({
        type: "OAUTH_TOKEN_MONITORING",
        platform: "GSC",
        connectionId: gsc.id,
        dedupeKey: "OAUTH_TOKEN_MONITORING:GSC",
        nextRunAt: new Date(now + 2 * HOUR),
      }),
      stuck: await mk({
        type: "WEBSITE_ANALYSIS",
        websiteUrl: "https://a.example/",
        websiteRole: "OWN",
        status: "NEEDS_INTERVENTION",
        consecutiveFailures: 6,
        failureCategory: "NETWORK_ERROR",
        failureReason: "HTTP 503",
        lastFailureAt: new Date(now - 2 * DAY),
        coolOffUntil: new Date(now + DAY),
        nextRunAt: new Date(now + DAY),
      }),
      failed: await mk({
        type: "BING_INSIGHTS",
        platform: "BING",
        status: "FAILED",
        consecutiveFailures: 1,
        failureCategory: "AUTH_ERROR",
        lastFailureAt: new Date(now - HOUR),
      }),
      paused: await mk({
        type: "WEBSITE_ANALYSIS",
        websiteUrl: "https://rival.example/",
        websiteRole: "COMPETITOR",
        status: "PAUSED",
      }),
    };
    // Runs of the GSC task over three days, recorded as the engine would (log + rollup).
    for (let i = 0; i < 12; i++) {
      const run = {
        taskId: tasks.gsc!,
        userId: alice.id,
        taskType: "GSC_INSIGHTS" as const,
        status: i % 4 === 0 ? ("FAILED" as const) : ("SUCCESS" as const),
        trigger: i % 6 === 0 ? ("MANUAL" as const) : ("SCHEDULED" as const),
        startedAt: new Date(now - i * 6 * HOUR),
        durationMs: 100 + i * 10,
        result: { clicks: i },
      };
      await t.db.executionLog.create({ data: run });
      await t.db.$transaction((tx) => countRun(tx, run));
    }
    await t.db.insightSnapshot.create({
      data: {
        userId: alice.id,
        taskId: tasks.gsc!,
        platform: "GSC",
        siteUrl: "https://a.example/",
        startDate: new Date(now - 28 * DAY),
        endDate: new Date(now - DAY),
        clicks: 50,
        impressions: 1000,
        ctr: 0.05,
        position: 7.5,
        topQueries: [],
        topPages: [],
      },
    });
    await t.db.websiteAnalysis.create({
      data: {
        userId: alice.id,
        taskId: tasks.stuck!,
        url: "https://a.example/",
        role: "OWN",
        statusCode: 503,
        error: "HTTP 503",
      },
    });
    // Events: Alice's jobs, a system cycle, Bob's job.
    await t.db.schedulerEvent.createMany({
      data: [
        {
          type: "CHECK_CYCLE",
          occurredAt: new Date(now - HOUR),
          workerId: "w-secret",
          tasksFound: 9,
          tasksExecuted: 9,
          durationMs: 40,
        },
        {
          type: "JOB_COMPLETED",
          occurredAt: new Date(now - HOUR),
          userId: alice.id,
          taskId: tasks.gsc!,
          jobKind: "RECURRING",
          runStatus: "SUCCESS",
          data: { taskType: "GSC_INSIGHTS" },
        },
        {
          type: "JOB_FAILED",
          occurredAt: new Date(now - 2 * HOUR),
          userId: alice.id,
          taskId: tasks.gsc!,
          jobKind: "RECURRING",
          runStatus: "FAILED",
          errorMessage: "HTTP 429",
          data: { taskType: "GSC_INSIGHTS" },
        },
        {
          type: "JOB_COMPLETED",
          occurredAt: new Date(now - HOUR),
          userId: bob.id,
          jobKind: "RECURRING",
          runStatus: "SUCCESS",
        },
        { type: "START", occurredAt: new Date(now - 200 * DAY), workerId: "w-old" },
      ],
    });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("dashboard: overview from pre-aggregated rows, jobs sorted/filtered/paged, recent scheduler logs", async () => {
    const api = await callerFor(t, alice.id);
    const overview = await api.dashboard.overview({ days: 7 });
    expect(overview).toMatchObject({
      totalTasks: 5,
      jobs: { recurring: 3, oneTime: 0 },
      window: { runs: 12, succeeded: 9, failed: 3 },
    });
    expect(overview.scheduler).toEqual({ running: false, runningNow: 0 });
    // A user sees their own figures; the system's (workers, check cycles, every user's counters) are for admins.
    expect(overview.system).toBeNull();
    expect(overview.runs.allTime).toEqual({ executed: 12, succeeded: 9, failed: 3 });
    // The expired GSC connection (its two tasks folded into it), the cooled-off site and the stopped Bing task.
    expect(overview.needsAttention).toBe(3);
    expect(overview.onboarding).toEqual({ connected: true, website: false, firstRun: true, done: false });
    const asAdmin = await (await callerFor(t, admin.id)).dashboard.overview({ days: 7 });
    expect(asAdmin.system).toMatchObject({ running: false, workersAlive: 0 });

    const all = await api.dashboard.jobs({ sort: "nextRunAt", order: "asc", limit: 2 });
    expect(all.items.map((j) => j.id)).toEqual([tasks.gsc, tasks.oauth]);
    const next = await api.dashboard.jobs({ sort: "nextRunAt", order: "asc", limit: 2, cursor: all.nextCursor });
    const last = await api.dashboard.jobs({ sort: "nextRunAt", order: "asc", limit: 2, cursor: next.nextCursor });
    expect([...all.items, ...next.items, ...last.items].map((j) => j.id).sort()).toEqual(Object.values(tasks).sort());
    expect(last.nextCursor).toBeNull();
    expect(
      (await api.dashboard.jobs({ status: "PAUSED", sort: "nextRunAt", order: "asc", limit: 50 })).items,
    ).toMatchObject([{ id: tasks.paused, paused: true, target: "https://rival.example/", trigger: "interval" }]);
    expect(
      (await api.dashboard.jobs({ type: "BING_INSIGHTS", sort: "type", order: "desc", limit: 50 })).items.map(
        (j) => j.id,
      ),
    ).toEqual([tasks.failed]);
    expect(await code(api.dashboard.jobs({ sort: "password" as never, order: "asc", limit: 5 }))).toBe("BAD_REQUEST");

    const recent = await api.dashboard.recentSchedulerLogs({ limit: 10 });
    expect(recent.map((e) => e.type).sort()).toEqual(["JOB_COMPLETED", "JOB_FAILED"]); // Alice's two, not Bob's, not the system's
    expect(recent.every((e) => e.taskType === "GSC_INSIGHTS")).toBe(true);
  });

  it("dashboard: charts by hour or day, with success rate, duration percentiles and check cycles", async () => {
    const api = await callerFor(t, alice.id);
    const day = await api.dashboard.charts({ range: "24h" });
    expect(day.buckets).toHaveLength(24);
    expect(day.buckets.reduce((a, b) => a + b.success + b.failed, 0)).toBe(4); // runs at 0, 6, 12 and 18 hours ago
    expect(day.buckets.every((b) => b.cycles === null)).toBe(true); // check cycles are a system figure
    const adminDay = await (await callerFor(t, admin.id)).dashboard.charts({ range: "24h" });
    expect(adminDay.buckets.reduce((a, b) => a + (b.cycles ?? 0), 0)).toBe(1);
    const week = await api.dashboard.charts({ range: "7d" });
    expect(week.buckets).toHaveLength(7);
    expect(week.buckets.reduce((a, b) => a + b.success + b.failed, 0)).toBe(12);
    const gsc = week.durations.find((d) => d.type === "GSC_INSIGHTS")!;
    expect(gsc).toMatchObject({ runs: 12, p50: 150, p95: 210 }); // 100..210 ms in steps of 10
    expect(week.buckets.find((b) => b.success + b.failed > 0)!.successRate).toEqual(expect.any(Number));
    expect((await api.dashboard.charts({ range: "30d" })).buckets).toHaveLength(30);
    expect(await code(api.dashboard.charts({ range: "1y" as never }))).toBe("BAD_REQUEST");
  });

  it("monitoring: execution logs filtered by status, type, task, trigger and dates, with a capped total", async () => {
    const api = await callerFor(t, alice.id);
    const first = await api.monitoring.executionLogs({ limit: 5 });
    expect(first.count).toMatchObject({ total: 12, capped: false, label: "12" });
    expect(first.items).toHaveLength(5);
    const second = await api.monitoring.executionLogs({ limit: 5, cursor: first.nextCursor });
    expect(second.count).toBeNull();
    expect(second.items[0]!.id).toBeLessThan(first.items.at(-1)!.id);
    expect((await api.monitoring.executionLogs({ status: "FAILED", limit: 50 })).count!.total).toBe(3);
    expect((await api.monitoring.executionLogs({ trigger: "MANUAL", limit: 50 })).count!.total).toBe(2);
    expect(
      (await api.monitoring.executionLogs({ taskId: tasks.gsc, taskType: "GSC_INSIGHTS", limit: 50 })).count!.total,
    ).toBe(12);
    expect(
      (await api.monitoring.executionLogs({ from: new Date(now - 13 * HOUR), to: new Date(now), limit: 50 })).count!
        .total,
    ).toBe(3);
    expect(await code(api.monitoring.executionLogs({ from: new Date(now), to: new Date(now - DAY), limit: 5 }))).toBe(
      "BAD_REQUEST",
    );
    expect(await code(api.monitoring.executionLogs({ status: "BROKEN" as never, limit: 5 }))).toBe("BAD_REQUEST");
    expect((await api.monitoring.platformInsightsLogs({ limit: 50 })).items).toHaveLength(12);
    expect((await api.monitoring.websiteAnalysisLogs({ limit: 50 })).items).toHaveLength(0);
    expect((await api.monitoring.oauthTokenLogs({ taskId: tasks.oauth, limit: 50 })).items).toHaveLength(0);
    expect((await (await callerFor(t, bob.id)).monitoring.executionLogs({ limit: 50 })).count!.total).toBe(0);
  });

  it("monitoring: a user's event history is their own tasks' events; the system's are for admins, who see whose each is", async () => {
    const mine = await (await callerFor(t, alice.id)).monitoring.eventHistory({ days: 7, limit: 50 });
    expect(mine.items.map((e) => e.type).sort()).toEqual(["JOB_COMPLETED", "JOB_FAILED"]);
    expect(mine.items.every((e) => e.userEmail === null)).toBe(true);
    const full = await (await callerFor(t, admin.id)).monitoring.eventHistory({ days: 7, limit: 50 });
    expect(full.items.find((e) => e.type === "CHECK_CYCLE")).toMatchObject({
      workerId: "w-secret",
      tasksFound: 9,
      userEmail: null,
    });
    expect(full.items.filter((e) => e.userId === alice.id).every((e) => e.userEmail?.includes("@"))).toBe(true);
    expect(full.items).toHaveLength(4); // Bob's too; the 200-day-old START is outside 7 days
    const typed = await (
      await callerFor(t, alice.id)
    ).monitoring.eventHistory({ type: "JOB_FAILED", days: 7, limit: 1 });
    expect(typed.items).toHaveLength(1);
    expect(await code((await callerFor(t, alice.id)).monitoring.eventHistory({ days: 91, limit: 5 }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("monitoring: event log statistics and the admin clean-up (dry run first, cumulative totals untouched)", async () => {
    const stats = await (await callerFor(t, admin.id)).monitoring.eventLogStats();
    expect(stats).toMatchObject({
      total: 5,
      byType: { CHECK_CYCLE: 1, JOB_COMPLETED: 2, JOB_FAILED: 1, START: 1 },
      averageCycleDurationMs: 40,
      retentionPolicy: { recommendedDays: 90, minimumDays: 7, maximumDays: 365 },
    });
    expect(stats.ageDistribution).toMatchObject({ last24h: 4, olderThan90d: 1, olderThan180d: 1 });
    expect((await (await callerFor(t, bob.id)).monitoring.eventLogStats()).total).toBe(1); // his own only

    const adminApi = await callerFor(t, admin.id);
    await t.db.cumulativeStats.upsert({
      where: { id: 1 },
      create: { id: 1, totalCheckCycles: 7 },
      update: { totalCheckCycles: 7 },
    });
    const dry = await adminApi.monitoring.cleanupEventLogs({ olderThanDays: 90 });
    expect(dry).toMatchObject({ dryRun: true, wouldDelete: 1, deleted: 0 });
    expect(await t.db.schedulerEvent.count()).toBe(5);
    const done = await adminApi.monitoring.cleanupEventLogs({ olderThanDays: 90, dryRun: false });
    expect(done).toMatchObject({ dryRun: false, deleted: 1 });
    expect(done.oldestKept!.getTime()).toBeGreaterThan(now - 3 * HOUR);
    expect((await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } })).totalCheckCycles).toBe(7);
    expect(await code(adminApi.monitoring.cleanupEventLogs({ olderThanDays: 3, dryRun: false }))).toBe("BAD_REQUEST");
    expect(await code((await callerFor(t, alice.id)).monitoring.cleanupEventLogs({ olderThanDays: 90 }))).toBe(
      "FORBIDDEN",
    );
  });

  it("tasks: needing intervention with suggested actions, the summary, bulk trigger preview and run, history", async () => {
    const api = await callerFor(t, alice.id);
    const needing = (await api.tasks.needingIntervention()).items;
    expect(needing.map((n) => n.id)).toEqual([tasks.stuck, tasks.failed]);
    expect(needing[0]!.suggestedAction).toMatch(/reachable/);
    expect(needing[1]!.suggestedAction).toMatch(/Reconnect Bing Webmaster/);
    // What needs Alice, as Intervention lists it: the expired GSC connection first, then the two tasks.
    const attention = await api.tasks.attention();
    expect(attention.count).toBe(3);
    expect(attention.connections).toMatchObject([
      { kind: "reconnect", platform: "GSC", status: "EXPIRED", canReconnect: true, ownerEmail: null },
    ]);
    expect(attention.connections[0]!.tasks.map((x) => x.id).sort()).toEqual([tasks.gsc, tasks.oauth].sort());
    expect(attention.tasks.map((x) => x.id)).toEqual([tasks.stuck, tasks.failed]);
    expect(attention.tasks[0]).toMatchObject({ failureInWords: "Server error (HTTP 503)", inARow: 6 });
    const asAdmin = await (await callerFor(t, admin.id)).tasks.attention();
    expect(asAdmin.connections[0]).toMatchObject({ canReconnect: false, ownerEmail: expect.stringContaining("@") });
    const summary = await api.tasks.interventionSummary();
    expect(summary).toMatchObject({
      total: 2,
      byType: { WEBSITE_ANALYSIS: 1, BING_INSIGHTS: 1 },
      critical: 1,
      requiresImmediateAttention: true,
    });
    expect(summary.oldestFailureAgeMs).toBeGreaterThanOrEqual(2 * DAY);

    const history = await api.tasks.history({ taskId: tasks.gsc!, limit: 5 });
    expect(history.items).toHaveLength(5);
    expect(history.successRate).toBeCloseTo(9 / 12);
    expect(history.durationTrend.length).toBeGreaterThanOrEqual(3);
    expect(await code((await callerFor(t, bob.id)).tasks.history({ taskId: tasks.gsc!, limit: 5 }))).toBe("NOT_FOUND");

    const preview = await api.tasks.bulkTrigger({ filter: { status: "NEEDS_INTERVENTION" } });
    expect(preview).toEqual({ confirmed: false, matched: 1, queued: 0, skipped: 0 });
    expect(await t.db.task.count({ where: { pendingTrigger: { not: null } } })).toBe(0);
    const run = await api.tasks.bulkTrigger({ filter: { status: "NEEDS_INTERVENTION" }, confirm: true });
    expect(run).toMatchObject({ confirmed: true, matched: 1, queued: 1 });
    expect(await t.db.task.findUniqueOrThrow({ where: { id: tasks.stuck! } })).toMatchObject({
      pendingTrigger: "MANUAL",
      status: "ACTIVE",
      consecutiveFailures: 0,
    });
    expect(await t.db.auditLog.count({ where: { actorId: alice.id, action: "TRIGGER_ALL" } })).toBe(1);

    expect(await api.tasks.pause({ taskId: tasks.oauth! })).toMatchObject({ status: "PAUSED" });
    expect(await api.tasks.resume({ taskId: tasks.oauth! })).toMatchObject({ status: "ACTIVE" });
  });

  it("platform: insights, website analysis and token status, summary, health, and refreshToken", async () => {
    const api = await callerFor(t, alice.id);
    const insights = await api.platform.insightsStatus();
    expect(insights.find((i) => i.id === tasks.gsc)!.latestSnapshot).toMatchObject({ clicks: 50, impressions: 1000 });
    const sites = await api.platform.websiteAnalysisStatus();
    expect(sites.own.map((s) => s.id)).toEqual([tasks.stuck]);
    expect(sites.own[0]!.latestAnalysis).toMatchObject({ statusCode: 503 });
    expect(sites.competitors.map((s) => s.id)).toEqual([tasks.paused]);
    const tokens = await api.platform.oauthTokenStatus();
    expect(tokens.map((x) => x.platform)).toEqual(["GSC", "BING", "WORDPRESS", "WIX"]);
    expect(tokens[0]).toMatchObject({ connected: true, connection: { status: "EXPIRED" }, task: { id: tasks.oauth } });
    expect(tokens[1]).toMatchObject({ connected: false, task: null });
    const summary = await api.platform.monitoringSummary();
    expect(summary).toMatchObject({ totalTasks: 5, paused: 1, failed: 1, needsAttention: 2 }); // the stuck one was released by the bulk trigger
    expect(summary.healthScore).toBeGreaterThan(0);
    expect(summary.healthScore).toBeLessThanOrEqual(100);
    const health = await api.platform.health();
    expect(health.status).toBe("degraded");
    expect(health.reasons).toEqual([
      "Google Search Console: expired",
      "1 task needs attention",
      "only 3 of 4 runs succeeded in the last 24 hours",
    ]);
    // A platform's own page speaks of that platform only (the stopped Bing task is not GSC's).
    expect(await api.platform.health({ platform: "GSC" })).toMatchObject({
      status: "degraded",
      reasons: ["Google Search Console: expired", "only 3 of 4 runs succeeded in the last 24 hours"],
    });
    expect(await api.platform.monitoringSummary({ platform: "GSC" })).toMatchObject({
      totalTasks: 2,
      needsAttention: 1,
    });
    expect(await api.platform.health({ platform: "WIX" })).toMatchObject({
      status: "not_configured",
      healthScore: null,
    });
    expect(await (await callerFor(t, bob.id)).platform.health()).toMatchObject({
      status: "not_configured",
      healthScore: null,
    });

    expect(await api.platform.refreshToken({ platform: "GSC" })).toMatchObject({ queued: true });
    expect(await code(api.platform.refreshToken({ platform: "WIX" }))).toBe("NOT_FOUND");
  });

  it("system: public status, health and metrics reveal nothing user-specific; config is admin-only and redacted", async () => {
    const anonymous = await callerFor(t, null);
    expect(await anonymous.system.status()).toMatchObject({
      name: "scheduler-dashboard",
      database: engine,
      features: { dashboard: true },
    });
    const health = await anonymous.system.health();
    expect(health.checks.database).toMatchObject({ status: "ok" });
    expect(health.checks.scheduler).toMatchObject({ status: "degraded" }); // no worker runs in this test
    expect(health.status).toBe("degraded");
    const metrics = await anonymous.system.metrics();
    expect(metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        "scheduler_runs",
        "scheduler_queue_age_seconds",
        "scheduler_run_duration_seconds",
        "api_request_duration_seconds",
      ]),
    );
    expect(JSON.stringify([await anonymous.system.status(), health, metrics])).not.toContain(alice.id);
    expect(await code(anonymous.system.config())).toBe("UNAUTHORIZED");
    expect(await code((await callerFor(t, alice.id)).system.config())).toBe("FORBIDDEN");
    const config = await (await callerFor(t, admin.id)).system.config();
    expect(config.AUTH_SECRET).toBe("[redacted]");
    expect(config.TOKEN_ENCRYPTION_KEY).toBe("[redacted]");
    expect(JSON.stringify(config)).not.toContain(process.env.AUTH_SECRET!);
  });

  it("admin: lists users and changes roles with an audit entry, never demoting the last admin", async () => {
    const api = await callerFor(t, admin.id);
    expect((await api.system.users.list()).map((u) => u.id)).toEqual(
      expect.arrayContaining([alice.id, bob.id, admin.id, viewer.id]),
    );
    expect(await api.system.users.setRole({ userId: bob.id, role: "VIEWER" })).toMatchObject({ role: "VIEWER" });
    expect(await code((await callerFor(t, bob.id)).tasks.pause({ taskId: "x" }))).toBe("FORBIDDEN"); // read-only at once
    await api.system.users.setRole({ userId: bob.id, role: "USER" });
    expect(await code(api.system.users.setRole({ userId: admin.id, role: "USER" }))).toBe("CONFLICT");
    expect(await code(api.system.users.setRole({ userId: "nobody", role: "USER" }))).toBe("NOT_FOUND");
    expect(await code(api.system.users.setRole({ userId: bob.id, role: "ROOT" as never }))).toBe("BAD_REQUEST");
    expect(await t.db.auditLog.count({ where: { actorId: admin.id, action: "SET_ROLE" } })).toBe(2);
  });

  it("rate-limits mutations and reads per user with TOO_MANY_REQUESTS, each kind on its own budget", async () => {
    const limits = createRequestLimits({ mutations: 3, reads: 5 });
    const as = async (id: string) =>
      createCaller(await createInnerContext({ db: t.db, engine, sessionUserId: id, limits }));
    const api = await as(alice.id);
    for (let i = 0; i < 3; i++) await api.tasks.setPaused({ taskId: tasks.oauth!, paused: i % 2 === 0 });
    const refused = await api.tasks
      .setPaused({ taskId: tasks.oauth!, paused: false })
      .catch((e: unknown) => e as TRPCError);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    expect((refused as TRPCError).message).toMatch(/^Too many changes in a short time: try again in \d+ s$/);
    for (let i = 0; i < 5; i++) expect(await code(api.tasks.list())).toBe("OK"); // reads have their own budget
    const readRefused = await api.dashboard.overview().catch((e: unknown) => e as TRPCError);
    expect((readRefused as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    expect((readRefused as TRPCError).message).toMatch(/^Too many requests in a short time: try again in \d+ s$/);
    expect(await code((await as(bob.id)).platform.reconcile())).toBe("OK"); // another user's budget
    expect(await code((await as(bob.id)).tasks.list())).toBe("OK");
  });

  it("on PostgreSQL the limits are shared by every instance (here: two sets of limiters on one database)", async () => {
    if (engine !== "postgres") return; // SQLite serves one instance: its limits count in memory
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    try {
      const store: LimitStore = { kind: "postgres", pool };
      const carol = await createTestUser(t.db);
      const [first, second] = [
        createRequestLimits({ mutations: 3, reads: 1000 }, store),
        createRequestLimits({ mutations: 3, reads: 1000 }, store),
      ];
      const instance = async (limits: typeof first) =>
        createCaller(await createInnerContext({ db: t.db, engine, sessionUserId: carol.id, limits }));
      const [a, b] = [await instance(first), await instance(second)];
      await a.platform.reconcile();
      await b.platform.reconcile();
      await a.platform.reconcile();
      expect(await code(b.platform.reconcile())).toBe("TOO_MANY_REQUESTS");
      expect(await code(a.platform.reconcile())).toBe("TOO_MANY_REQUESTS");
      const row = await t.db.rateLimit.findUnique({ where: { key: `mutations:${carol.id}` } });
      expect(row?.points).toBe(5); // every attempt counted once, in the shared row
    } finally {
      await pool.end();
    }
  });

  it("authorization matrix: every procedure, every kind of caller", async () => {
    const anonymous = await callerFor(t, null);
    const as = {
      alice: await callerFor(t, alice.id),
      bob: await callerFor(t, bob.id),
      viewer: await callerFor(t, viewer.id),
    };
    expect(procedures.length).toBeGreaterThanOrEqual(40);
    for (const { path, type } of procedures) {
      // Signed out: only the public system procedures answer.
      const anon = await code(callPath(anonymous, path, undefined));
      expect({ path, anon }).toEqual({
        path,
        anon: PUBLIC.includes(path) ? expect.not.stringMatching(/UNAUTHORIZED|THROWN/) : "UNAUTHORIZED",
      });
      // Admin procedures: refused to a user.
      if (ADMIN.includes(path))
        expect({ path, user: await code(callPath(as.alice, path, { apply: false, olderThanDays: 30 })) }).toEqual({
          path,
          user: "FORBIDDEN",
        });
      // Mutations: refused to a viewer, before anything else.
      if (type === "mutation")
        expect({ path, viewer: await code(callPath(as.viewer, path, { taskId: tasks.gsc, platform: "GSC" })) }).toEqual(
          { path, viewer: "FORBIDDEN" },
        );
    }
    // Another user's ids: NOT_FOUND, and nothing changed.
    const before = await t.db.task.findMany({ where: { userId: alice.id }, orderBy: { id: "asc" } });
    const website = await t.db.website.create({ data: { userId: alice.id, url: "https://a.example/" } });
    const alert = await t.db.alert.create({
      data: { userId: alice.id, kind: "RECONNECT_REQUIRED", title: "x", message: "y" },
    });
    const foreign: [string, unknown][] = [
      ["tasks.manualTrigger", { taskId: tasks.gsc }],
      ["tasks.retry", { taskId: tasks.failed }],
      ["tasks.setPaused", { taskId: tasks.gsc, paused: true }],
      ["tasks.pause", { taskId: tasks.gsc }],
      ["tasks.resume", { taskId: tasks.paused }],
      ["tasks.history", { taskId: tasks.gsc }],
      ["platform.removeWebsite", { websiteId: website.id }],
      ["platform.dismissAlert", { alertId: alert.id }],
      ["platform.disconnect", { platform: "GSC" }],
      ["platform.refreshToken", { platform: "GSC" }],
    ];
    for (const [path, input] of foreign)
      expect({ path, code: await code(callPath(as.bob, path, input)) }).toEqual({ path, code: "NOT_FOUND" });
    expect(await t.db.task.findMany({ where: { userId: alice.id }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await t.db.website.count({ where: { id: website.id } })).toBe(1);
    expect((await t.db.alert.findUniqueOrThrow({ where: { id: alert.id } })).readAt).toBeNull();
  });
});
