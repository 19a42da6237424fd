import type { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/server/db";
import { metrics } from "@/server/metrics";
import { WORKER_ALIVE_MS } from "@/server/config/scheduler";
import { formatDateTime, formatSpan } from "@/lib/format";
import { latenessAt, MIN_GRACE_MINUTES, type Lateness } from "@/lib/overdue";
import { VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { raiseAlert, resolveAlerts, type AlertSpec } from "@/server/scheduler/alerts/outbox";
import { taskName } from "@/server/scheduler/alerts/conditions";
import { ownedBy, type Scope } from "./scope";

/** At most this many overdue tasks are read at once; past it the counts say "at least". */
export const OVERDUE_READ_LIMIT = 1_000;

/**
 * Tasks that may be late: active, not running, due more than the smallest grace ago. The claim index
 * (status, nextRunAt) serves it; each candidate's own grace decides (`latenessAt`). Needs no worker: every
 * web instance answers it, so a stopped engine shows as late tasks.
 */
function overdueCandidates(scope: Scope | "system", now: Date): Prisma.TaskWhereInput {
  return {
    ...(scope === "system" ? {} : { ...ownedBy(scope), type: { in: VISIBLE_TASK_TYPES } }),
    status: "ACTIVE",
    leaseOwner: null,
    nextRunAt: { lt: new Date(now.getTime() - MIN_GRACE_MINUTES * 60_000) },
  };
}

/**
 * Whether any worker is alive (beat within WORKER_ALIVE_MS and did not stop), and when the most recent one
 * last was (null: no worker ever ran).
 */
async function workersState(db: Db, now: Date): Promise<{ alive: boolean; lastAliveAt: Date | null }> {
  const last = await db.worker.findFirst({
    orderBy: { lastSeenAt: "desc" },
    select: { lastSeenAt: true, stoppedAt: true },
  });
  if (!last) return { alive: false, lastAliveAt: null };
  const alive = !last.stoppedAt && now.getTime() - last.lastSeenAt.getTime() <= WORKER_ALIVE_MS;
  return { alive, lastAliveAt: last.stoppedAt ?? last.lastSeenAt };
}

/**
 * The scope's late and missed tasks, longest overdue first (the first `limit` of them), their counts, and
 * how long no worker has been alive when none is (why nothing starts).
 */
export async function overdueTasks(db: Db, scope: Scope | "system", now = new Date(), limit = 50) {
  const [candidates, workers] = await Promise.all([
    db.task.findMany({
      where: overdueCandidates(scope, now),
      orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
      take: OVERDUE_READ_LIMIT + 1,
      select: {
        id: true,
        userId: true,
        type: true,
        platform: true,
        websiteUrl: true,
        nextRunAt: true,
        lastRunAt: true,
        frequencyMinutes: true,
        graceMinutes: true,
        pendingTrigger: true,
        user: { select: { email: true } },
      },
    }),
    workersState(db, now),
  ]);
  const counts: Record<Lateness, number> = { LATE: 0, MISSED: 0 };
  const items: (Omit<(typeof candidates)[number], "user"> & {
    ownerEmail: string | null;
    lateness: Lateness;
    overdueMs: number;
  })[] = [];
  let oldestOverdueMs = 0;
  for (const task of candidates.slice(0, OVERDUE_READ_LIMIT)) {
    const late = latenessAt(task, now);
    if (!late) continue;
    counts[late.state]++;
    oldestOverdueMs = Math.max(oldestOverdueMs, late.overdueMs);
    if (items.length < limit) {
      const { user, ...fields } = task;
      // An admin sees everyone's: whose task it is, as on the other cards of Intervention.
      const ownerEmail =
        scope !== "system" && scope.role === "ADMIN" && task.userId !== scope.userId ? (user?.email ?? null) : null;
      items.push({ ...fields, ownerEmail, lateness: late.state, overdueMs: late.overdueMs });
    }
  }
  return {
    late: counts.LATE,
    missed: counts.MISSED,
    /** More candidates than were read: the counts are lower bounds. */
    atLeast: candidates.length > OVERDUE_READ_LIMIT,
    oldestOverdueMs,
    /**
     * Null while a worker is alive (it beat within WORKER_ALIVE_MS); else since when none is (`forMs` null:
     * no worker ever ran), which is why nothing starts.
     */
    noLiveWorker: workers.alive
      ? null
      : { forMs: workers.lastAliveAt ? now.getTime() - workers.lastAliveAt.getTime() : null },
    items,
  };
}
export type OverdueTasks = Awaited<ReturnType<typeof overdueTasks>>;

/** `/api/metrics`: how many tasks are late and missed system-wide, and the oldest one's age. */
export async function refreshOverdueGauges(db: Db, now = new Date()) {
  const overdue = await overdueTasks(db, "system", now, 0);
  const m = metrics();
  m.overdueTasks.set({ state: "late" }, overdue.late);
  m.overdueTasks.set({ state: "missed" }, overdue.missed);
  m.oldestOverdue.set(overdue.oldestOverdueMs / 1000);
}

/** How long no worker may be alive before the admins are told. */
export const NO_LIVE_WORKER_ALERT_MS = 2 * 60_000;

/** Raises an alert in its own transaction; another instance raising the same episode at once is no error. */
async function raiseOnce(db: Db, spec: AlertSpec, now: Date): Promise<boolean> {
  try {
    return (await db.$transaction((tx) => raiseAlert(tx, spec, now))) !== null;
  } catch (error) {
    // Another instance raised it a moment ago: the unique (user, episode) refused the second.
    if ((error as { code?: string }).code === "P2002") return false;
    throw error;
  }
}

/**
 * Tells every admin, once per outage, that no worker has been alive for two minutes, so nothing starts; and
 * closes the outage's alerts (with a "cleared" notice) once a worker is alive again. Runs on every web
 * instance (a stopped engine cannot report itself); the outage's key (when the last worker was last seen)
 * and the alerts' unique (user, episode) make concurrent instances raise one alert.
 * `watchingSince`: when this instance started watching, for an installation where no worker ever ran.
 * Answers how many alerts it raised.
 */
export async function raiseNoLiveWorkerAlerts(db: Db, now: Date, watchingSince: Date): Promise<number> {
  const { alive, lastAliveAt } = await workersState(db, now);
  if (alive) {
    await db.$transaction((tx) =>
      resolveAlerts(
        tx,
        { kinds: ["NO_LIVE_WORKER"] },
        () => ({ title: "A worker is running again", message: "A scheduler worker is alive again: due tasks start." }),
        now,
      ),
    );
    return 0;
  }
  if (now.getTime() - (lastAliveAt ?? watchingSince).getTime() < NO_LIVE_WORKER_ALERT_MS) return 0;
  const episodeKey = `no-live-worker:${lastAliveAt?.toISOString() ?? "never"}`;
  const admins = await db.user.findMany({ where: { role: "ADMIN" }, select: { id: true } });
  let raised = 0;
  for (const admin of admins) {
    const spec: AlertSpec = {
      userId: admin.id,
      kind: "NO_LIVE_WORKER",
      episodeKey,
      title: "No worker is running",
      message: lastAliveAt
        ? `No task can start: no worker has been seen since ${formatDateTime(lastAliveAt, "UTC")}. Start one (npm run worker), or set SCHEDULER_ENABLED on a web instance.`
        : "No task can start: no worker has ever run here. Start one (npm run worker), or set SCHEDULER_ENABLED on a web instance.",
      link: "/dashboard/intervention",
    };
    if (await raiseOnce(db, spec, now)) raised++;
  }
  return raised;
}

/**
 * Late and missed tasks raise one alert per overdue due time (late, then missed, is one episode), whichever
 * instance sees it first; an alert whose task has started since (or stopped being overdue) is closed, with
 * a "cleared" notice. Needs no worker. Answers how many alerts it raised and closed.
 */
export async function checkLateTaskAlerts(db: Db, now: Date): Promise<{ raised: number; closed: number }> {
  const overdue = await overdueTasks(db, "system", now, OVERDUE_READ_LIMIT);
  const owned = overdue.items.filter((task) => task.userId && task.nextRunAt);
  const keyOf = (task: (typeof owned)[number]) => `late:${task.id}:${task.nextRunAt!.toISOString()}`;
  const known = new Set(
    (
      await db.alert.findMany({
        where: { kind: "TASK_LATE", episodeKey: { in: owned.map(keyOf) } },
        select: { episodeKey: true },
      })
    ).map((a) => a.episodeKey),
  );
  let raised = 0;
  for (const task of owned) {
    const episodeKey = keyOf(task);
    if (known.has(episodeKey)) continue;
    const name = taskName(task);
    const missed = task.lateness === "MISSED";
    const spec: AlertSpec = {
      userId: task.userId!,
      kind: "TASK_LATE",
      episodeKey,
      taskId: task.id,
      title: missed ? `${name} missed a run` : `${name} is late`,
      message: `${name} was due at ${formatDateTime(task.nextRunAt!, "UTC")} and has not started ${formatSpan(task.overdueMs)} past its grace${missed ? "; its next run is overdue too, so at least one run was skipped" : ""}.${overdue.noLiveWorker ? " No worker is running, so nothing starts." : ""}`,
      link: `/dashboard/jobs/${encodeURIComponent(task.id)}`,
    };
    if (await raiseOnce(db, spec, now)) raised++;
  }
  // Open late alerts whose episode is over: the task started (its due time moved) or is no longer overdue.
  const current = new Set(owned.map(keyOf));
  const open = await db.alert.findMany({
    where: { kind: "TASK_LATE", resolvedAt: null },
    select: { id: true, episodeKey: true, taskId: true },
    take: 1000,
  });
  let closed = 0;
  for (const alert of open) {
    if (alert.episodeKey && current.has(alert.episodeKey)) continue;
    // Past the read limit the overdue list is partial: leave what it could not see.
    if (overdue.atLeast) break;
    closed += await db.$transaction((tx) =>
      resolveAlerts(
        tx,
        { id: alert.id, kinds: ["TASK_LATE"] },
        (a) => ({
          title: a.title.replace(/ (is late|missed a run)$/, " started"),
          message: `${a.title.replace(/ (is late|missed a run)$/, "")} is running on schedule again.`,
        }),
        now,
      ),
    );
  }
  return { raised, closed };
}
