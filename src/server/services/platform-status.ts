import type {
  ConnectionStatus,
  ExecutionStatus,
  Platform,
  TaskStatus,
  TaskType,
  WebsiteRole,
} from "@/generated/sqlite/enums";
import { engineOfDb, type Db } from "@/server/db";
import { asDate, asDateOrNull, numberOrNull, Params, parsedJson } from "@/server/sql";
import type { PlatformInput } from "@/lib/validation/platform";
import { PLATFORM_NAMES, PLATFORMS } from "@/lib/validation/platform";
import { CONNECTION_STATES, needsReconnect, plural, RECONNECT_STATUSES } from "@/lib/states";
import { attentionCount } from "./attention";
import { listConnections } from "./connections";
import { typesIn, VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { dedupeKeys } from "./provisioning";
import { ownRows, ownScope, type Scope } from "./scope";
import { NotFoundError } from "@/server/errors";
import { manualTrigger, type TaskRunner } from "./tasks";

/** A task's fields on the Platforms pages (the token page reads them through Prisma, the others in SQL). */
export const TASK_SELECT = {
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

/** How many of a task's latest snapshots the insights chart draws. */
export const TREND_POINTS = 20;

/** The caller's live tasks of a category, as SQL (for the raw reads of their results below). */
function liveTasksSql(p: Params, scope: Scope, category: "insights" | "website") {
  return `SELECT t."id" FROM "Task" t WHERE t."userId" = ${p.add(ownRows(scope).userId)}
    AND ${p.inList('t."type"', typesIn(category))} AND t."status" <> 'ENDED'`;
}

interface LiveTaskRow {
  id: string;
  status: TaskStatus;
  nextRunAt: Date | string | null;
  lastRunAt: Date | string | null;
  lastSuccessAt: Date | string | null;
  lastFailureAt: Date | string | null;
  lastOutcome: ExecutionStatus | null;
  failureReason: string | null;
  consecutiveFailures: number | bigint;
  frequencyMinutes: number | bigint;
  createdAt: Date | string;
  updatedAt: Date | string;
  type: TaskType;
  platform: Platform | null;
  userId: string;
  websiteUrl: string | null;
  websiteRole: WebsiteRole | null;
  connectionStatus: ConnectionStatus | null;
  selectedSiteUrl: string | null;
}

/**
 * The caller's live tasks of a category with their connection, in one statement (every page load reads
 * them: a Prisma model query with its include costs several times the CPU), in the page's order.
 */
async function liveTasks(db: Db, scope: Scope, category: "insights" | "website") {
  const p = new Params(engineOfDb(db));
  const order = category === "insights" ? `t."type", t."createdAt"` : `t."websiteRole", t."createdAt"`;
  const rows = await db.$queryRawUnsafe<LiveTaskRow[]>(
    `SELECT t."id", t."status", t."nextRunAt", t."lastRunAt", t."lastSuccessAt", t."lastFailureAt", t."lastOutcome",
       t."failureReason", t."consecutiveFailures", t."frequencyMinutes", t."createdAt", t."updatedAt", t."type",
       t."platform", t."userId", t."websiteUrl", t."websiteRole", c."status" AS "connectionStatus", c."selectedSiteUrl"
     FROM "Task" t LEFT JOIN "PlatformConnection" c ON c."id" = t."connectionId"
     WHERE t."id" IN (${liveTasksSql(p, scope, category)})
     ORDER BY ${order}, t."id"`,
    ...p.values,
  );
  return rows.map((t) => ({
    // TASK_SELECT's fields, typed as Prisma gives them.
    task: {
      id: t.id,
      status: t.status,
      nextRunAt: asDateOrNull(t.nextRunAt),
      lastRunAt: asDateOrNull(t.lastRunAt),
      lastSuccessAt: asDateOrNull(t.lastSuccessAt),
      lastFailureAt: asDateOrNull(t.lastFailureAt),
      lastOutcome: t.lastOutcome,
      failureReason: t.failureReason,
      consecutiveFailures: Number(t.consecutiveFailures),
      frequencyMinutes: Number(t.frequencyMinutes),
      createdAt: asDate(t.createdAt),
      updatedAt: asDate(t.updatedAt),
    },
    row: t,
  }));
}

interface SnapshotRow {
  taskId: string;
  recency: bigint | number;
  id: string;
  siteUrl: string;
  startDate: Date | string;
  endDate: Date | string;
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
  topQueries: unknown;
  topPages: unknown;
  dataSource: string;
  fetchedAt: Date | string;
}

/**
 * The latest TREND_POINTS snapshots of each of the caller's live insights tasks, newest first, in one
 * statement (a range of the (taskId, fetchedAt) index per task); the top queries and pages only for
 * the newest, the one shown whole.
 */
async function recentSnapshots(db: Db, scope: Scope) {
  const p = new Params(engineOfDb(db));
  const owner = p.add(ownRows(scope).userId);
  const tasks = liveTasksSql(p, scope, "insights");
  const rows = await db.$queryRawUnsafe<SnapshotRow[]>(
    `SELECT "taskId", "recency", "id", "siteUrl", "startDate", "endDate", "clicks", "impressions", "ctr", "position",
       CASE WHEN "recency" = 1 THEN "topQueries" END AS "topQueries",
       CASE WHEN "recency" = 1 THEN "topPages" END AS "topPages", "dataSource", "fetchedAt"
     FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s."taskId" ORDER BY s."fetchedAt" DESC, s."id" DESC) AS "recency"
           FROM "InsightSnapshot" s WHERE s."userId" = ${owner} AND s."taskId" IN (${tasks})) ranked
     WHERE "recency" <= ${p.add(TREND_POINTS)}
     ORDER BY "taskId", "recency"`,
    ...p.values,
  );
  const byTask = new Map<string, SnapshotRow[]>();
  for (const row of rows) byTask.set(row.taskId, [...(byTask.get(row.taskId) ?? []), row]);
  return byTask;
}

/** Search Console and Bing insights: each of the caller's tasks with its latest snapshot and trend. */
export async function insightsStatus(db: Db, scope: Scope) {
  const [tasks, snapshots] = await Promise.all([liveTasks(db, scope, "insights"), recentSnapshots(db, scope)]);
  return tasks.map(({ task: t, row }) => {
    const recent = snapshots.get(t.id) ?? [];
    const latest = recent[0];
    return {
      ...t,
      type: row.type,
      platform: row.platform,
      userId: row.userId,
      connection:
        row.connectionStatus === null ? null : { status: row.connectionStatus, selectedSiteUrl: row.selectedSiteUrl },
      latestSnapshot: latest
        ? {
            id: latest.id,
            siteUrl: latest.siteUrl,
            startDate: asDate(latest.startDate),
            endDate: asDate(latest.endDate),
            clicks: Number(latest.clicks),
            impressions: Number(latest.impressions),
            ctr: Number(latest.ctr),
            position: Number(latest.position),
            topQueries: parsedJson(latest.topQueries),
            topPages: parsedJson(latest.topPages),
            dataSource: latest.dataSource,
            fetchedAt: asDate(latest.fetchedAt),
          }
        : null,
      // The trend across the last snapshots (oldest first), for the chart.
      trend: recent
        .map((s) => ({
          fetchedAt: asDate(s.fetchedAt),
          clicks: Number(s.clicks),
          impressions: Number(s.impressions),
          ctr: Number(s.ctr),
          position: Number(s.position),
        }))
        .reverse(),
    };
  });
}

interface AnalysisRow {
  taskId: string;
  latest: bigint | number | boolean;
  id: string;
  statusCode: number | null;
  finalUrl: string | null;
  responseTimeMs: number | null;
  ttfbMs: number | null;
  title: string | null;
  metaDescription: string | null;
  wordCount: number | null;
  seoScore: number | null;
  images: number | null;
  imagesWithoutAlt: number | null;
  internalLinks: number | null;
  externalLinks: number | null;
  details: unknown;
  error: string | null;
  analyzedAt: Date | string;
}

/**
 * Each of the caller's live website tasks' latest analysis and its last one without an error, in one
 * statement (both from one pass over the task's analyses, newest first; one row where they are the same).
 */
async function latestAnalyses(db: Db, scope: Scope) {
  const p = new Params(engineOfDb(db));
  const owner = p.add(ownRows(scope).userId);
  const tasks = liveTasksSql(p, scope, "website");
  const rows = await db.$queryRawUnsafe<AnalysisRow[]>(
    `SELECT * FROM (
       SELECT a."taskId", a."id", a."statusCode", a."finalUrl", a."responseTimeMs", a."ttfbMs", a."title",
         a."metaDescription", a."wordCount", a."seoScore", a."images", a."imagesWithoutAlt", a."internalLinks",
         a."externalLinks", a."details", a."error", a."analyzedAt",
         ROW_NUMBER() OVER (PARTITION BY a."taskId" ORDER BY a."analyzedAt" DESC, a."id" DESC) AS "latest",
         ROW_NUMBER() OVER (PARTITION BY a."taskId", (a."error" IS NULL) ORDER BY a."analyzedAt" DESC, a."id" DESC) AS "latestOfKind"
       FROM "WebsiteAnalysis" a WHERE a."userId" = ${owner} AND a."taskId" IN (${tasks})) ranked
     WHERE "latest" = 1 OR ("error" IS NULL AND "latestOfKind" = 1)
     ORDER BY "taskId", "latest"`,
    ...p.values,
  );
  const byTask = new Map<string, { latest: AnalysisRow; lastGood: AnalysisRow | null }>();
  for (const row of rows) {
    const seen = byTask.get(row.taskId);
    if (!seen) byTask.set(row.taskId, { latest: row, lastGood: null });
    else seen.lastGood = row;
  }
  return byTask;
}

/** The user's own site and competitors: each analysis task with its latest result. */
export async function websiteAnalysisStatus(db: Db, scope: Scope) {
  const [tasks, analyses] = await Promise.all([liveTasks(db, scope, "website"), latestAnalyses(db, scope)]);
  const items = tasks.map(({ task: t, row }) => {
    const found = analyses.get(t.id);
    const latest = found?.latest;
    return {
      ...t,
      userId: row.userId,
      websiteUrl: row.websiteUrl,
      websiteRole: row.websiteRole,
      latestAnalysis: latest
        ? {
            id: latest.id,
            statusCode: numberOrNull(latest.statusCode),
            finalUrl: latest.finalUrl,
            responseTimeMs: numberOrNull(latest.responseTimeMs),
            ttfbMs: numberOrNull(latest.ttfbMs),
            title: latest.title,
            metaDescription: latest.metaDescription,
            wordCount: numberOrNull(latest.wordCount),
            seoScore: numberOrNull(latest.seoScore),
            images: numberOrNull(latest.images),
            imagesWithoutAlt: numberOrNull(latest.imagesWithoutAlt),
            internalLinks: numberOrNull(latest.internalLinks),
            externalLinks: numberOrNull(latest.externalLinks),
            details: parsedJson(latest.details),
            error: latest.error,
            analyzedAt: asDate(latest.analyzedAt),
          }
        : null,
      // Where the latest attempt failed, the last good result still tells where the site stood.
      lastGoodAnalysis:
        latest?.error && found?.lastGood
          ? { seoScore: numberOrNull(found.lastGood.seoScore), analyzedAt: asDate(found.lastGood.analyzedAt) }
          : null,
    };
  });
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
    attentionCount(db, ownScope(scope), platform).then((c) => c.total),
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
