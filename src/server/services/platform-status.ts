import type { Platform } from "@/generated/sqlite/enums";
import type { Db } from "@/server/db";
import type { PlatformInput } from "@/lib/validation/platform";
import { PLATFORM_NAMES, PLATFORMS } from "@/lib/validation/platform";
import { CONNECTION_STATES, needsReconnect, plural, RECONNECT_STATUSES } from "@/lib/states";
import { attentionCount, connectionsNeedingAttention, tasksNeedingAttention } from "./attention";
import { listConnections } from "./connections";
import { typesIn, VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { dedupeKeys } from "./provisioning";
import { ownRows, ownScope, type Scope } from "./scope";
import { NotFoundError } from "@/server/errors";
import { manualTrigger, type TaskRunner } from "./tasks";

const TASK_SELECT = {
  id: true,
  status: true,
  nextRunAt: true,
  lastRunAt: true,
  lastSuccessAt: true,
  lastFailureAt: true,
  lastOutcome: true,
  failureReason: true,
  consecutiveFailures: true,
  frequencyMinutes: true,
  createdAt: true,
  updatedAt: true,
} as const;

/**
 * The Platforms pages are about the caller's own platforms and websites (an admin's too: connections
 * are personal settings), so everything on them is the caller's own rows: the insights, the websites,
 * the summary and its "needs attention", the health.
 */

/** Search Console and Bing insights: each of the caller's tasks with its latest snapshot. */
export async function insightsStatus(db: Db, scope: Scope) {
  const tasks = await db.task.findMany({
    where: { ...ownRows(scope), type: { in: typesIn("insights") }, status: { not: "ENDED" } },
    orderBy: [{ type: "asc" }, { createdAt: "asc" }],
    select: {
      ...TASK_SELECT,
      type: true,
      platform: true,
      userId: true,
      connection: { select: { status: true, selectedSiteUrl: true } },
    },
  });
  const snapshots = await Promise.all(
    tasks.map((t) =>
      db.insightSnapshot.findFirst({
        where: { taskId: t.id },
        orderBy: { fetchedAt: "desc" },
        select: {
          id: true,
          siteUrl: true,
          startDate: true,
          endDate: true,
          clicks: true,
          impressions: true,
          ctr: true,
          position: true,
          topQueries: true,
          topPages: true,
          dataSource: true,
          fetchedAt: true,
        },
      }),
    ),
  );
  // The trend across the last snapshots of each task (oldest first), for the chart.
  const trends = await Promise.all(
    tasks.map((t) =>
      db.insightSnapshot.findMany({
        where: { taskId: t.id },
        orderBy: { fetchedAt: "desc" },
        take: 20,
        select: { fetchedAt: true, clicks: true, impressions: true, ctr: true, position: true },
      }),
    ),
  );
  return tasks.map((t, i) => ({ ...t, latestSnapshot: snapshots[i] ?? null, trend: (trends[i] ?? []).reverse() }));
}

/** The user's own site and competitors: each analysis task with its latest result. */
export async function websiteAnalysisStatus(db: Db, scope: Scope) {
  const tasks = await db.task.findMany({
    where: { ...ownRows(scope), type: { in: typesIn("website") }, status: { not: "ENDED" } },
    orderBy: [{ websiteRole: "asc" }, { createdAt: "asc" }],
    select: { ...TASK_SELECT, userId: true, websiteUrl: true, websiteRole: true },
  });
  const analyses = await Promise.all(
    tasks.map((t) =>
      db.websiteAnalysis.findFirst({
        where: { taskId: t.id },
        orderBy: { analyzedAt: "desc" },
        select: {
          id: true,
          statusCode: true,
          finalUrl: true,
          responseTimeMs: true,
          ttfbMs: true,
          title: true,
          metaDescription: true,
          wordCount: true,
          seoScore: true,
          images: true,
          imagesWithoutAlt: true,
          internalLinks: true,
          externalLinks: true,
          details: true,
          error: true,
          analyzedAt: true,
        },
      }),
    ),
  );
  // Where the latest attempt failed, the last good result still tells where the site stood.
  const lastGood = await Promise.all(
    tasks.map((t, i) =>
      analyses[i]?.error
        ? db.websiteAnalysis.findFirst({
            where: { taskId: t.id, error: null },
            orderBy: { analyzedAt: "desc" },
            select: { seoScore: true, analyzedAt: true },
          })
        : null,
    ),
  );
  const items = tasks.map((t, i) => ({
    ...t,
    latestAnalysis: analyses[i] ?? null,
    lastGoodAnalysis: lastGood[i] ?? null,
  }));
  return {
    own: items.filter((t) => t.websiteRole !== "COMPETITOR"),
    competitors: items.filter((t) => t.websiteRole === "COMPETITOR"),
  };
}

/**
 * Per platform: connected or not, its connection as every page shows it (the same state and "last
 * checked" as the Connections page: both come from `listConnections`), and its token task.
 */
export async function oauthTokenStatus(db: Db, scope: Scope) {
  const [connections, tasks] = await Promise.all([
    listConnections(db, scope),
    db.task.findMany({
      where: { ...ownRows(scope), type: "OAUTH_TOKEN_MONITORING", status: { not: "ENDED" } },
      select: { ...TASK_SELECT, platform: true },
    }),
  ]);
  return PLATFORMS.map((platform) => {
    const connection = connections.find((c) => c.platform === platform) ?? null;
    return {
      platform,
      connected: connection !== null && connection.status !== "DISCONNECTED",
      connection,
      task: tasks.find((t) => t.platform === platform) ?? null,
      lastCheck: connection?.latestTokenCheck ?? null,
    };
  });
}

/** Checks (and if needed refreshes) a platform's token now: a manual run of its token task. */
export async function refreshToken(db: Db, scope: Scope, input: PlatformInput, runner: TaskRunner | null) {
  const task = await db.task.findFirst({
    where: { ...ownRows(scope), dedupeKey: dedupeKeys.oauth(input.platform as Platform) },
    select: { id: true },
  });
  if (!task) throw new NotFoundError(`${PLATFORM_NAMES[input.platform]} token check`);
  return manualTrigger(db, scope, { taskId: task.id }, runner);
}

/**
 * Totals, active, failing, what needs attention (the same number as the overview and Intervention),
 * a health score (null while nothing is set up) and the last 24 hours' activity of the user's
 * monitoring, optionally of one platform.
 */
export async function monitoringSummary(db: Db, scope: Scope, now = new Date(), platform?: Platform) {
  const where = {
    ...ownRows(scope),
    type: { in: VISIBLE_TASK_TYPES },
    status: { not: "ENDED" as const },
    ...(platform ? { platform } : {}),
  };
  const since = new Date(now.getTime() - 86_400_000);
  const [byStatus, blocked, recent, needsAttention] = await Promise.all([
    db.task.groupBy({ by: ["status"], where, _count: { _all: true } }),
    // Tasks that cannot run until their connection is renewed (an expired or revoked token).
    db.task.count({
      where: {
        ...where,
        status: { in: ["ACTIVE", "PAUSED"] },
        connection: { status: { in: [...RECONNECT_STATUSES] } },
      },
    }),
    // The last day only: a bounded range of the (userId, startedAt) index.
    db.executionLog.groupBy({
      by: ["status"],
      where: {
        ...ownRows(scope),
        startedAt: { gte: since },
        status: { not: "RUNNING" },
        ...(platform ? { task: { platform } } : {}),
      },
      _count: { _all: true },
    }),
    platform ? platformAttentionCount(db, scope, platform) : attentionCount(db, ownScope(scope)).then((c) => c.total),
  ]);
  const count = (s: string) => byStatus.find((r) => r.status === s)?._count._all ?? 0;
  const total = byStatus.reduce((a, r) => a + r._count._all, 0);
  const runs = recent.reduce((a, r) => a + r._count._all, 0);
  const succeeded = recent.find((r) => r.status === "SUCCESS")?._count._all ?? 0;
  const failedRuns = recent
    .filter((r) => r.status === "FAILED" || r.status === "TIMED_OUT")
    .reduce((a, r) => a + r._count._all, 0);
  const failing = count("FAILED") + count("NEEDS_INTERVENTION");
  // 100 when every task is healthy and every recent run succeeded; failing tasks (and those a dead
  // connection holds up) weigh more than failed runs.
  const taskHealth = total === 0 ? 1 : 1 - Math.min(total, failing + blocked) / total;
  const runHealth = succeeded + failedRuns === 0 ? 1 : succeeded / (succeeded + failedRuns);
  return {
    totalTasks: total,
    active: count("ACTIVE"),
    paused: count("PAUSED"),
    failed: failing,
    needsAttention,
    healthScore: total === 0 ? null : Math.round((taskHealth * 0.6 + runHealth * 0.4) * 100),
    last24h: { runs, succeeded, failed: failedRuns },
  };
}

/** One platform's share of `attentionCount`: its connection if it needs reconnecting, and its tasks. */
async function platformAttentionCount(db: Db, scope: Scope, platform: Platform) {
  const [connections, tasks] = await Promise.all([
    db.platformConnection.count({ where: { ...connectionsNeedingAttention(ownScope(scope)), platform } }),
    db.task.count({ where: { ...tasksNeedingAttention(ownScope(scope)), platform } }),
  ]);
  return connections + tasks;
}

/**
 * not_configured (nothing connected or added), healthy, or degraded with the reasons in words; with a
 * platform, about that platform only (its page shows no banner about another one).
 */
export async function platformHealth(db: Db, scope: Scope, now = new Date(), platform?: Platform) {
  const [connections, websites, summary] = await Promise.all([
    db.platformConnection.findMany({
      where: { ...ownRows(scope), ...(platform ? { platform } : {}) },
      select: { platform: true, status: true },
    }),
    platform ? Promise.resolve(0) : db.website.count({ where: ownRows(scope) }),
    monitoringSummary(db, scope, now, platform),
  ]);
  const live = connections.filter((c) => c.status !== "DISCONNECTED");
  if (live.length === 0 && websites === 0 && summary.totalTasks === 0) {
    return {
      status: "not_configured" as const,
      reasons: [
        platform
          ? `${PLATFORM_NAMES[platform]} is not connected.`
          : "No platform is connected and no website is added.",
      ],
      healthScore: null,
    };
  }
  const reasons: string[] = [];
  for (const c of live)
    if (c.status !== "CONNECTED")
      reasons.push(`${PLATFORM_NAMES[c.platform]}: ${CONNECTION_STATES[c.status].label.toLowerCase()}`);
  const reconnects = live.filter((c) => needsReconnect(c.status)).length;
  const tasksNeeding = summary.needsAttention - reconnects;
  if (tasksNeeding > 0) reasons.push(`${plural(tasksNeeding, "task needs", "tasks need")} attention`);
  if (summary.totalTasks > 0 && summary.active === 0 && summary.paused > 0)
    reasons.push(
      summary.paused === summary.totalTasks
        ? `${summary.paused === 1 ? "its only task is" : `all ${summary.paused} tasks are`} paused: nothing is being checked`
        : "no task is active",
    );
  if (
    summary.last24h.failed > 0 &&
    summary.last24h.succeeded / Math.max(1, summary.last24h.succeeded + summary.last24h.failed) < 0.8
  ) {
    const finished = summary.last24h.succeeded + summary.last24h.failed;
    reasons.push(`only ${summary.last24h.succeeded} of ${plural(finished, "run")} succeeded in the last 24 hours`);
  }
  return {
    status: reasons.length ? ("degraded" as const) : ("healthy" as const),
    reasons,
    healthScore: summary.healthScore,
  };
}
