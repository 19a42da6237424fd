/**
 * What raises and clears each kind of alert, in words people read: called inside the transaction that
 * records what happened (the outbox), by the run recorder, the executors, the connections service and the
 * late-run watch.
 */
import type { Platform, TaskType } from "@/generated/sqlite/enums";
import type { Prisma } from "@/generated/sqlite/client";
import type { Db, DbEngine, SqlRunner } from "@/server/db";
import { Params } from "@/server/sql";
import { formatDateTime, formatSpan } from "@/lib/format";
import { TASK_KINDS, TYPE_LABELS } from "@/lib/task-kinds";
import { PLATFORM_NAMES } from "@/lib/validation/platform";
import { effectiveRule, raiseAlert, resolveAlerts } from "./outbox";

type Tx = Prisma.TransactionClient | Db;

/**
 * A task as its alerts name it: "Website analysis (https://example.com/)", "OAuth token monitoring (Bing
 * Webmaster)"; an insights task's label names its platform already.
 */
export function taskName(task: { type: TaskType; platform?: string | null; websiteUrl?: string | null }): string {
  const label = TYPE_LABELS[task.type] ?? task.type;
  const platform =
    task.platform && TASK_KINDS[task.type].category === "token"
      ? (PLATFORM_NAMES[task.platform as Platform] ?? task.platform)
      : null;
  const target = task.websiteUrl ?? platform;
  return target ? `${label} (${target})` : label;
}

const taskLink = (taskId: string) => `/dashboard/jobs/${encodeURIComponent(taskId)}`;

/** A task that now needs a person (cooled off, or failed for good): one alert until it runs well again. */
export async function raiseTaskNeedsYou(
  tx: Tx,
  task: { id: string; userId: string | null; type: TaskType; platform: string | null; websiteUrl: string | null },
  state: { status: string; failureReason: string | null; failureCategory?: string | null },
  now: Date,
) {
  if (!task.userId) return null;
  // Still open from before (a retry that failed again): the same episode.
  const open = await tx.alert.findFirst({
    where: { taskId: task.id, kind: "TASK_NEEDS_INTERVENTION", resolvedAt: null },
    select: { id: true },
  });
  if (open) return null;
  const name = taskName(task);
  const why = state.failureReason ? ` The last error: ${state.failureReason.slice(0, 300)}` : "";
  // Said without the cool-off's end, which a retry moves: the task's page has the current one.
  const message =
    state.status === "FAILED"
      ? `${name} failed in a way retrying will not fix and waits for you.${why}`
      : state.failureCategory === "API_LIMIT"
        ? `${name} hit the platform's quota repeatedly and is cooled off; it runs again by itself once the quota resets.${why}`
        : `${name} failed repeatedly and is cooled off: it tries again by itself later, or retry it from Intervention once the cause is fixed.${why}`;
  return raiseAlert(
    tx,
    {
      userId: task.userId,
      kind: "TASK_NEEDS_INTERVENTION",
      episodeKey: `intervention:${task.id}:${now.toISOString()}`,
      title: `${name} needs you`,
      message,
      link: taskLink(task.id),
      taskId: task.id,
    },
    now,
  );
}

/** Tasks that ran well again: their open "needs you" episodes close, with a notice. */
/**
 * Of these tasks, those with an open "needs you" alert (what resolveTasksRecovered would close): one
 * indexed read, so that a batch of runs whose tasks have none skips the alert writes altogether.
 */
export async function tasksAwaitingRecovery(db: SqlRunner, engine: DbEngine, taskIds: string[]): Promise<string[]> {
  if (taskIds.length === 0) return [];
  const p = new Params(engine);
  const kind = p.add("TASK_NEEDS_INTERVENTION");
  const rows = await db.$queryRawUnsafe<{ taskId: string }[]>(
    `SELECT DISTINCT "taskId" FROM "Alert" WHERE "kind" = ${kind} AND "resolvedAt" IS NULL AND ${p.inList(`"taskId"`, taskIds)}`,
    ...p.values,
  );
  return rows.map((row) => row.taskId);
}

export function resolveTasksRecovered(tx: Tx, taskIds: string[], now: Date) {
  if (taskIds.length === 0) return Promise.resolve(0);
  return resolveAlerts(
    tx,
    { taskId: taskIds.length === 1 ? taskIds[0] : { in: taskIds }, kinds: ["TASK_NEEDS_INTERVENTION"] },
    (alert) => ({
      title: alert.title.replace(/ needs you$/, " runs again"),
      message: `${alert.title.replace(/ needs you$/, "")} ran successfully again; nothing more to do.`,
    }),
    now,
  );
}

/**
 * A person released the task by hand (a manual trigger, a retry that resets it): its "needs you" episode is
 * over, and its alert is read (they acted on it). No "cleared" notice: nothing recovered yet; if the task fails
 * into intervention again, that is a new episode.
 */
export async function closeTaskAlertsByHand(tx: Tx, taskId: string, now: Date) {
  await tx.alert.updateMany({
    where: { taskId, kind: "TASK_NEEDS_INTERVENTION", resolvedAt: null },
    data: { resolvedAt: now },
  });
  await tx.alert.updateMany({
    where: { taskId, kind: "TASK_NEEDS_INTERVENTION", readAt: null },
    data: { readAt: now },
  });
}

/** A connection that stopped working (expired, revoked): one alert until it is connected again. */
export async function raiseReconnect(
  tx: Tx,
  connection: { id: string; userId: string; platform: Platform },
  reason: string,
  now: Date,
) {
  const open = await tx.alert.findFirst({
    where: { userId: connection.userId, connectionId: connection.id, kind: "RECONNECT_REQUIRED", resolvedAt: null },
    select: { id: true },
  });
  if (open) return null;
  const name = PLATFORM_NAMES[connection.platform];
  return raiseAlert(
    tx,
    {
      userId: connection.userId,
      kind: "RECONNECT_REQUIRED",
      episodeKey: `reconnect:${connection.id}:${now.toISOString()}`,
      title: `Reconnect ${name}`,
      message: `The ${name} connection stopped working (${reason.slice(0, 200).replace(/[.\s]+$/, "")}). Connect it again to resume its tasks.`,
      link: "/dashboard/connections",
      connectionId: connection.id,
    },
    now,
  );
}

/** A token that still works but expires within the rule's days and cannot be renewed without the user. */
export async function raiseTokenExpiring(
  tx: Tx,
  connection: { id: string; userId: string; platform: Platform },
  expiresAt: Date,
  now: Date,
) {
  const rule = await effectiveRule(tx, connection.userId, "TOKEN_EXPIRING");
  if (expiresAt.getTime() - now.getTime() > (rule.threshold ?? 7) * 24 * 60 * 60_000) return null;
  const name = PLATFORM_NAMES[connection.platform];
  return raiseAlert(
    tx,
    {
      userId: connection.userId,
      kind: "TOKEN_EXPIRING",
      // One per expiry: a new token with a new expiry is a new episode.
      episodeKey: `expiring:${connection.id}:${expiresAt.toISOString()}`,
      title: `${name} token expires in ${formatSpan(expiresAt.getTime() - now.getTime())}`,
      message: `The ${name} token expires on ${formatDateTime(expiresAt, "UTC")} (UTC) and cannot be renewed automatically. Reconnect ${name} before then to keep its tasks running.`,
      link: "/dashboard/connections",
      connectionId: connection.id,
    },
    now,
  );
}

/** A connection connected again: its token alerts close, with a notice. */
export function resolveConnection(tx: Tx, connectionId: string, platform: Platform, now: Date) {
  return resolveAlerts(
    tx,
    { connectionId, kinds: ["RECONNECT_REQUIRED", "TOKEN_EXPIRING"] },
    () => ({
      title: `${PLATFORM_NAMES[platform]} is connected again`,
      message: `The ${PLATFORM_NAMES[platform]} connection works again and its tasks resume.`,
    }),
    now,
  );
}

/** A website's score fell by at least the rule's points since its previous analysis. */
export async function raiseScoreDrop(
  tx: Tx,
  analysis: { userId: string; taskId: string; url: string; analysisId: string; previous: number; current: number },
  now: Date,
) {
  const rule = await effectiveRule(tx, analysis.userId, "SCORE_DROP");
  const drop = analysis.previous - analysis.current;
  if (!rule.enabled || drop < (rule.threshold ?? 10)) return null;
  return raiseAlert(
    tx,
    {
      userId: analysis.userId,
      kind: "SCORE_DROP",
      episodeKey: `score:${analysis.analysisId}`,
      title: `${analysis.url}: SEO score down ${drop} points`,
      message: `The SEO score of ${analysis.url} fell from ${analysis.previous} to ${analysis.current} since the previous analysis. The analysis lists what changed.`,
      link: taskLink(analysis.taskId),
      taskId: analysis.taskId,
    },
    now,
  );
}

/** Clicks or impressions fell by at least the rule's percent against the snapshot a week earlier. */
export async function raiseTrafficDrop(
  tx: Tx,
  snapshot: {
    id: string;
    userId: string;
    taskId: string;
    platform: Platform;
    siteUrl: string;
    endDate: Date;
    clicks: number;
    impressions: number;
  },
  now: Date,
) {
  const rule = await effectiveRule(tx, snapshot.userId, "TRAFFIC_DROP");
  if (!rule.enabled) return null;
  const day = 24 * 60 * 60_000;
  const weekBefore = await tx.insightSnapshot.findFirst({
    where: {
      userId: snapshot.userId,
      platform: snapshot.platform,
      siteUrl: snapshot.siteUrl,
      endDate: {
        gte: new Date(snapshot.endDate.getTime() - 8 * day),
        lte: new Date(snapshot.endDate.getTime() - 6 * day),
      },
    },
    orderBy: { endDate: "desc" },
    select: { clicks: true, impressions: true },
  });
  if (!weekBefore) return null;
  const threshold = rule.threshold ?? 30;
  // Below ten of either, a percentage says little (3 clicks to 1 is "-67 %").
  const fell = (now_: number, before: number) => (before >= 10 ? Math.round(((before - now_) / before) * 100) : 0);
  const drops = [
    { what: "clicks", before: weekBefore.clicks, now: snapshot.clicks },
    { what: "impressions", before: weekBefore.impressions, now: snapshot.impressions },
  ]
    .map((d) => ({ ...d, percent: fell(d.now, d.before) }))
    .filter((d) => d.percent >= threshold);
  if (drops.length === 0) return null;
  const name = PLATFORM_NAMES[snapshot.platform];
  return raiseAlert(
    tx,
    {
      userId: snapshot.userId,
      kind: "TRAFFIC_DROP",
      episodeKey: `traffic:${snapshot.platform}:${snapshot.siteUrl}:${snapshot.endDate.toISOString().slice(0, 10)}`,
      title: `${snapshot.siteUrl}: ${drops.map((d) => `${d.what} down ${d.percent} %`).join(", ")} on ${name}`,
      message: `Week over week on ${name}, ${drops.map((d) => `${d.what} fell from ${d.before} to ${d.now} (-${d.percent} %)`).join(" and ")} for ${snapshot.siteUrl}.`,
      link: "/dashboard/platforms",
      taskId: snapshot.taskId,
    },
    now,
  );
}
