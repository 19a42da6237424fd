import type { Prisma } from "@/generated/sqlite/client";
import type { ExecutionStatus, FailureCategory, TaskType, TriggerKind, WebsiteRole } from "@/generated/sqlite/enums";
import { engineOfDb, type Db } from "@/server/db";
import { asDate, asDateOrNull, numberOrNull, Params, parsedJson } from "@/server/sql";
import { cleanupSchedulerEvents } from "@/server/scheduler/stats";
import {
  LOG_COUNT_CAP,
  RETENTION_POLICY,
  SEARCH_COUNT_CAP,
  type CleanupEventLogsInput,
  type EventHistoryInput,
  type ExecutionLogsInput,
  type FeatureLogsInput,
} from "@/lib/validation/monitoring";
import type { PageInput } from "@/lib/validation/common";
import { ownedBy, type Scope } from "./scope";
import { searchWords } from "@/lib/search";
import { matchingLogIds, SEARCH_SCAN_LIMIT, walkMatchingLogIds, type KnownMatches } from "./search";
import { NotFoundError } from "@/server/errors";

const LOG_SELECT = {
  id: true,
  taskId: true,
  userId: true,
  taskType: true,
  status: true,
  trigger: true,
  attempt: true,
  scheduledFor: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  result: true,
  errorMessage: true,
  errorCategory: true,
  retryable: true,
  dataSource: true,
  task: { select: { platform: true, websiteUrl: true, websiteRole: true, frequencyMinutes: true } },
  user: { select: { email: true } },
} satisfies Prisma.ExecutionLogSelect;

/** What a list shows of a run: everything but its result, which the run's own page reads (`getExecutionLog`). */
const { result: _result, ...LIST_SELECT } = LOG_SELECT;

/**
 * A log row as pages show it: with its target (the platform or the website), the website's role and
 * the task's frequency instead of the task relation, and for an admin (who sees everyone's runs)
 * whose run it was.
 */
function shown(scope: Scope) {
  return <
    T extends {
      task: {
        platform: string | null;
        websiteUrl: string | null;
        websiteRole: WebsiteRole | null;
        frequencyMinutes: number;
      };
      user: { email: string } | null;
    },
  >({
    task,
    user,
    ...log
  }: T) => ({
    ...log,
    target: task.websiteUrl ?? task.platform,
    websiteRole: task.websiteRole,
    taskFrequencyMinutes: task.frequencyMinutes,
    ownerEmail: scope.role === "ADMIN" ? (user?.email ?? null) : null,
  });
}

function page<T extends { id: number }>(rows: T[], limit: number) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}

/** Counts up to the cap and stops there: an exact total is not worth scanning millions of rows. */
async function cappedCount(db: Db, where: Prisma.ExecutionLogWhereInput) {
  return countLabel(await db.executionLog.count({ where, take: LOG_COUNT_CAP + 1 }));
}

/** What the execution-log list filters on: its input without the page (limit, cursor, offset). */
export type ExecutionLogsFilter = Omit<ExecutionLogsInput, "limit" | "cursor" | "offset" | "direction" | "withResult">;

/**
 * The one definition of the execution-log filter: the caller's rows (`ownedBy`) matching the list's
 * filter. The list's pages and the export (`src/server/services/export.ts`) both read rows through it.
 * A `search` is not part of it: the search index hands out candidate ids (`walkMatchingLogIds`) and
 * this filter is applied to them.
 */
export function executionLogsWhere(scope: Scope, f: ExecutionLogsFilter): Prisma.ExecutionLogWhereInput {
  return {
    ...ownedBy(scope),
    ...(f.status ? { status: f.status } : {}),
    ...(f.taskType ? { taskType: f.taskType } : {}),
    ...(f.taskId ? { taskId: f.taskId } : {}),
    ...(f.trigger ? { trigger: f.trigger } : {}),
    ...(f.from || f.to ? { startedAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
  };
}

/** Execution logs of every task type, filtered, newest first, keyset-paginated on the id; total capped. */
export async function listExecutionLogs(db: Db, scope: Scope, input: ExecutionLogsInput | PageInput) {
  const where = executionLogsWhere(scope, input as ExecutionLogsInput);
  const withResult = "withResult" in input && input.withResult === true;
  const search = "search" in input ? input.search : undefined;
  if (search) {
    // A first page reads up to SEARCH_COUNT_CAP matches once: the count is made of them, and the page
    // starts from them.
    const known = input.cursor ? undefined : await firstMatches(db, scope, search);
    const found = await searchedLogRows(db, scope, search, where, input, withResult, known);
    const count = known ? await searchedCount(db, scope, where, known) : null;
    return { items: found.items.map(shown(scope)), nextCursor: found.nextCursor, count };
  }
  const filter = input as ExecutionLogsFilter;
  const [rows, count] = await Promise.all([
    logPageSql(db, scope, filter, input, withResult),
    input.cursor ? Promise.resolve(null) : cappedCountSql(db, scope, filter), // counted on the first page only
  ]);
  return { ...page(rows, input.limit), count };
}

/**
 * `executionLogsWhere` as SQL, for the list's hot path (one statement per page instead of a Prisma
 * query and its relation queries): the same scope and filter, column for column. The property tests
 * in tests/integration/log-list-sql.test.ts hold the two to the same rows on both engines.
 */
function executionLogsSql(p: Params, scope: Scope, f: ExecutionLogsFilter): string {
  const own = ownedBy(scope);
  const terms = [
    own.userId !== undefined ? `l."userId" = ${p.add(own.userId)}` : null,
    f.status ? `l."status" = ${p.add(f.status, '"ExecutionStatus"')}` : null,
    f.taskType ? `l."taskType" = ${p.add(f.taskType, '"TaskType"')}` : null,
    f.taskId ? `l."taskId" = ${p.add(f.taskId)}` : null,
    f.trigger ? `l."trigger" = ${p.add(f.trigger, '"TriggerKind"')}` : null,
    f.from ? `l."startedAt" >= ${p.add(f.from, "timestamp(3)")}` : null,
    f.to ? `l."startedAt" <= ${p.add(f.to, "timestamp(3)")}` : null,
  ].filter((t): t is string => t !== null);
  return terms.length ? terms.join(" AND ") : "1=1";
}

/** A log row as the list's statement returns it (dates and flags as each engine's driver hands them over). */
interface LogSqlRow {
  id: number;
  taskId: string;
  userId: string | null;
  taskType: TaskType;
  status: ExecutionStatus;
  trigger: TriggerKind;
  attempt: number;
  scheduledFor: Date | string | null;
  startedAt: Date | string;
  finishedAt: Date | string | null;
  durationMs: number | null;
  result?: unknown;
  errorMessage: string | null;
  errorCategory: FailureCategory | null;
  retryable: boolean | number | null;
  dataSource: string | null;
  platform: string | null;
  websiteUrl: string | null;
  websiteRole: WebsiteRole | null;
  frequencyMinutes: number;
  email: string | null;
}

/** One page of the list in one statement, rows shaped as `shown` shapes them; one more than the limit. */
async function logPageSql(
  db: Db,
  scope: Scope,
  f: ExecutionLogsFilter,
  input: { cursor?: number | null; offset?: number; limit: number },
  withResult: boolean,
) {
  const p = new Params(engineOfDb(db));
  const where = executionLogsSql(p, scope, f);
  const after = input.cursor ? ` AND l."id" < ${p.add(input.cursor)}` : "";
  const limit = p.add(input.limit + 1);
  const skip = skipped(input) ? ` OFFSET ${p.add(skipped(input))}` : "";
  const rows = await db.$queryRawUnsafe<LogSqlRow[]>(
    `SELECT l."id", l."taskId", l."userId", l."taskType", l."status", l."trigger", l."attempt", l."scheduledFor",
       l."startedAt", l."finishedAt", l."durationMs", ${withResult ? `l."result",` : ""} l."errorMessage",
       l."errorCategory", l."retryable", l."dataSource", t."platform", t."websiteUrl", t."websiteRole",
       t."frequencyMinutes", u."email"
     FROM "ExecutionLog" l
     JOIN "Task" t ON t."id" = l."taskId"
     LEFT JOIN "User" u ON u."id" = l."userId"
     WHERE ${where}${after}
     ORDER BY l."id" DESC LIMIT ${limit}${skip}`,
    ...p.values,
  );
  const admin = scope.role === "ADMIN";
  return rows.map((r) => ({
    id: Number(r.id),
    taskId: r.taskId,
    userId: r.userId,
    taskType: r.taskType,
    status: r.status,
    trigger: r.trigger,
    attempt: Number(r.attempt),
    scheduledFor: asDateOrNull(r.scheduledFor),
    startedAt: asDate(r.startedAt),
    finishedAt: asDateOrNull(r.finishedAt),
    durationMs: numberOrNull(r.durationMs),
    ...(withResult ? { result: parsedJson(r.result) } : {}),
    errorMessage: r.errorMessage,
    errorCategory: r.errorCategory,
    retryable: r.retryable === null ? null : Boolean(r.retryable),
    dataSource: r.dataSource,
    target: r.websiteUrl ?? r.platform,
    websiteRole: r.websiteRole,
    taskFrequencyMinutes: Number(r.frequencyMinutes),
    ownerEmail: admin ? r.email : null,
  }));
}

/** `cappedCount` of the list's filter, in one statement. */
async function cappedCountSql(db: Db, scope: Scope, f: ExecutionLogsFilter) {
  const p = new Params(engineOfDb(db));
  const where = executionLogsSql(p, scope, f);
  const [row] = await db.$queryRawUnsafe<{ n: bigint | number }[]>(
    `SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "ExecutionLog" l WHERE ${where} LIMIT ${p.add(LOG_COUNT_CAP + 1)}) AS capped`,
    ...p.values,
  );
  return countLabel(Number(row?.n ?? 0));
}

function countLabel(n: number) {
  return {
    total: Math.min(n, LOG_COUNT_CAP),
    capped: n > LOG_COUNT_CAP,
    label: n > LOG_COUNT_CAP ? `${LOG_COUNT_CAP.toLocaleString("en")}+` : n.toLocaleString("en"),
  };
}

/** One page of logs matching `where`, newest first, one more than the limit (so the page knows if more follow). */
function logRows(
  db: Db,
  where: Prisma.ExecutionLogWhereInput,
  input: { cursor?: number | null; offset?: number; limit: number },
) {
  return db.executionLog.findMany({
    where: { ...where, ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
    orderBy: { id: "desc" },
    skip: skipped(input),
    take: input.limit + 1,
    select: LOG_SELECT,
  });
}

/**
 * One page of a searched list: the index's candidates newest first, each batch filtered by `where`,
 * until the page is full or SEARCH_SCAN_LIMIT candidates were looked at. A page cut short there still
 * says where the next one starts (below the last candidate looked at), so the list goes on.
 */
async function searchedLogRows(
  db: Db,
  scope: Scope,
  search: string,
  where: Prisma.ExecutionLogWhereInput,
  input: { cursor?: number | null; offset?: number; limit: number },
  withResult: boolean,
  known?: KnownMatches,
) {
  const skip = skipped(input) ?? 0;
  const want = skip + input.limit + 1;
  const select = withResult ? LOG_SELECT : LIST_SELECT;
  const rows: (Prisma.ExecutionLogGetPayload<{ select: typeof LIST_SELECT }> & { result?: Prisma.JsonValue })[] = [];
  const walk = await walkMatchingLogIds(
    db,
    scope,
    search,
    input.cursor ?? null,
    SEARCH_SCAN_LIMIT,
    async (ids) => {
      rows.push(
        ...(await db.executionLog.findMany({
          where: { ...where, id: { in: ids } },
          orderBy: { id: "desc" },
          take: want - rows.length,
          select,
        })),
      );
      return rows.length < want;
    },
    known,
  );
  const matched = rows.slice(skip);
  const hasMore = matched.length > input.limit;
  const items = hasMore ? matched.slice(0, input.limit) : matched;
  const nextCursor = hasMore ? (items.at(-1)?.id ?? null) : walk.exhausted ? null : walk.lastId;
  return { items, nextCursor };
}

/** The newest SEARCH_COUNT_CAP matches of a search (one read of the index), and whether that is all of them. */
async function firstMatches(db: Db, scope: Scope, search: string): Promise<KnownMatches> {
  const ids = await matchingLogIds(db, scope, searchWords(search), null, SEARCH_COUNT_CAP + 1);
  return { ids: ids.slice(0, SEARCH_COUNT_CAP), complete: ids.length <= SEARCH_COUNT_CAP };
}

/**
 * How many logs a search finds with the filter, counted over its newest SEARCH_COUNT_CAP matches: exact
 * when that is all of them, else at least that many ("412+"). Without a filter besides the scope, the
 * matches are the answer.
 */
async function searchedCount(db: Db, scope: Scope, where: Prisma.ExecutionLogWhereInput, known: KnownMatches) {
  const scopeOnly = Object.keys(where).every((key) => key in ownedBy(scope));
  let n = 0;
  if (scopeOnly) n = known.ids.length;
  else
    for (let i = 0; i < known.ids.length; i += COUNT_CHUNK)
      n += await db.executionLog.count({ where: { ...where, id: { in: known.ids.slice(i, i + COUNT_CHUNK) } } });
  const capped = !known.complete;
  return { total: n, capped, label: `${n.toLocaleString("en")}${capped ? "+" : ""}` };
}
/** Ids per counting query (well under either engine's limit of bound parameters). */
const COUNT_CHUNK = 5_000;

/** `offset` rows skipped, on a first page only (a cursor already says where the page starts). */
function skipped(input: { cursor?: number | null; offset?: number }): number | undefined {
  return input.cursor ? undefined : input.offset;
}

/**
 * One feature's logs (insights, website analysis, OAuth tokens), optionally of one task; with
 * `withTotal`, also how many match (capped like the execution logs' count).
 */
export async function listFeatureLogs(db: Db, scope: Scope, types: TaskType[], input: FeatureLogsInput) {
  const where: Prisma.ExecutionLogWhereInput = {
    ...ownedBy(scope),
    taskType: { in: types },
    ...(input.taskId ? { taskId: input.taskId } : {}),
  };
  const [rows, count] = await Promise.all([
    logRows(db, where, input),
    input.withTotal ? cappedCount(db, where) : Promise.resolve(null),
  ]);
  return { ...page(rows.map(shown(scope)), input.limit), count };
}

/**
 * Which events a scope sees: a user those of their own tasks; the system's (check cycles, workers
 * starting and stopping, retention) are for admins, who see every event.
 */
function eventScope(scope: Scope): Prisma.SchedulerEventWhereInput {
  return ownedBy(scope);
}

/** What the event history filters on: its input without the page (limit, cursor, offset, total). */
export type EventHistoryFilter = Omit<EventHistoryInput, "limit" | "cursor" | "offset" | "withTotal" | "direction">;

/**
 * The one definition of the event-history filter: the events the scope sees, of the last `days` before
 * `now`, of the given type(s). The history's pages and the export both read rows through it.
 */
export function eventHistoryWhere(scope: Scope, f: EventHistoryFilter, now: Date): Prisma.SchedulerEventWhereInput {
  const types = eventTypesOf(f);
  return {
    ...eventScope(scope),
    occurredAt: { gte: new Date(now.getTime() - f.days * 86_400_000) },
    ...(types ? { type: { in: types } } : {}),
  };
}

/** The types an event-history filter asks for (`type` narrows `types`), or undefined for all. */
function eventTypesOf(f: EventHistoryFilter) {
  return f.type ? (f.types ?? [f.type]).filter((t) => t === f.type) : f.types;
}

/**
 * `eventHistoryWhere` as SQL, for the history's pages (one statement each): the same scope, days and
 * types. tests/integration/event-history-sql.test.ts holds the two to the same rows on both engines.
 */
function eventHistorySql(p: Params, scope: Scope, f: EventHistoryFilter, now: Date): string {
  const own = ownedBy(scope);
  const types = eventTypesOf(f);
  return [
    own.userId !== undefined ? `e."userId" = ${p.add(own.userId)}` : null,
    `e."occurredAt" >= ${p.add(new Date(now.getTime() - f.days * 86_400_000), "timestamp(3)")}`,
    types
      ? types.length
        ? `e."type" IN (${types.map((t) => p.add(t, '"SchedulerEventType"')).join(", ")})`
        : "1=0"
      : null,
  ]
    .filter((t): t is string => t !== null)
    .join(" AND ");
}

/** The event columns, in the model's order (a page returns each event whole). */
const EVENT_COLUMNS = [
  "id",
  "type",
  "occurredAt",
  "userId",
  "taskId",
  "executionLogId",
  "workerId",
  "cycleNumber",
  "checkIntervalMs",
  "previousIntervalMs",
  "newIntervalMs",
  "tasksFound",
  "tasksExecuted",
  "tasksFailed",
  "tasksSkipped",
  "tasksByType",
  "jobKind",
  "runStatus",
  "durationMs",
  "activeExecutions",
  "data",
  "errorMessage",
] as const;
type EventRow = Prisma.SchedulerEventGetPayload<object>;
const INT_COLUMNS = new Set<string>([
  "id",
  "executionLogId",
  "cycleNumber",
  "checkIntervalMs",
  "previousIntervalMs",
  "newIntervalMs",
  "tasksFound",
  "tasksExecuted",
  "tasksFailed",
  "tasksSkipped",
  "durationMs",
  "activeExecutions",
]);

/** An event as a raw statement returns it, typed as Prisma returns it (numbers, a Date, parsed JSON). */
function eventFromSql(row: Record<string, unknown>): EventRow {
  const event: Record<string, unknown> = {};
  for (const column of EVENT_COLUMNS) {
    const value = row[column] ?? null;
    event[column] =
      value === null
        ? null
        : column === "occurredAt"
          ? asDate(value as Date | string)
          : column === "tasksByType" || column === "data"
            ? parsedJson(value)
            : INT_COLUMNS.has(column)
              ? Number(value)
              : value;
  }
  return event as unknown as EventRow;
}

/**
 * Scheduler event history, newest first, keyset-paginated; an admin also sees whose event each is.
 * With `withTotal`, also how many events match (`total`, null otherwise). One statement per page.
 */
export async function eventHistory(db: Db, scope: Scope, input: EventHistoryInput, now = new Date()) {
  const engine = engineOfDb(db);
  const p = new Params(engine);
  const where = eventHistorySql(p, scope, input, now);
  const after = input.cursor ? ` AND e."id" < ${p.add(input.cursor)}` : "";
  const limit = p.add(input.limit + 1);
  const skip = skipped(input) ? ` OFFSET ${p.add(skipped(input))}` : "";
  const counted = new Params(engine);
  const [rows, total] = await Promise.all([
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT ${EVENT_COLUMNS.map((c) => `e."${c}"`).join(", ")}, u."email" AS "userEmail"
       FROM "SchedulerEvent" e LEFT JOIN "User" u ON u."id" = e."userId"
       WHERE ${where}${after} ORDER BY e."id" DESC LIMIT ${limit}${skip}`,
      ...p.values,
    ),
    input.withTotal
      ? db
          .$queryRawUnsafe<{ n: bigint | number }[]>(
            `SELECT COUNT(*) AS "n" FROM "SchedulerEvent" e WHERE ${eventHistorySql(counted, scope, input, now)}`,
            ...counted.values,
          )
          .then(([row]) => Number(row?.n ?? 0))
      : Promise.resolve(null),
  ]);
  const admin = scope.role === "ADMIN";
  return {
    ...page(
      rows.map((row) => ({
        ...eventFromSql(row),
        userEmail: admin ? ((row.userEmail as string | null) ?? null) : null,
      })),
      input.limit,
    ),
    total,
  };
}

/** Totals, types, age distribution and the retention policy of the event log visible to the scope. */
export async function eventLogStats(db: Db, scope: Scope, now = new Date()) {
  const where = eventScope(scope);
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const [total, byType, oldest, newest, d1, d7, d30, d90, d180, cycles] = await Promise.all([
    db.schedulerEvent.count({ where }),
    db.schedulerEvent.groupBy({ by: ["type"], where, _count: { _all: true } }),
    db.schedulerEvent.findFirst({ where, orderBy: { occurredAt: "asc" }, select: { occurredAt: true } }),
    db.schedulerEvent.findFirst({ where, orderBy: { occurredAt: "desc" }, select: { occurredAt: true } }),
    db.schedulerEvent.count({ where: { ...where, occurredAt: { gte: ago(1) } } }),
    db.schedulerEvent.count({ where: { ...where, occurredAt: { gte: ago(7) } } }),
    db.schedulerEvent.count({ where: { ...where, occurredAt: { gte: ago(30) } } }),
    db.schedulerEvent.count({ where: { ...where, occurredAt: { gte: ago(90) } } }),
    db.schedulerEvent.count({ where: { ...where, occurredAt: { gte: ago(180) } } }),
    db.schedulerEvent.aggregate({
      where: { ...where, type: "CHECK_CYCLE" },
      _avg: { durationMs: true },
      _sum: { tasksFound: true, tasksExecuted: true, tasksFailed: true, tasksSkipped: true },
    }),
  ]);
  return {
    total,
    byType: Object.fromEntries(byType.map((r) => [r.type, r._count._all])),
    oldest: oldest?.occurredAt ?? null,
    newest: newest?.occurredAt ?? null,
    ageDistribution: {
      last24h: d1,
      last7d: d7 - d1,
      last30d: d30 - d7,
      last90d: d90 - d30,
      olderThan90d: total - d90,
      olderThan180d: total - d180,
    },
    averageCycleDurationMs: cycles._avg.durationMs === null ? null : Math.round(cycles._avg.durationMs),
    /** What the check cycles in the scope found, ran, failed and skipped, summed. */
    cycleTotals: {
      found: cycles._sum.tasksFound ?? 0,
      executed: cycles._sum.tasksExecuted ?? 0,
      failed: cycles._sum.tasksFailed ?? 0,
      skipped: cycles._sum.tasksSkipped ?? 0,
    },
    retentionPolicy: RETENTION_POLICY,
  };
}

/**
 * Admin: deletes scheduler events older than the given age, in batches (a dry run, the default,
 * only counts). The cumulative statistics are never touched; what is deleted is folded into a
 * RETENTION_CLEANUP event so they can still be reconciled.
 */
export async function cleanupEventLogs(db: Db, scope: Scope, input: CleanupEventLogsInput, now = new Date()) {
  const cutoff = new Date(now.getTime() - input.olderThanDays * 86_400_000);
  const doomed = { occurredAt: { lt: cutoff }, type: { not: "RETENTION_CLEANUP" as const } };
  const oldestKept = async () =>
    (
      await db.schedulerEvent.findFirst({
        where: { NOT: doomed },
        orderBy: { occurredAt: "asc" },
        select: { occurredAt: true },
      })
    )?.occurredAt ?? null;
  if (input.dryRun) {
    const [total, wouldDelete] = await Promise.all([
      db.schedulerEvent.count(),
      db.schedulerEvent.count({ where: doomed }),
    ]);
    return {
      dryRun: true,
      cutoff,
      totalBefore: total,
      wouldDelete,
      deleted: 0,
      totalAfter: total,
      oldestKept: await oldestKept(),
    };
  }
  const result = await cleanupSchedulerEvents(db, cutoff, now);
  await db.auditLog.create({
    data: {
      actorId: scope.userId,
      action: "CLEANUP_EVENTS",
      targetType: "SchedulerEvent",
      details: { olderThanDays: input.olderThanDays, deleted: result.deleted },
    },
  });
  return {
    dryRun: false,
    cutoff,
    totalBefore: result.totalBefore,
    wouldDelete: result.deleted,
    deleted: result.deleted,
    totalAfter: result.totalAfter,
    oldestKept: await oldestKept(),
  };
}

/** One execution log of the caller's (to follow a run a button started); another user's is NOT_FOUND. */
export async function getExecutionLog(db: Db, scope: Scope, id: number) {
  const log = await db.executionLog.findFirst({
    where: { id, ...ownedBy(scope) },
    select: { ...LOG_SELECT, workerId: true },
  });
  if (!log) throw new NotFoundError("Execution log");
  return shown(scope)(log);
}
