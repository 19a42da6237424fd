/**
 * The demo seed tells one consistent story: what the engine and the executors would have left in the
 * database after three weeks of real runs. Every successful run has the rows its executor writes,
 * events are in time order and name their runs, connections were last checked by their token task,
 * tasks needing intervention were cooled off by the engine's rules, and the counters agree. Every
 * task is what provisioning would have created, every website has its analysis task, and the local
 * provider's answers continue the seeded insights (the first real fetch does not jump).
 */
import { format, subDays } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalProvider, type LocalProvider } from "../../dev/provider/server";
import { keyringFrom } from "@/server/crypto";
import { fetchBingSummary } from "@/server/integrations/bing";
import { integrationSettings } from "@/server/integrations/config";
import { integrationsEnvSchema } from "@/server/config/integrations";
import { fetchPerformanceSummary } from "@/server/integrations/search-console";
import { createExecutorRegistry } from "@/server/scheduler/registry";
import { reconcileCumulativeStats } from "@/server/scheduler/stats";
import { FREQUENCY_MINUTES, taskForWebsite, tasksForConnection, type TaskSpec } from "@/server/services/provisioning";
import { seedDemoData } from "@/demo/seed";
import { callerFor, createTestDatabase, testEngines, type TestDatabase } from "../helpers/db";

const keyring = keyringFrom(Buffer.alloc(32, 7).toString("base64"));
const options = {
  keyring,
  admin: { email: "admin@example.com", password: "admin-password" },
  demo: { email: "demo@example.com", password: "demo-password" },
  viewer: { email: "viewer@example.com", password: "viewer-password" },
};
const HOUR = 3_600_000;

describe.each(testEngines())("demo seed consistency on %s", (engine) => {
  let t: TestDatabase;
  let seededAt: Date;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    seededAt = new Date();
    expect((await seedDemoData(t.db, options)).seeded).toBe(true);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("gives every successful insights run its snapshot, with top queries and pages", async () => {
    const logs = await t.db.executionLog.findMany({
      where: { taskType: { in: ["GSC_INSIGHTS", "BING_INSIGHTS"] }, status: "SUCCESS" },
      include: { task: { select: { platform: true, connection: { select: { selectedSiteUrl: true } } } } },
    });
    expect(logs.length).toBeGreaterThan(50);
    const missing: number[] = [];
    for (const log of logs) {
      const snapshotId = (log.result as { snapshotId?: string } | null)?.snapshotId;
      const snapshot = snapshotId ? await t.db.insightSnapshot.findUnique({ where: { id: snapshotId } }) : null;
      if (!snapshot) {
        missing.push(log.id);
        continue;
      }
      expect(snapshot.taskId).toBe(log.taskId);
      expect(snapshot.userId).toBe(log.userId);
      expect(snapshot.platform).toBe(log.task.platform);
      expect(snapshot.siteUrl).toBe(log.task.connection?.selectedSiteUrl);
      expect(snapshot.fetchedAt.getTime()).toBe(log.finishedAt?.getTime());
      expect(snapshot.endDate.getTime() - snapshot.startDate.getTime()).toBe(27 * 24 * HOUR);
      expect(snapshot.endDate < log.startedAt).toBe(true);
      for (const rows of [snapshot.topQueries, snapshot.topPages]) {
        expect(Array.isArray(rows) && rows.length > 0).toBe(true);
        expect((rows as unknown[])[0]).toMatchObject({
          key: expect.any(String),
          clicks: expect.any(Number),
          impressions: expect.any(Number),
          ctr: expect.any(Number),
          position: expect.any(Number),
        });
      }
      expect(log.result).toMatchObject({
        snapshotId,
        siteUrl: snapshot.siteUrl,
        clicks: snapshot.clicks,
        impressions: snapshot.impressions,
        topQuery: expect.any(String),
      });
    }
    expect(missing).toEqual([]);
    // The trend moves: the numbers are not the same snapshot after snapshot.
    const clicks = new Set((await t.db.insightSnapshot.findMany({ select: { clicks: true } })).map((s) => s.clicks));
    expect(clicks.size).toBeGreaterThan(20);
  });

  it("gives every successful website analysis run its analysis, with score reasons and the change from the previous one", async () => {
    const logs = await t.db.executionLog.findMany({
      where: { taskType: "WEBSITE_ANALYSIS", status: "SUCCESS" },
      orderBy: { startedAt: "asc" },
    });
    expect(logs.length).toBeGreaterThan(50);
    const missing: number[] = [];
    for (const log of logs) {
      const analysis = await t.db.websiteAnalysis.findFirst({
        where: { taskId: log.taskId, analyzedAt: log.finishedAt!, error: null },
      });
      if (!analysis) {
        missing.push(log.id);
        continue;
      }
      expect(analysis.seoScore).toEqual(expect.any(Number));
      expect(analysis.statusCode).toBe(200);
      const details = analysis.details as { scoreReasons?: unknown[]; change?: unknown } | null;
      expect(details?.scoreReasons?.length).toBeGreaterThan(0);
      expect(details && "change" in details).toBe(true);
      expect(log.result).toMatchObject({
        seoScore: analysis.seoScore,
        wordCount: analysis.wordCount,
        statusCode: 200,
        change: details?.change ?? null,
      });
    }
    expect(missing).toEqual([]);
    // change is null only for a task's first analysis, and otherwise names the previous one.
    const tasks = await t.db.task.findMany({ where: { type: "WEBSITE_ANALYSIS" }, select: { id: true } });
    for (const task of tasks) {
      const analyses = await t.db.websiteAnalysis.findMany({
        where: { taskId: task.id, error: null },
        orderBy: { analyzedAt: "asc" },
      });
      expect(analyses.length).toBeGreaterThan(0);
      analyses.forEach((analysis, i) => {
        const change = (analysis.details as { change: { since: string; seoScore: number } | null }).change;
        if (i === 0) expect(change).toBeNull();
        else
          expect(change).toMatchObject({
            since: analyses[i - 1]!.analyzedAt.toISOString(),
            seoScore: analysis.seoScore! - analyses[i - 1]!.seoScore!,
          });
      });
    }
    // A failed analysis run leaves its analysis too, with the error.
    const failed = await t.db.executionLog.findMany({ where: { taskType: "WEBSITE_ANALYSIS", status: "FAILED" } });
    expect(failed.length).toBeGreaterThan(0);
    for (const log of failed) {
      const analysis = await t.db.websiteAnalysis.findFirst({
        where: { taskId: log.taskId, analyzedAt: log.finishedAt!, error: { not: null } },
      });
      expect(analysis, `analysis of failed run ${log.id}`).not.toBeNull();
    }
  });

  it("writes scheduler events in time order, each job event naming its run", async () => {
    const events = await t.db.schedulerEvent.findMany({
      orderBy: { id: "asc" },
      select: { id: true, type: true, occurredAt: true, taskId: true, executionLogId: true },
    });
    let inversions = 0;
    for (let i = 1; i < events.length; i++) if (events[i]!.occurredAt < events[i - 1]!.occurredAt) inversions++;
    expect(inversions).toBe(0);
    const jobs = events.filter((e) => e.type === "JOB_COMPLETED" || e.type === "JOB_FAILED");
    expect(jobs.length).toBe(await t.db.executionLog.count());
    const logs = new Map(
      (await t.db.executionLog.findMany({ select: { id: true, taskId: true } })).map((l) => [l.id, l.taskId]),
    );
    const unlinked = jobs.filter((e) => e.executionLogId === null || logs.get(e.executionLogId) !== e.taskId);
    expect(unlinked).toEqual([]);
    expect(new Set(jobs.map((e) => e.executionLogId)).size).toBe(jobs.length);
  });

  it("records each connection as last checked when its token task last ran", async () => {
    const connections = await t.db.platformConnection.findMany({
      include: { tasks: { where: { type: "OAUTH_TOKEN_MONITORING" }, select: { id: true } } },
    });
    expect(connections.length).toBeGreaterThan(5);
    for (const connection of connections) {
      expect(connection.tasks).toHaveLength(1);
      const last = await t.db.executionLog.findFirst({
        where: { taskId: connection.tasks[0]!.id },
        orderBy: { startedAt: "desc" },
      });
      expect(connection.lastCheckedAt?.toISOString(), `${connection.platform} of ${connection.accountLabel}`).toBe(
        last?.finishedAt?.toISOString(),
      );
    }
  });

  it("cools tasks off by the engine's rules: each needing intervention has its event and a cool-off still running", async () => {
    const tasks = await t.db.task.findMany({ where: { status: "NEEDS_INTERVENTION" } });
    expect(tasks.length).toBeGreaterThanOrEqual(3); // Bing (demo), the broken competitor (demo), Search Console (viewer)
    for (const task of tasks) {
      const cooled = await t.db.schedulerEvent.findFirst({
        where: { type: "TASK_COOLED_OFF", taskId: task.id },
        orderBy: { id: "desc" },
      });
      expect(cooled, task.dedupeKey).not.toBeNull();
      expect(cooled?.occurredAt.getTime()).toBe(task.lastFailureAt?.getTime());
      expect(cooled?.data).toMatchObject({
        kind: "cooled_off",
        coolOffUntil: task.coolOffUntil?.toISOString(),
        coolOffCount: task.coolOffCount,
        consecutive: task.consecutiveFailures,
      });
      expect(task.coolOffUntil!.getTime()).toBeGreaterThan(seededAt.getTime());
      expect(task.nextRunAt?.getTime()).toBe(task.coolOffUntil?.getTime());
      expect((task.failurePattern as { coolOffUntil?: string }).coolOffUntil).toBe(task.coolOffUntil?.toISOString());
      expect(task.consecutiveFailures).toBeGreaterThanOrEqual(3);
    }
    const bing = tasks.find((task) => task.type === "BING_INSIGHTS");
    expect(bing?.failureCategory).toBe("API_LIMIT");
    expect(bing?.coolOffUntil?.toISOString()).toMatch(/T00:00:00\.000Z$/);
    const lastRuns = await t.db.executionLog.findMany({
      where: { taskId: bing!.id },
      orderBy: { startedAt: "desc" },
      take: 4,
    });
    expect(lastRuns.slice(0, 3).map((l) => [l.status, l.errorCategory])).toEqual([
      ["FAILED", "API_LIMIT"],
      ["FAILED", "API_LIMIT"],
      ["FAILED", "API_LIMIT"],
    ]);
    expect(lastRuns[3]?.status).toBe("SUCCESS");
    expect(bing!.coolOffUntil!.getTime() - lastRuns[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(24 * HOUR);

    const broken = tasks.find((task) => task.type === "WEBSITE_ANALYSIS");
    expect(broken?.websiteRole).toBe("COMPETITOR");
    expect(broken?.coolOffUntil?.getTime()).toBe(broken!.lastFailureAt!.getTime() + 6 * HOUR);
    // Nothing the engine would have cooled off is left active: fewer than 3 failures in a row everywhere else.
    const active = await t.db.task.findMany({ where: { status: "ACTIVE" }, select: { consecutiveFailures: true } });
    expect(active.every((task) => task.consecutiveFailures < 3)).toBe(true);
  });

  it("leaves the demo's WordPress connection expired, with an unread alert and a token task that keeps failing", async () => {
    const connection = await t.db.platformConnection.findFirstOrThrow({
      where: { platform: "WORDPRESS", user: { email: options.demo.email } },
    });
    expect(connection.status).toBe("EXPIRED");
    expect(connection.lastError).toBeTruthy();
    const alerts = await t.db.alert.findMany({
      where: { userId: connection.userId, connectionId: connection.id, kind: "RECONNECT_REQUIRED", readAt: null },
    });
    expect(alerts).toHaveLength(1);
    const task = await t.db.task.findFirstOrThrow({
      where: { connectionId: connection.id, type: "OAUTH_TOKEN_MONITORING" },
    });
    const failedSinceExpiry = await t.db.executionLog.count({
      where: { taskId: task.id, status: "FAILED", startedAt: { gt: connection.tokenExpiresAt! } },
    });
    expect(failedSinceExpiry).toBeGreaterThanOrEqual(1);
    expect(task).toMatchObject({
      status: "ACTIVE",
      lastOutcome: "FAILED",
      failureCategory: "AUTH_ERROR",
      consecutiveFailures: failedSinceExpiry,
      failureReason: expect.any(String),
    });
    // Non-retryable failures keep the task's rhythm: next run one period after the last one was due.
    const lastRun = await t.db.executionLog.findFirstOrThrow({
      where: { taskId: task.id },
      orderBy: { startedAt: "desc" },
    });
    expect(task.nextRunAt?.getTime()).toBe(lastRun.scheduledFor!.getTime() + task.frequencyMinutes * 60_000);
    expect(alerts[0]!.createdAt.getTime()).toBeGreaterThan(connection.tokenExpiresAt!.getTime());
  });

  it("seeds every task as provisioning creates it: its key, its connection or website, and its type's default interval", async () => {
    const tokenCheckMinutes = integrationSettings(integrationsEnvSchema.parse({}), null).tokenCheckMinutes;
    expect(tokenCheckMinutes).toBe(7 * 24 * 60); // TOKEN_CHECK_INTERVAL_DAYS' default
    const tasks = await t.db.task.findMany({
      include: {
        connection: { select: { id: true, platform: true } },
        website: { select: { id: true, url: true, role: true } },
      },
    });
    expect(new Set(tasks.map((task) => task.type))).toEqual(
      new Set(["OAUTH_TOKEN_MONITORING", "GSC_INSIGHTS", "BING_INSIGHTS", "WEBSITE_ANALYSIS"]),
    );
    for (const task of tasks) {
      let spec: TaskSpec | undefined;
      if (task.type === "WEBSITE_ANALYSIS") spec = task.website ? taskForWebsite(task.website) : undefined;
      else
        spec = task.connection
          ? tasksForConnection(task.connection, tokenCheckMinutes).find((s) => s.type === task.type)
          : undefined;
      expect(spec, task.dedupeKey).toBeDefined();
      expect(
        {
          dedupeKey: task.dedupeKey,
          frequencyMinutes: task.frequencyMinutes,
          connectionId: task.connectionId,
          websiteId: task.websiteId,
        },
        task.dedupeKey,
      ).toEqual({
        dedupeKey: spec!.dedupeKey,
        frequencyMinutes: spec!.frequencyMinutes ?? FREQUENCY_MINUTES[spec!.type],
        connectionId: spec!.connectionId ?? null,
        websiteId: spec!.websiteId ?? null,
      });
    }
  });

  it("gives every website of every user a live analysis task, so Connections, Platforms and the overview list the same sites", async () => {
    const websites = await t.db.website.findMany({ include: { user: { select: { email: true, role: true } } } });
    expect(new Set(websites.map((w) => w.user.email))).toEqual(
      new Set([options.admin.email, options.demo.email, options.viewer.email]),
    );
    for (const website of websites) {
      const live = await t.db.task.count({
        where: { userId: website.userId, type: "WEBSITE_ANALYSIS", websiteId: website.id, status: { not: "ENDED" } },
      });
      expect(live, `${website.url} of ${website.user.email}`).toBe(1);
    }
    // Nor is there an analysis task without its website.
    expect(await t.db.task.count({ where: { type: "WEBSITE_ANALYSIS", websiteId: null } })).toBe(0);
    for (const website of websites.filter((w) => w.user.role !== "ADMIN")) {
      const api = await callerFor(t, website.userId);
      const [listed, analysed, overview] = await Promise.all([
        api.platform.websites(),
        api.platform.websiteAnalysisStatus(),
        api.dashboard.overview({ days: 7 }),
      ]);
      const connections = listed.map((w) => `${w.role} ${w.url}`).sort();
      const platforms = [...analysed.own, ...analysed.competitors]
        .map((x) => `${x.websiteRole} ${x.websiteUrl}`)
        .sort();
      expect(platforms, website.user.email).toEqual(connections);
      expect(overview.tasksByType.WEBSITE_ANALYSIS, website.user.email).toBe(connections.length);
    }
  });

  describe("the local provider, started after the seed", () => {
    let provider: LocalProvider;
    beforeAll(async () => {
      provider = await startLocalProvider();
    });
    afterAll(async () => {
      await provider.close();
    });

    /** The demo user's latest seeded snapshot of a platform, with the moment its run asked. */
    async function latestSnapshot(platform: "GSC" | "BING") {
      const snapshot = await t.db.insightSnapshot.findFirstOrThrow({
        where: { platform, user: { email: options.demo.email } },
        orderBy: { fetchedAt: "desc" },
      });
      const run = await t.db.executionLog.findFirstOrThrow({
        where: { taskId: snapshot.taskId!, finishedAt: snapshot.fetchedAt, status: "SUCCESS" },
      });
      return {
        ...snapshot,
        askedAt: run.startedAt,
        topQueries: snapshot.topQueries as { key: string; clicks: number }[],
        topPages: snapshot.topPages as { key: string; clicks: number }[],
      };
    }
    const keys = (rows: { key: string }[], n: number) => rows.slice(0, n).map((r) => r.key);
    const within = (actual: number, expected: number, share: number) => Math.abs(actual / expected - 1) <= share;

    it("answers Search Console for the demo property as the seed wrote it: the same top queries and pages, totals within 15 %", async () => {
      const seeded = await latestSnapshot("GSC");
      expect(seeded.siteUrl).toBe("https://www.example.com/");
      const client = { baseUrl: provider.url, accessToken: provider.token({ platform: "GSC" }) };
      const asRows = (rows: { keys?: string[]; clicks: number }[]) =>
        rows.map((r) => ({ key: r.keys?.[0] ?? "", clicks: r.clicks }));
      // The executor's window now: the 28 days ending yesterday.
      const now = new Date();
      const fetched = await fetchPerformanceSummary(client, {
        siteUrl: seeded.siteUrl,
        startDate: format(subDays(now, 28), "yyyy-MM-dd"),
        endDate: format(subDays(now, 1), "yyyy-MM-dd"),
      });
      expect(keys(asRows(fetched.topQueries), 10)).toEqual(keys(seeded.topQueries, 10));
      expect(keys(asRows(fetched.topPages), 5)).toEqual(keys(seeded.topPages, 5));
      expect(fetched.topQueries[0]!.keys).toEqual(["handmade ceramic mugs"]);
      expect({
        clicks: fetched.clicks,
        seeded: seeded.clicks,
        within: within(fetched.clicks, seeded.clicks, 0.15),
      }).toMatchObject({ within: true });
      expect({
        impressions: fetched.impressions,
        seeded: seeded.impressions,
        within: within(fetched.impressions, seeded.impressions, 0.15),
      }).toMatchObject({ within: true });
      // The snapshot's own window: the same numbers, but for the data that came in since (only more).
      const same = await fetchPerformanceSummary(client, {
        siteUrl: seeded.siteUrl,
        startDate: format(seeded.startDate, "yyyy-MM-dd"),
        endDate: format(seeded.endDate, "yyyy-MM-dd"),
      });
      expect(same.clicks).toBeGreaterThanOrEqual(seeded.clicks);
      expect({
        clicks: same.clicks,
        seeded: seeded.clicks,
        within: within(same.clicks, seeded.clicks, 0.05),
      }).toMatchObject({ within: true });
      expect(keys(asRows(same.topQueries), 10)).toEqual(keys(seeded.topQueries, 10));
    });

    it("answers Bing for the demo property with Bing's own, smaller numbers, continuing its seeded snapshots", async () => {
      const seeded = await latestSnapshot("BING");
      const gscClient = { baseUrl: provider.url, accessToken: provider.token({ platform: "GSC" }) };
      const client = { baseUrl: provider.url, accessToken: provider.token({ platform: "BING" }) };
      const now = new Date();
      const [gsc, bing] = await Promise.all([
        fetchPerformanceSummary(gscClient, {
          siteUrl: seeded.siteUrl,
          startDate: format(subDays(now, 28), "yyyy-MM-dd"),
          endDate: format(subDays(now, 1), "yyyy-MM-dd"),
        }),
        fetchBingSummary(client, seeded.siteUrl, now),
      ]);
      // Two platforms, two answers (they once were the same rows).
      expect(bing.clicks).toBeLessThan(gsc.clicks / 2);
      expect(bing.impressions).toBeLessThan(gsc.impressions / 2);
      expect(bing.topQueries.slice(0, 5).map((r) => [r.key, r.clicks, r.impressions])).not.toEqual(
        gsc.topQueries.slice(0, 5).map((r) => [r.keys?.[0], r.clicks, r.impressions]),
      );
      // Its insights were cooled off by the quota for three days: the latest snapshot is older, the trend the same.
      expect({
        clicks: bing.clicks,
        seeded: seeded.clicks,
        within: within(bing.clicks, seeded.clicks, 0.15),
      }).toMatchObject({ within: true });
      expect({
        impressions: bing.impressions,
        seeded: seeded.impressions,
        within: within(bing.impressions, seeded.impressions, 0.15),
      }).toMatchObject({ within: true });
      expect(keys(bing.topQueries, 1)).toEqual(keys(seeded.topQueries, 1));
      expect(keys(bing.topPages, 1)).toEqual(keys(seeded.topPages, 1));
      // The snapshot's own window, asked now: its top queries and pages, and (with the data that came in since) a little more.
      const same = await fetchBingSummary(client, seeded.siteUrl, seeded.askedAt);
      expect(keys(same.topQueries, 2)).toEqual(keys(seeded.topQueries, 2));
      expect(keys(same.topPages, 3)).toEqual(keys(seeded.topPages, 3));
      expect(same.clicks).toBeGreaterThanOrEqual(seeded.clicks);
      expect({
        clicks: same.clicks,
        seeded: seeded.clicks,
        within: within(same.clicks, seeded.clicks, 0.15),
      }).toMatchObject({ within: true });
    });

    // Last in this block: it writes snapshots of its own.
    it("lets the real insights executors fetch with the seeded connections: the new snapshots continue the seeded ones, one per platform", async () => {
      const registry = createExecutorRegistry({
        db: t.db,
        keyring,
        ...integrationSettings(integrationsEnvSchema.parse({}), provider.url),
        eventRetentionDays: 90,
        logRetentionDays: 90,
      });
      const fetched: Record<
        string,
        { clicks: number; impressions: number; topQueries: { key: string; clicks: number }[] }
      > = {};
      for (const platform of ["GSC", "BING"] as const) {
        const seeded = await latestSnapshot(platform);
        const task = await t.db.task.findUniqueOrThrow({ where: { id: seeded.taskId! } });
        const outcome = await registry[task.type]!(task, {
          signal: new AbortController().signal,
          now: () => new Date(),
        });
        expect(outcome, platform).toMatchObject({ ok: true, dataSource: "api" });
        const snapshot = await t.db.insightSnapshot.findUniqueOrThrow({
          where: { id: (outcome.result as { snapshotId: string }).snapshotId },
        });
        const topQueries = snapshot.topQueries as { key: string; clicks: number }[];
        expect(snapshot).toMatchObject({ platform, siteUrl: seeded.siteUrl, taskId: seeded.taskId });
        expect({
          platform,
          clicks: snapshot.clicks,
          seeded: seeded.clicks,
          within: within(snapshot.clicks, seeded.clicks, 0.15),
        }).toMatchObject({ within: true });
        expect({
          platform,
          impressions: snapshot.impressions,
          seeded: seeded.impressions,
          within: within(snapshot.impressions, seeded.impressions, 0.15),
        }).toMatchObject({ within: true });
        expect(keys(topQueries, platform === "GSC" ? 10 : 1)).toEqual(
          keys(seeded.topQueries, platform === "GSC" ? 10 : 1),
        );
        fetched[platform] = { clicks: snapshot.clicks, impressions: snapshot.impressions, topQueries };
      }
      expect(fetched.BING!.clicks).not.toBe(fetched.GSC!.clicks);
      expect(fetched.BING!.impressions).not.toBe(fetched.GSC!.impressions);
      expect(fetched.BING!.topQueries.slice(0, 5)).not.toEqual(fetched.GSC!.topQueries.slice(0, 5));
    });
  });

  it("keeps the cumulative counters in agreement with the events", async () => {
    expect(await reconcileCumulativeStats(t.db)).toMatchObject({ consistent: true, difference: {} });
    const stats = await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } });
    expect(stats.tasksExecuted).toBe(await t.db.executionLog.count());
    const rollup = await t.db.runStatDaily.aggregate({ _sum: { runs: true } });
    expect(rollup._sum.runs).toBe(await t.db.executionLog.count());
  });
});
