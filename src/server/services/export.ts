import { stringify } from "csv-stringify/sync";
import type { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/server/db";
import { describeEvent } from "@/lib/event-text";
import type { ExportFormat, ExportKind } from "@/lib/export";
import { TYPE_LABELS } from "@/lib/labels";
import { eventHistoryWhere, executionLogsWhere, type EventHistoryFilter, type ExecutionLogsFilter } from "./logs";
import type { Scope } from "./scope";
import { matchingLogIdBatches } from "./search";

/**
 * The exports of the execution logs and the scheduler events: every row the list's filter matches, in
 * the list's order (newest first), read from the database one keyset page at a time, so memory stays
 * the same however many rows match. The rows are the list's: the same where-builder (`logs.ts`), the
 * same scope, the same order; only the page size and the cursor are the export's own.
 */

/** Rows read per query. */
export const EXPORT_PAGE_SIZE = 1_000;

/** What one export is: which list, with the filter that list takes (its page fields are not used). */
export type ExportRequest =
  { kind: "execution-logs"; filter: ExecutionLogsFilter } | { kind: "events"; filter: EventHistoryFilter };

export interface ExportOptions {
  /** Rows per query (default EXPORT_PAGE_SIZE). */
  pageSize?: number;
  /** Stops the walk before the next query once aborted (the client went away). */
  signal?: AbortSignal;
  /** The moment the events' `days` count back from (default: now). */
  now?: Date;
}

export type ExportCell = string | number | boolean | null;
export type ExportRecord = Record<string, ExportCell>;

/** The columns of each export, in order; the same names in CSV and NDJSON. An admin's also say whose each row is. */
const COLUMNS = {
  "execution-logs": [
    "id",
    "startedAt",
    "finishedAt",
    "durationMs",
    "status",
    "trigger",
    "attempt",
    "taskId",
    "taskType",
    "taskLabel",
    "target",
    "ownerEmail",
    "errorCategory",
    "errorMessage",
    "resultSummary",
  ],
  events: [
    "id",
    "occurredAt",
    "type",
    "taskId",
    "taskType",
    "executionLogId",
    "runStatus",
    "durationMs",
    "workerId",
    "userEmail",
    "summary",
    "errorMessage",
  ],
} as const satisfies Record<ExportKind, readonly string[]>;

/** Whose row it is: only an admin sees other people's rows, so only an admin's export names them. */
const OWNER_COLUMN: Record<ExportKind, string> = { "execution-logs": "ownerEmail", events: "userEmail" };

export function exportColumns(kind: ExportKind, scope: Scope): string[] {
  return COLUMNS[kind].filter((c) => scope.role === "ADMIN" || c !== OWNER_COLUMN[kind]);
}

const LOG_SELECT = {
  id: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  status: true,
  trigger: true,
  attempt: true,
  taskId: true,
  taskType: true,
  errorCategory: true,
  errorMessage: true,
  result: true,
  task: { select: { platform: true, websiteUrl: true } },
  user: { select: { email: true } },
} satisfies Prisma.ExecutionLogSelect;

const EVENT_SELECT = {
  id: true,
  occurredAt: true,
  type: true,
  taskId: true,
  executionLogId: true,
  runStatus: true,
  durationMs: true,
  workerId: true,
  errorMessage: true,
  data: true,
  cycleNumber: true,
  tasksFound: true,
  tasksExecuted: true,
  tasksFailed: true,
  tasksSkipped: true,
  jobKind: true,
  previousIntervalMs: true,
  newIntervalMs: true,
  user: { select: { email: true } },
} satisfies Prisma.SchedulerEventSelect;

const SUMMARY_MAX = 500;

/**
 * A run's result in one line: its top-level plain values (`clicks: 120; impressions: 3400`), nested
 * objects and empty values left out, at most 500 characters. The full JSON is on the run's page.
 */
export function resultSummary(result: Prisma.JsonValue | null): string | null {
  if (result === null) return null;
  if (typeof result !== "object") return String(result);
  if (Array.isArray(result)) return `${result.length} item${result.length === 1 ? "" : "s"}`;
  const text = Object.entries(result)
    .filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join("; ");
  if (!text) return null;
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

/**
 * Pages of rows newest first, keyset on the id (the lists' order): each query starts below the last id
 * of the previous page, so a page costs the same at the millionth row as at the first.
 */
async function* keysetPages<T extends { id: number }>(
  load: (below: number | null, take: number) => Promise<T[]>,
  options: ExportOptions,
): AsyncGenerator<T[]> {
  const take = Math.max(1, options.pageSize ?? EXPORT_PAGE_SIZE);
  let below: number | null = null;
  for (;;) {
    if (options.signal?.aborted) return;
    const rows = await load(below, take);
    if (rows.length) yield rows;
    if (rows.length < take) return;
    below = rows.at(-1)!.id;
  }
}

/**
 * A searched export's pages: the search index's candidates newest first, batch by batch, each filtered
 * by the list's filter (as the list's own pages are).
 */
async function* searchedPages(
  db: Db,
  scope: Scope,
  search: string,
  where: Prisma.ExecutionLogWhereInput,
  options: ExportOptions,
) {
  const sizes = [Math.max(1, options.pageSize ?? EXPORT_PAGE_SIZE)];
  for await (const ids of matchingLogIdBatches(db, scope, search, null, { sizes })) {
    if (options.signal?.aborted) return;
    const rows = await db.executionLog.findMany({
      where: { ...where, id: { in: ids } },
      orderBy: { id: "desc" },
      select: LOG_SELECT,
    });
    if (rows.length) yield rows;
  }
}

async function* logRecords(db: Db, scope: Scope, filter: ExecutionLogsFilter, options: ExportOptions) {
  const where = executionLogsWhere(scope, filter);
  const admin = scope.role === "ADMIN";
  const pages = filter.search
    ? searchedPages(db, scope, filter.search, where, options)
    : keysetPages(
        (below, take) =>
          db.executionLog.findMany({
            where: { ...where, ...(below !== null ? { id: { lt: below } } : {}) },
            orderBy: { id: "desc" },
            take,
            select: LOG_SELECT,
          }),
        options,
      );
  for await (const rows of pages)
    yield rows.map((log): ExportRecord => ({
      id: log.id,
      startedAt: log.startedAt.toISOString(),
      finishedAt: log.finishedAt?.toISOString() ?? null,
      durationMs: log.durationMs,
      status: log.status,
      trigger: log.trigger,
      attempt: log.attempt,
      taskId: log.taskId,
      taskType: log.taskType,
      taskLabel: TYPE_LABELS[log.taskType] ?? log.taskType,
      target: log.task.websiteUrl ?? log.task.platform,
      ...(admin ? { ownerEmail: log.user?.email ?? null } : {}),
      errorCategory: log.errorCategory,
      errorMessage: log.errorMessage,
      resultSummary: resultSummary(log.result),
    }));
}

async function* eventRecords(db: Db, scope: Scope, filter: EventHistoryFilter, options: ExportOptions) {
  const where = eventHistoryWhere(scope, filter, options.now ?? new Date());
  const admin = scope.role === "ADMIN";
  const pages = keysetPages(
    (below, take) =>
      db.schedulerEvent.findMany({
        where: { ...where, ...(below !== null ? { id: { lt: below } } : {}) },
        orderBy: { id: "desc" },
        take,
        select: EVENT_SELECT,
      }),
    options,
  );
  for await (const rows of pages)
    yield rows.map((event): ExportRecord => {
      const data = event.data && typeof event.data === "object" && !Array.isArray(event.data) ? event.data : {};
      return {
        id: event.id,
        occurredAt: event.occurredAt.toISOString(),
        type: event.type,
        taskId: event.taskId,
        taskType: typeof data.taskType === "string" ? data.taskType : null,
        executionLogId: event.executionLogId,
        runStatus: event.runStatus,
        durationMs: event.durationMs,
        workerId: event.workerId,
        ...(admin ? { userEmail: event.user?.email ?? null } : {}),
        summary: describeEvent(event, "UTC"),
        errorMessage: event.errorMessage,
      };
    });
}

/** The export's rows, a page at a time, as records whose keys are `exportColumns(kind, scope)`. */
export function exportRecords(
  db: Db,
  scope: Scope,
  request: ExportRequest,
  options: ExportOptions = {},
): AsyncGenerator<ExportRecord[]> {
  return request.kind === "execution-logs"
    ? logRecords(db, scope, request.filter, options)
    : eventRecords(db, scope, request.filter, options);
}

/**
 * A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
 * first) gets a leading apostrophe, so an error message such as `=HYPERLINK(…)` stays text. Numbers are
 * ours and never negative, so they are left as they are.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(value: ExportCell | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return guardFormula(value);
  return String(value);
}

/**
 * CSV lines (RFC 4180: CRLF between records, a field quoted when it holds a comma, a quote or a line
 * break). csv-stringify quotes a field holding its record delimiter, but not a lone LF or CR:
 * `quoted_match` asks for those too.
 */
export function csvLines(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { record_delimiter: "\r\n", quoted_match: /[\r\n]/ });
}

/**
 * The export as text chunks, one per page read (the CSV header travels with the first): CSV with a header
 * line, or NDJSON (one JSON object per line, the same field names). A walk with nothing to export is the
 * header alone (CSV) or nothing (NDJSON).
 */
export async function* exportChunks(
  db: Db,
  scope: Scope,
  request: ExportRequest,
  format: ExportFormat,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const columns = exportColumns(request.kind, scope);
  let header = format === "csv" ? csvLines([columns]) : "";
  for await (const records of exportRecords(db, scope, request, options)) {
    const body =
      format === "csv"
        ? csvLines(records.map((r) => columns.map((c) => csvCell(r[c]))))
        : records.map((r) => `${JSON.stringify(r)}\n`).join("");
    yield header + body;
    header = "";
  }
  if (header) yield header;
}
