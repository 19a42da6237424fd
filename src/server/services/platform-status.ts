import type { Platform } from "@/generated/sqlite/enums";
import type { Db } from "@/server/db";
import type { PlatformInput } from "@/lib/validation/platform";
import { PLATFORMS } from "@/lib/validation/platform";
import { dedupeKeys } from "./provisioning";
import { NotFoundError, ownedBy, ownRows, type Scope } from "./scope";
import { manualTrigger, type TaskRunner } from "./tasks";

const TASK_SELECT = { id: true, status: true, nextRunAt: true, lastRunAt: true, lastSuccessAt: true, lastFailureAt: true, lastOutcome: true, failureReason: true, consecutiveFailures: true } as const;

/** Search Console and Bing insights: each task with its latest snapshot. */
export async function insightsStatus(db: Db, scope: Scope) {
  const tasks = await db.task.findMany({
    where: { ...ownedBy(scope), type: { in: ["GSC_INSIGHTS", "BING_INSIGHTS"] } },
    orderBy: [{ type: "asc" }, { createdAt: "asc" }],
    select: { ...TASK_SELECT, type: true, platform: true, userId: true, connection: { select: { status: true, selectedSiteUrl: true } } },
  });
  const snapshots = await Promise.all(
    tasks.map((t) =>
      db.insightSnapshot.findFirst({
        where: { taskId: t.id },
        orderBy: { fetchedAt: "desc" },
        select: { id: true, siteUrl: true, startDate: true, endDate: true, clicks: true, impressions: true, ctr: true, position: true, topQueries: true, topPages: true, dataSource: true, fetchedAt: true },
      }),
    ),
  );
  // The trend across the last snapshots of each task (oldest first), for the chart.
  const trends = await Promise.all(
    tasks.map((t) => db.insightSnapshot.findMany({ where: { taskId: t.id }, orderBy: { fetchedAt: "desc" }, take: 20, select: { fetchedAt: true, clicks: true, impressions: true, ctr: true, position: true } })),
  );
  return tasks.map((t, i) => ({ ...t, latestSnapshot: snapshots[i] ?? null, trend: (trends[i] ?? []).reverse() }));
}

/** The user's own site and competitors: each analysis task with its latest result. */
export async function websiteAnalysisStatus(db: Db, scope: Scope) {
  const tasks = await db.task.findMany({
    where: { ...ownedBy(scope), type: "WEBSITE_ANALYSIS" },
    orderBy: [{ websiteRole: "asc" }, { createdAt: "asc" }],
    select: { ...TASK_SELECT, userId: true, websiteUrl: true, websiteRole: true },
  });
  const analyses = await Promise.all(
    tasks.map((t) =>
      db.websiteAnalysis.findFirst({
        where: { taskId: t.id },
        orderBy: { analyzedAt: "desc" },
        select: { id: true, statusCode: true, finalUrl: true, responseTimeMs: true, ttfbMs: true, title: true, metaDescription: true, wordCount: true, seoScore: true, images: true, imagesWithoutAlt: true, internalLinks: true, externalLinks: true, details: true, error: true, analyzedAt: true },
      }),
    ),
  );
  const items = tasks.map((t, i) => ({ ...t, latestAnalysis: analyses[i] ?? null }));
  return { own: items.filter((t) => t.websiteRole !== "COMPETITOR"), competitors: items.filter((t) => t.websiteRole === "COMPETITOR") };
}

/** Per platform: connected or not, its token task, the last check and its result. */
export async function oauthTokenStatus(db: Db, scope: Scope) {
  const [connections, tasks] = await Promise.all([
    db.platformConnection.findMany({ where: ownRows(scope), select: { id: true, platform: true, status: true, tokenExpiresAt: true, lastCheckedAt: true, lastError: true } }),
    db.task.findMany({ where: { ...ownRows(scope), type: "OAUTH_TOKEN_MONITORING" }, select: { ...TASK_SELECT, platform: true } }),
  ]);
  const lastChecks = await Promise.all(
    tasks.map((t) => db.executionLog.findFirst({ where: { taskId: t.id, status: { not: "RUNNING" } }, orderBy: { id: "desc" }, select: { status: true, result: true, errorMessage: true, finishedAt: true } })),
  );
  return PLATFORMS.map((platform) => {
    const connection = connections.find((c) => c.platform === platform) ?? null;
    const index = tasks.findIndex((t) => t.platform === platform);
    const check = index >= 0 ? lastChecks[index] : null;
    return {
      platform,
      connected: connection !== null && connection.status !== "DISCONNECTED",
      connection,
      task: index >= 0 ? tasks[index]! : null,
      lastCheck: check ? { status: check.status, outcome: (check.result as { outcome?: string } | null)?.outcome ?? null, error: check.errorMessage, at: check.finishedAt } : null,
    };
  });
}

/** Checks (and if needed refreshes) a platform's token now: a manual run of its token task. */
export async function refreshToken(db: Db, scope: Scope, input: PlatformInput, runner: TaskRunner | null) {
  const task = await db.task.findFirst({ where: { ...ownRows(scope), dedupeKey: dedupeKeys.oauth(input.platform as Platform) }, select: { id: true } });
  if (!task) throw new NotFoundError(`${input.platform} token task`);
  return manualTrigger(db, scope, { taskId: task.id }, runner);
}

/** Totals, active, failed, a health score and the last 24 hours' activity of the user's monitoring. */
export async function monitoringSummary(db: Db, scope: Scope, now = new Date()) {
  const where = { ...ownedBy(scope), type: { in: ["OAUTH_TOKEN_MONITORING", "GSC_INSIGHTS", "BING_INSIGHTS", "WEBSITE_ANALYSIS"] as ("OAUTH_TOKEN_MONITORING" | "GSC_INSIGHTS" | "BING_INSIGHTS" | "WEBSITE_ANALYSIS")[] } };
  const since = new Date(now.getTime() - 86_400_000);
  const [byStatus, recent] = await Promise.all([
    db.task.groupBy({ by: ["status"], where, _count: { _all: true } }),
    // The last day only: a bounded range of the (userId, startedAt) index.
    db.executionLog.groupBy({ by: ["status"], where: { ...ownedBy(scope), startedAt: { gte: since }, status: { not: "RUNNING" } }, _count: { _all: true } }),
  ]);
  const count = (s: string) => byStatus.find((r) => r.status === s)?._count._all ?? 0;
  const total = byStatus.reduce((a, r) => a + r._count._all, 0);
  const runs = recent.reduce((a, r) => a + r._count._all, 0);
  const succeeded = recent.find((r) => r.status === "SUCCESS")?._count._all ?? 0;
  const failedRuns = recent.filter((r) => r.status === "FAILED" || r.status === "TIMED_OUT").reduce((a, r) => a + r._count._all, 0);
  const failing = count("FAILED") + count("NEEDS_INTERVENTION");
  // 100 when every task is healthy and every recent run succeeded; failing tasks weigh more than failed runs.
  const taskHealth = total === 0 ? 1 : 1 - failing / total;
  const runHealth = succeeded + failedRuns === 0 ? 1 : succeeded / (succeeded + failedRuns);
  return {
    totalTasks: total,
    active: count("ACTIVE"),
    paused: count("PAUSED"),
    failed: failing,
    healthScore: Math.round((taskHealth * 0.6 + runHealth * 0.4) * 100),
    last24h: { runs, succeeded, failed: failedRuns },
  };
}

/** not_configured (nothing connected or added), healthy, or degraded with the reasons. */
export async function platformHealth(db: Db, scope: Scope, now = new Date()) {
  const [connections, websites, summary, needUser] = await Promise.all([
    db.platformConnection.findMany({ where: ownRows(scope), select: { platform: true, status: true } }),
    db.website.count({ where: ownRows(scope) }),
    monitoringSummary(db, scope, now),
    db.task.count({ where: { ...ownedBy(scope), status: "NEEDS_INTERVENTION" } }),
  ]);
  const live = connections.filter((c) => c.status !== "DISCONNECTED");
  if (live.length === 0 && websites === 0 && summary.totalTasks === 0) return { status: "not_configured" as const, reasons: ["No platform is connected and no website is added."], healthScore: null };
  const reasons: string[] = [];
  for (const c of live) if (c.status !== "CONNECTED") reasons.push(`${c.platform} connection is ${c.status.toLowerCase()}`);
  if (needUser > 0) reasons.push(`${needUser} task${needUser === 1 ? " needs" : "s need"} intervention`);
  if (summary.last24h.failed > 0 && summary.last24h.succeeded / Math.max(1, summary.last24h.succeeded + summary.last24h.failed) < 0.8) {
    reasons.push(`only ${summary.last24h.succeeded} of ${summary.last24h.succeeded + summary.last24h.failed} runs succeeded in the last 24 hours`);
  }
  return { status: reasons.length ? ("degraded" as const) : ("healthy" as const), reasons, healthScore: summary.healthScore };
}
