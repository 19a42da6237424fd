import { formatDateTime } from "./format";
import { formatDuration, TYPE_LABELS } from "./labels";

/** The fields of a scheduler event that its words are made of (an `eventHistory` item has them all). */
export interface EventWords {
  type: string;
  data: unknown;
  cycleNumber: number | null;
  tasksFound: number | null;
  tasksExecuted: number | null;
  tasksFailed: number | null;
  tasksSkipped: number | null;
  durationMs: number | null;
  runStatus: string | null;
  jobKind: string | null;
  errorMessage: string | null;
  previousIntervalMs: number | null;
  newIntervalMs: number | null;
  workerId: string | null;
}

/** What happened, in words, per event type: the Events page's line and the export's `summary`. */
export function describeEvent(e: EventWords, zone: string): string {
  const data = (e.data && typeof e.data === "object" ? e.data : {}) as Record<string, unknown>;
  const type = typeof data.taskType === "string" ? (TYPE_LABELS[data.taskType] ?? data.taskType) : "a task";
  switch (e.type) {
    case "CHECK_CYCLE":
      return `Check cycle #${e.cycleNumber ?? "?"}: ${e.tasksFound ?? 0} found, ${e.tasksExecuted ?? 0} executed, ${e.tasksFailed ?? 0} failed, ${e.tasksSkipped ?? 0} skipped in ${formatDuration(e.durationMs)}`;
    case "JOB_COMPLETED":
      return `${type} ${e.runStatus === "SKIPPED" ? "had nothing to do" : "succeeded"}${e.durationMs !== null ? ` in ${formatDuration(e.durationMs)}` : ""}${e.jobKind === "ONE_TIME" ? " (run by hand)" : ""}`;
    case "JOB_FAILED":
      return `${type} ${e.runStatus === "TIMED_OUT" ? "timed out" : "failed"}: ${e.errorMessage ?? "no message"}`;
    case "JOB_SCHEDULED":
      return `A ${String(data.trigger ?? "manual").toLowerCase()} run was requested`;
    case "JOB_CANCELLED":
      return `A run was interrupted (${String(data.reason ?? "shutdown")}) and handed back`;
    case "LEASE_RECOVERED":
      return `Recovered a run of a lost worker${data.deadWorker ? ` (${String(data.deadWorker)})` : ""}`;
    case "TASK_COOLED_OFF":
      return `Task cooled off after ${String(data.consecutive ?? "?")} failures in a row${data.coolOffUntil ? ` until ${formatDateTime(new Date(String(data.coolOffUntil)), zone)}` : ""}`;
    case "TASK_RELEASED":
      return `Task released from cool-off (${String(data.reason ?? "")})`;
    case "INTERVAL_ADJUSTMENT":
      return `Check interval changed from ${formatDuration(e.previousIntervalMs)} to ${formatDuration(e.newIntervalMs)}`;
    case "RETENTION_CLEANUP":
      return `Retention removed ${String(data.deleted ?? 0)} old events (their totals are kept)`;
    case "START":
      return `Scheduler started${e.workerId ? ` (${e.workerId})` : ""}`;
    case "STOP":
      return `Scheduler stopped${e.workerId ? ` (${e.workerId})` : ""}`;
    default:
      return e.type;
  }
}
