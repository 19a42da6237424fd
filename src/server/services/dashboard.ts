import { WORKER_ALIVE_MS } from "@/server/config/scheduler";
import { rollupDay } from "@/server/scheduler/stats";
import { Prisma } from "@/generated/sqlite/client";
import type {
  ConnectionStatus,
  ExecutionStatus,
  TaskStatus,
  TaskType,
  TriggerKind,
  WebsiteRole,
} from "@/generated/sqlite/enums";
import { engineOfDb, type Db, type DbEngine } from "@/server/db";
import { asDate, asDateOrNull, numberOrNull, Params } from "@/server/sql";
import type { SchedulerEngine } from "@/server/scheduler/engine";
import {
  JOB_EVENT_TYPES,
  type ChartsInput,
  type JobOwnerSitesInput,
  type JobsFilter,
  type JobsInput,
} from "@/lib/validation/dashboard";
import { VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { needsReconnect } from "@/lib/states";
import { attentionCount } from "./attention";
import { taskSearchSql, taskSearchWhere } from "./search";
import { ownedBy, type Scope } from "./scope";

/** The task types people see (the system's retention job is not one of them): the catalogue's. */
const TASK_TYPES: TaskType[] = [...VISIBLE_TASK_TYPES];
/** The statuses of live tasks; ENDED ones (website removed, platform disconnected) are listed only when asked for. */
export const TASK_STATUSES = [
  "ACTIVE",
  "PAUSED",
  "FAILED",
  "NEEDS_INTERVENTION",
] as const satisfies readonly TaskStatus[];

export interface RunsPerDay {
  day: string; // YYYY-MM-DD (UTC)
  success: number;
  failed: number;
  other: number;
}

/** The first UTC day of a window of `days` ending today (the rollup's keys are UTC days). */
function windowStart(days: number, now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
}

/**
 * The scope's finished runs from the daily rollup (never the log table), in one statement: per day and
 * status within the window and, with `allTime`, every earlier day summed per status (a null day). An
 * admin's scope reads RunStatDailyAll, which triggers keep equal to the sum of every user's rows.
 */
async function rollupRuns(db: Db, scope: Scope, days: number, now: Date, allTime: boolean) {
  const p = new Params(engineOfDb(db));
  const since = rollupDay(windowStart(days, now));
  const own = ownedBy(scope);
  const dayColumn = allTime ? `CASE WHEN r."day" >= ${p.add(since)} THEN r."day" END` : `r."day"`;
  const where = [
    own.userId !== undefined ? `r."userId" = ${p.add(own.userId)}` : null,
    allTime ? null : `r."day" >= ${p.add(since)}`,
  ].filter((w): w is string => w !== null);
  // Everyone's (an admin): the rows that sum every user's per day, a few per day instead of each user's.
  const table = own.userId === undefined ? `"RunStatDailyAll"` : `"RunStatDaily"`;
  const rows = await db.$queryRawUnsafe<{ day: string | null; status: string; runs: bigint | number | null }[]>(
    `SELECT ${dayColumn} AS "day", r."status", SUM(r."runs") AS "runs" FROM ${table} r
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""} GROUP BY 1, 2`,
    ...p.values,
  );
  return rows.map((r) => ({ day: r.day, status: r.status, runs: Number(r.runs ?? 0) }));
}

/** Runs per UTC day of the window, split by outcome, from rollup rows. */
function perDayOf(rows: { day: string | null; status: string; runs: number }[], days: number, now: Date): RunsPerDay[] {
  const since = windowStart(days, now);
  const byDay = new Map<string, RunsPerDay>();
  for (let d = 0; d < days; d++) {
    const day = rollupDay(new Date(since.getTime() + d * 86_400_000));
    byDay.set(day, { day, success: 0, failed: 0, other: 0 });
  }
  for (const row of rows) {
    const bucket = row.day === null ? undefined : byDay.get(row.day);
    if (!bucket) continue;
    if (row.status === "SUCCESS") bucket.success += row.runs;
    else if (row.status === "FAILED" || row.status === "TIMED_OUT") bucket.failed += row.runs;
    else bucket.other += row.runs;
  }
  return [...byDay.values()];
}

/** Runs per UTC day in the window, split by outcome, from the daily rollup (never the log table). */
export async function runsPerDay(db: Db, scope: Scope, days: number, now = new Date()): Promise<RunsPerDay[]> {
  return perDayOf(await rollupRuns(db, scope, days, now, false), days, now);
}

interface WorkerRow {
  id: string;
  kind: string;
  activeRuns: number | bigint;
  lastSeenAt: Date | string;
  startedAt: Date | string;
}

/** The workers alive now (seen within WORKER_ALIVE_MS, not stopped), oldest first, in one statement. */
async function liveWorkers(db: Db, now: Date) {
  const p = new Params(engineOfDb(db));
  const rows = await db.$queryRawUnsafe<WorkerRow[]>(
    `SELECT w."id", w."kind", w."activeRuns", w."lastSeenAt", w."startedAt" FROM "Worker" w
     WHERE w."stoppedAt" IS NULL AND w."lastSeenAt" >= ${p.add(new Date(now.getTime() - WORKER_ALIVE_MS), "timestamp(3)")}
     ORDER BY w."startedAt", w."id"`,
    ...p.values,
  );
  return rows.map((w) => ({
    id: w.id,
    kind: w.kind,
    activeRuns: Number(w.activeRuns),
    lastSeenAt: asDate(w.lastSeenAt),
    startedAt: asDate(w.startedAt),
  }));
}
type LiveWorker = Awaited<ReturnType<typeof liveWorkers>>[number];

/** The scheduler as the overview shows it: live workers, this process's engine, the last cycle. */
function schedulerStateOf(workers: LiveWorker[], engine: SchedulerEngine | null) {
  return {
    running: workers.length > 0 || engine?.state === "running",
    workersAlive: workers.length,
    checkIntervalMs: engine?.config.pollMs ?? null,
    activeRuns: engine
      ? Math.max(
          engine.activeRuns,
          workers.reduce((a, w) => a + w.activeRuns, 0),
        )
      : workers.reduce((a, w) => a + w.activeRuns, 0),
    local: engine ? { workerId: engine.workerId, state: engine.state, kind: engine.kind } : null,
  };
}

/** When the scheduler's current session began: this process's engine, else the oldest live worker. */
function sessionStartOf(workers: LiveWorker[], engine: SchedulerEngine | null): Date | null {
  return engine?.session.startedAt ?? workers[0]?.startedAt ?? null;
}

interface RunTotals {
  executed: number;
  succeeded: number;
  failed: number;
}

function totalsOf(rows: { status: string; runs: number }[]): RunTotals {
  const sum = (pick: (status: string) => boolean) => rows.filter((r) => pick(r.status)).reduce((a, r) => a + r.runs, 0);
  return {
    executed: sum((s) => s !== "RUNNING"),
    succeeded: sum((s) => s === "SUCCESS"),
    failed: sum((s) => s === "FAILED" || s === "TIMED_OUT"),
  };
}

/**
 * The scope's own finished runs, all time (the daily rollup's rows, read with the window's) and since
 * the scheduler's session began (its logs: a bounded range of the (userId, startedAt) index). An
 * admin's scope is everyone: the cumulative counters answer for all time, and this process's engine
 * for the session.
 */
async function runTotals(
  db: Db,
  scope: Scope,
  engine: SchedulerEngine | null,
  rollup: { status: string; runs: number }[],
  since: Date | null,
  stats: { jobsCompleted: number; jobsFailed: number; tasksSucceeded: number } | null,
) {
  if (scope.role === "ADMIN") {
    const session = engine?.session ?? null;
    return {
      // Every finished run, scheduled or by hand (the check cycles' own counts leave out manual runs),
      // so these add up like a user's: executed = succeeded + failed + skipped.
      allTime: {
        executed: (stats?.jobsCompleted ?? 0) + (stats?.jobsFailed ?? 0),
        succeeded: stats?.tasksSucceeded ?? 0,
        failed: stats?.jobsFailed ?? 0,
      },
      session: session?.startedAt
        ? {
            startedAt: session.startedAt,
            executed: session.executed,
            succeeded: session.succeeded,
            failed: session.failed,
          }
        : null,
    };
  }
  let session: { status: string; runs: number }[] | null = null;
  if (since) {
    const p = new Params(engineOfDb(db));
    const rows = await db.$queryRawUnsafe<{ status: string; n: bigint | number }[]>(
      `SELECT l."status", COUNT(*) AS "n" FROM "ExecutionLog" l
       WHERE l."userId" = ${p.add(scope.userId)} AND l."startedAt" >= ${p.add(since, "timestamp(3)")} AND l."status" <> 'RUNNING'
       GROUP BY l."status"`,
      ...p.values,
    );
    session = rows.map((r) => ({ status: r.status, runs: Number(r.n) }));
  }
  return {
    allTime: totalsOf(rollup),
    session: since && session ? { startedAt: since, ...totalsOf(session) } : null,
  };
}

/**
 * A new account's first steps, from its own rows, in one statement: connect a platform, add a website,
 * see a run finish.
 */
async function onboarding(db: Db, scope: Scope) {
  const p = new Params(engineOfDb(db));
  const [row] = await db.$queryRawUnsafe<{ connected: unknown; website: unknown; firstRun: unknown }[]>(
    `SELECT
       EXISTS (SELECT 1 FROM "PlatformConnection" c WHERE c."userId" = ${p.add(scope.userId)} AND c."status" <> 'DISCONNECTED') AS "connected",
       EXISTS (SELECT 1 FROM "Website" w WHERE w."userId" = ${p.add(scope.userId)}) AS "website",
       EXISTS (SELECT 1 FROM "ExecutionLog" l WHERE l."userId" = ${p.add(scope.userId)} AND l."status" <> 'RUNNING') AS "firstRun"`,
    ...p.values,
  );
  // PostgreSQL answers booleans, SQLite 0 or 1.
  const steps = {
    connected: Boolean(row?.connected),
    website: Boolean(row?.website),
    firstRun: Boolean(row?.firstRun),
  };
  return { ...steps, done: steps.connected && steps.website && steps.firstRun };
}

interface TallyRow {
  type: TaskType;
  status: TaskStatus;
  n: bigint | number;
  nextRunAt: Date | string | null;
  oneTime: bigint | number | null;
  running: bigint | number | null;
}

/**
 * The scope's tasks of the visible types in one statement: how many of each type and status, the
 * next run due (a cooled-off task's probe is a next run too), how many wait on a one-time trigger and
 * how many hold a lease (runs in flight). tests/integration/overview-sql.test.ts holds it to the
 * Prisma reads it replaced.
 */
export async function taskTally(db: Db, scope: Scope) {
  const p = new Params(engineOfDb(db));
  const own = ownedBy(scope);
  const where = [
    own.userId !== undefined ? `t."userId" = ${p.add(own.userId)}` : null,
    p.inList('t."type"', TASK_TYPES),
  ]
    .filter((w): w is string => w !== null)
    .join(" AND ");
  const rows = await db.$queryRawUnsafe<TallyRow[]>(
    `SELECT t."type", t."status", COUNT(*) AS "n",
       MIN(CASE WHEN t."status" IN ('ACTIVE', 'NEEDS_INTERVENTION') THEN t."nextRunAt" END) AS "nextRunAt",
       SUM(CASE WHEN t."pendingTrigger" IS NOT NULL THEN 1 ELSE 0 END) AS "oneTime",
       SUM(CASE WHEN t."leaseExpiresAt" IS NOT NULL THEN 1 ELSE 0 END) AS "running"
     FROM "Task" t WHERE ${where} GROUP BY t."type", t."status"`,
    ...p.values,
  );
  const tasksByStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<
    (typeof TASK_STATUSES)[number],
    number
  >;
  const tasksByType = Object.fromEntries(TASK_TYPES.map((t) => [t, 0])) as Record<TaskType, number>;
  let totalTasks = 0;
  let ended = 0;
  let oneTime = 0;
  let runningNow = 0;
  let nextDueAt: Date | null = null;
  for (const row of rows) {
    const n = Number(row.n);
    oneTime += Number(row.oneTime ?? 0);
    runningNow += Number(row.running ?? 0);
    const next = asDateOrNull(row.nextRunAt);
    if (next && (!nextDueAt || next < nextDueAt)) nextDueAt = next;
    if (row.status === "ENDED") {
      ended += n;
      continue;
    }
    tasksByStatus[row.status as (typeof TASK_STATUSES)[number]] += n;
    tasksByType[row.type] += n;
    totalTasks += n;
  }
  return { tasksByStatus, tasksByType, totalTasks, ended, oneTime, runningNow, nextDueAt };
}

/**
 * The overview: the scope's tasks by type and status, what needs attention, success rate and runs
 * per day over the window, finished runs all time and this session, and a new account's first
 * steps. The scheduler's system-wide figures (workers, check cycles, cumulative counters) are for
 * admins only (`system`, null for others). Everything is read from indexed tables and
 * pre-aggregated rows (tasks, the daily rollup, the cumulative row), so it stays fast with millions
 * of execution logs.
 */
export async function getOverview(
  db: Db,
  scope: Scope,
  days: number,
  engine: SchedulerEngine | null = null,
  now = new Date(),
) {
  const admin = scope.role === "ADMIN";
  const [tally, rollup, workers, needsAttention, steps, stats] = await Promise.all([
    taskTally(db, scope),
    // A user's all-time totals come from the same rollup rows; an admin's from the cumulative counters.
    rollupRuns(db, scope, days, now, !admin),
    liveWorkers(db, now),
    attentionCount(db, scope),
    onboarding(db, scope),
    admin ? db.cumulativeStats.findUnique({ where: { id: 1 } }) : Promise.resolve(null),
  ]);
  const perDay = perDayOf(rollup, days, now);
  const scheduler = schedulerStateOf(workers, engine);
  const runs = await runTotals(db, scope, engine, rollup, sessionStartOf(workers, engine), stats);
  const { tasksByStatus, tasksByType, totalTasks, ended, oneTime, runningNow } = tally;
  const succeeded = perDay.reduce((a, d) => a + d.success, 0);
  const failed = perDay.reduce((a, d) => a + d.failed, 0);
  const finished = succeeded + failed;

  return {
    scheduler: { running: scheduler.running, runningNow },
    totalTasks,
    endedTasks: ended,
    tasksByStatus,
    tasksByType,
    needsAttention: needsAttention.total,
    attention: needsAttention,
    jobs: { recurring: tasksByStatus.ACTIVE + tasksByStatus.NEEDS_INTERVENTION, oneTime },
    window: { days, runs: perDay.reduce((a, d) => a + d.success + d.failed + d.other, 0), succeeded, failed },
    successRate: finished === 0 ? null : succeeded / finished,
    runsPerDay: perDay,
    nextDueAt: tally.nextDueAt,
    runs,
    onboarding: steps,
    /** Admins only: the scheduler across all users. */
    system: admin
      ? {
          ...scheduler,
          lastCycleAt: stats?.lastCheckCycleAt ?? null,
          session: engine ? { ...engine.session } : null,
          cumulative: stats
            ? {
                totalCheckCycles: stats.totalCheckCycles,
                tasksFound: stats.tasksFound,
                tasksExecuted: stats.tasksExecuted,
                tasksSucceeded: stats.tasksSucceeded,
                tasksFailed: stats.tasksFailed,
                tasksSkipped: stats.tasksSkipped,
                tasksTimedOut: stats.tasksTimedOut,
                jobsCompleted: stats.jobsCompleted,
                jobsFailed: stats.jobsFailed,
                leasesRecovered: stats.leasesRecovered,
                lastCheckCycleAt: stats.lastCheckCycleAt,
              }
            : null,
        }
      : null,
    lastUpdated: now,
  };
}
export type Overview = Awaited<ReturnType<typeof getOverview>>;

/**
 * The one definition of Jobs' filter: the scope's visible tasks of the type and status (current ones,
 * not ENDED, by default) that the search finds. The list and the bulk actions read tasks through it.
 */
export function jobsWhere(scope: Scope, filter: JobsFilter): Prisma.TaskWhereInput {
  return {
    ...ownedBy(scope),
    type: filter.type ? filter.type : { in: TASK_TYPES },
    status: filter.status ?? { not: "ENDED" },
    ...taskSearchWhere(filter.search),
  };
}

/** The user's scheduled tasks as jobs: sortable, filterable, cursor-paginated (stable: ties broken by id). */
/** Jobs' sort columns that may be empty (never run, not scheduled): they sort last either way. */
const NULLABLE_SORTS = new Set<JobsInput["sort"]>(["nextRunAt", "lastRunAt"]);

/** `jobsWhere` as SQL, for the list's pages (one statement each): the same scope, type, status and search. */
function jobsSql(p: Params, scope: Scope, filter: JobsFilter): string {
  const own = ownedBy(scope);
  return [
    own.userId !== undefined ? `t."userId" = ${p.add(own.userId)}` : null,
    filter.type ? `t."type" = ${p.add(filter.type, '"TaskType"')}` : p.inList('t."type"', TASK_TYPES),
    filter.status ? `t."status" = ${p.add(filter.status, '"TaskStatus"')}` : `t."status" <> 'ENDED'`,
    ...taskSearchSql(p, filter.search),
  ]
    .filter((w): w is string => w !== null)
    .join(" AND ");
}

/**
 * The rows after the cursor's in the list's order (its sort column, then id; empty dates last either
 * way), as Prisma's `cursor` reads them: the cursor row's values, whoever's it is; none if it is gone.
 */
function afterCursorSql(p: Params, input: JobsInput): { from: string; where: string } {
  if (!input.cursor) return { from: "", where: "" };
  const column = `t."${input.sort}"`;
  const cmp = input.order === "asc" ? ">" : "<";
  const next = `(${column} ${cmp} cur."v" OR (${column} = cur."v" AND t."id" ${cmp} cur."id"))`;
  return {
    from: ` CROSS JOIN (SELECT c."${input.sort}" AS "v", c."id" FROM "Task" c WHERE c."id" = ${p.add(input.cursor)}) cur`,
    where: NULLABLE_SORTS.has(input.sort)
      ? ` AND ((cur."v" IS NOT NULL AND (${next} OR ${column} IS NULL)) OR (cur."v" IS NULL AND ${column} IS NULL AND t."id" ${cmp} cur."id"))`
      : ` AND ${next}`,
  };
}

interface JobRow {
  id: string;
  userId: string | null;
  type: TaskType;
  platform: string | null;
  websiteUrl: string | null;
  websiteRole: WebsiteRole | null;
  frequencyMinutes: number;
  cronExpression: string | null;
  cronTimeZone: string | null;
  graceMinutes: number | null;
  nextRunAt: Date | string | null;
  lastRunAt: Date | string | null;
  lastOutcome: ExecutionStatus | null;
  status: TaskStatus;
  pendingTrigger: TriggerKind | null;
  leaseOwner: string | null;
  consecutiveFailures: number;
  endedAt: Date | string | null;
  endedReason: string | null;
  email: string | null;
  connectionStatus: ConnectionStatus | null;
}

/**
 * A page of Jobs in one statement (the owner's email and the connection's state joined in), in the
 * order asked; tests/integration/jobs-sql.test.ts holds it to Prisma's pages of `jobsWhere`.
 */
export async function listJobs(db: Db, scope: Scope, input: JobsInput) {
  const p = new Params(engineOfDb(db));
  const cursor = afterCursorSql(p, input);
  const where = jobsSql(p, scope, input);
  const direction = input.order === "asc" ? "ASC" : "DESC";
  const rows = await db.$queryRawUnsafe<JobRow[]>(
    `SELECT t."id", t."userId", t."type", t."platform", t."websiteUrl", t."websiteRole", t."frequencyMinutes",
       t."cronExpression", t."cronTimeZone", t."graceMinutes", t."nextRunAt", t."lastRunAt", t."lastOutcome",
       t."status", t."pendingTrigger", t."leaseOwner", t."consecutiveFailures", t."endedAt", t."endedReason",
       u."email", pc."status" AS "connectionStatus"
     FROM "Task" t${cursor.from}
     LEFT JOIN "User" u ON u."id" = t."userId"
     LEFT JOIN "PlatformConnection" pc ON pc."id" = t."connectionId"
     WHERE ${where}${cursor.where}
     ORDER BY t."${input.sort}" ${direction}${NULLABLE_SORTS.has(input.sort) ? " NULLS LAST" : ""}, t."id" ${direction}
     LIMIT ${p.add(input.limit + 1)}`,
    ...p.values,
  );
  const admin = scope.role === "ADMIN";
  const hasMore = rows.length > input.limit;
  const items = (hasMore ? rows.slice(0, input.limit) : rows).map((t) => ({
    id: t.id,
    userId: t.userId,
    type: t.type,
    target: t.websiteUrl ?? t.platform ?? null,
    websiteRole: t.websiteRole,
    trigger: t.pendingTrigger ? ("one-time" as const) : t.cronExpression ? ("cron" as const) : ("interval" as const),
    frequencyMinutes: Number(t.frequencyMinutes),
    cronExpression: t.cronExpression,
    cronTimeZone: t.cronTimeZone,
    graceMinutes: numberOrNull(t.graceMinutes),
    nextRunAt: asDateOrNull(t.nextRunAt),
    lastRunAt: asDateOrNull(t.lastRunAt),
    lastOutcome: t.lastOutcome,
    status: t.status,
    paused: t.status === "PAUSED",
    running: t.leaseOwner !== null,
    consecutiveFailures: Number(t.consecutiveFailures),
    endedAt: asDateOrNull(t.endedAt),
    endedReason: t.endedReason,
    /** Its connection's token needs the user: the task cannot succeed until they reconnect. */
    waitingForReconnect: needsReconnect(t.connectionStatus),
    /** An admin sees everyone's jobs: whose each is. */
    ownerEmail: admin ? t.email : null,
  }));
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}

/**
 * Each listed user's own website: the first address, in byte order, of their current own-site analysis
 * jobs (what the REST facade's "user_job_store" label of every job of theirs is made of). Only users
 * the scope sees; one without such a job is left out. One grouped read over the [userId, type, status]
 * index, so a page of jobs gets its labels without reading every job of its owners.
 */
export async function jobOwnerSites(db: Db, scope: Scope, input: JobOwnerSitesInput) {
  const engine = engineOfDb(db);
  const p = new Params(engine);
  const own = ownedBy(scope);
  const where = [
    p.inList('"userId"', [...new Set(input.userIds)]),
    own.userId !== undefined ? `"userId" = ${p.add(own.userId)}` : null,
    `"type" = 'WEBSITE_ANALYSIS' AND "websiteRole" = 'OWN' AND "status" <> 'ENDED' AND "websiteUrl" IS NOT NULL`,
  ]
    .filter((w): w is string => w !== null)
    .join(" AND ");
  // Byte order on both engines (SQLite's default; PostgreSQL's database collation may be a locale's).
  const site = engine === "postgres" ? `MIN("websiteUrl" COLLATE "C")` : `MIN("websiteUrl")`;
  const rows = await db.$queryRawUnsafe<{ userId: string; site: string }[]>(
    `SELECT "userId", ${site} AS "site" FROM "Task" WHERE ${where} GROUP BY "userId" ORDER BY "userId"`,
    ...p.values,
  );
  return { items: rows.map((r) => ({ userId: r.userId, site: r.site })) };
}

/** The latest scheduler job events of the user's tasks (completed / failed / scheduled / cancelled, or the given types). */
export async function recentSchedulerLogs(
  db: Db,
  scope: Scope,
  limit: number,
  types: readonly (typeof JOB_EVENT_TYPES)[number][] = JOB_EVENT_TYPES,
) {
  const events = await db.schedulerEvent.findMany({
    where: { ...ownedBy(scope), type: { in: [...types] } },
    orderBy: { id: "desc" },
    take: limit,
    select: {
      id: true,
      type: true,
      occurredAt: true,
      userId: true,
      taskId: true,
      executionLogId: true,
      jobKind: true,
      runStatus: true,
      durationMs: true,
      errorMessage: true,
      data: true,
    },
  });
  return events.map((e) => ({
    ...e,
    taskType: ((e.data as { taskType?: string } | null)?.taskType ?? null) as TaskType | null,
    data: undefined,
  }));
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Newest runs per type sampled for duration percentiles: enough for a stable p95, bounded at any scale. */
const DURATION_SAMPLE = 2000;

/**
 * The overview's charts over 24 hours (hourly) or 7/30 days (daily): runs stacked by outcome with the
 * success rate, run duration p50/p95 by task type, and check cycles per bucket.
 */
export async function getCharts(
  db: Db,
  dbEngine: DbEngine,
  scope: Scope,
  range: ChartsInput["range"],
  now = new Date(),
) {
  const hourly = range === "24h";
  const days = range === "30d" ? 30 : 7;
  const since = hourly
    ? new Date(now.getTime() - 23 * 3_600_000)
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const bucketKey = (d: Date) => d.toISOString().slice(0, hourly ? 13 : 10);
  const labels: string[] = [];
  for (let i = 0; i < (hourly ? 24 : days); i++)
    labels.push(bucketKey(new Date(since.getTime() + i * (hourly ? 3_600_000 : 86_400_000))));
  const runs = new Map(
    labels.map((k) => [
      k,
      { bucket: k, success: 0, failed: 0, other: 0, successRate: null as number | null, cycles: 0 as number | null },
    ]),
  );

  if (hourly) {
    // One day of the user's logs: a bounded range of the (userId, startedAt) index.
    const logs = await db.executionLog.findMany({
      where: {
        ...ownedBy(scope),
        startedAt: {
          gte: new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate(), since.getUTCHours())),
        },
        status: { not: "RUNNING" },
      },
      select: { startedAt: true, status: true },
    });
    for (const log of logs) {
      const b = runs.get(bucketKey(log.startedAt));
      if (!b) continue;
      if (log.status === "SUCCESS") b.success++;
      else if (log.status === "FAILED" || log.status === "TIMED_OUT") b.failed++;
      else b.other++;
    }
  } else {
    for (const day of await runsPerDay(db, scope, days, now)) {
      const b = runs.get(day.day);
      if (b) Object.assign(b, { success: day.success, failed: day.failed, other: day.other });
    }
  }
  for (const b of runs.values())
    b.successRate = b.success + b.failed === 0 ? null : Math.round((b.success / (b.success + b.failed)) * 1000) / 10;

  // Check cycles per bucket (admins only: a system figure): system events, counted in the database (there can be many).
  if (scope.role !== "ADMIN") {
    for (const b of runs.values()) b.cycles = null;
  } else {
    const expr =
      dbEngine === "postgres"
        ? Prisma.sql`to_char("occurredAt", ${hourly ? 'YYYY-MM-DD"T"HH24' : "YYYY-MM-DD"})`
        : Prisma.sql`substr("occurredAt", 1, ${hourly ? 13 : 10})`;
    const cycles = await db.$queryRaw<
      { bucket: string; n: bigint | number }[]
    >`SELECT ${expr} AS "bucket", COUNT(*) AS "n" FROM "SchedulerEvent" WHERE "type" = 'CHECK_CYCLE' AND "occurredAt" >= ${since} GROUP BY 1`;
    for (const c of cycles) {
      const b = runs.get(c.bucket);
      if (b) b.cycles = Number(c.n);
    }
  }

  const durations = await Promise.all(
    TASK_TYPES.map(async (type) => {
      const sample = await db.executionLog.findMany({
        where: {
          ...ownedBy(scope),
          taskType: type,
          startedAt: { gte: since },
          durationMs: { not: null },
          status: { not: "RUNNING" },
        },
        orderBy: { id: "desc" },
        take: DURATION_SAMPLE,
        select: { durationMs: true },
      });
      const sorted = sample.map((s) => s.durationMs!).sort((a, b) => a - b);
      return { type, runs: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    }),
  );
  return { range, buckets: [...runs.values()], durations };
}
