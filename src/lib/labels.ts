/** Display names shared by every page (the task types' come from the catalogue). */
export { TYPE_LABELS } from "./task-kinds";

export const STATUS_LABELS: Record<string, string> = {
  ACTIVE: "Active",
  PAUSED: "Paused",
  FAILED: "Failed",
  NEEDS_INTERVENTION: "Needs intervention",
  ENDED: "Ended",
};

export const OUTCOME_LABELS: Record<string, string> = {
  RUNNING: "Running",
  SUCCESS: "Succeeded",
  FAILED: "Failed",
  SKIPPED: "Skipped",
  TIMED_OUT: "Timed out",
  INTERRUPTED: "Interrupted",
};

export const CATEGORY_LABELS: Record<string, string> = {
  API_LIMIT: "API limit",
  AUTH_ERROR: "Authentication",
  NETWORK_ERROR: "Network",
  CONFIG_ERROR: "Configuration",
  TIMEOUT: "Timeout",
  UNKNOWN: "Unknown",
};

/** What a person did to a task, as its audit trail says it ("Paused by …"). */
export const AUDIT_LABELS: Record<string, string> = {
  MANUAL_TRIGGER: "Run by hand",
  RETRY: "Retried",
  PAUSE: "Paused",
  RESUME: "Resumed",
  TRIGGER_ALL: "Triggered with all others",
  CLEANUP_EVENTS: "Event log cleaned up",
  RECONCILE_STATS: "Statistics reconciled",
  RECONCILE_TASKS: "Missing tasks created",
  CONNECT: "Connected",
  DISCONNECT: "Disconnected",
  SET_ROLE: "Role changed",
  SET_GRACE: "Grace changed",
  SET_SCHEDULE: "Schedule changed",
};

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Axis ticks that stay short: "800 ms", "14 s", "2 min". */
export function shortDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 60_000)} min`;
}
