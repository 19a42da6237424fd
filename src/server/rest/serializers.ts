import type { inferRouterOutputs } from "@trpc/server";
import { describeSchedule, scheduleOf } from "@/lib/schedule";
import { TYPE_LABELS, VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import type { AppRouter } from "@/server/api/root";
import { TASK_RUNTIME } from "@/server/scheduler/task-kinds";

/**
 * The procedures' results in the original system's JSON shapes: snake_case keys, lower-case enum
 * values, ISO timestamps, its envelopes. Where the original's two versions answered one path with
 * different models, a serializer sends the union of their fields (a client of either version reads
 * its own keys; the conflicts that cannot be merged are named where they are decided).
 * Ids stay ours: task ids are strings (cuid), log and event ids integers.
 */

type Out = inferRouterOutputs<AppRouter>;
type TaskType = keyof typeof TASK_RUNTIME;
export type JobItem = Out["dashboard"]["jobs"]["items"][number];
export type LogItem = Out["monitoring"]["executionLogs"]["items"][number];
export type EventItem = Out["monitoring"]["eventHistory"]["items"][number];
export type JobEvent = Out["dashboard"]["recentSchedulerLogs"][number];
export type InterventionItem = Out["tasks"]["needingIntervention"]["items"][number];
export type InsightsTask = Out["platform"]["insightsStatus"][number];
export type WebsiteTask = Out["platform"]["websiteAnalysisStatus"]["own"][number];
export type TaskState = Out["tasks"]["history"]["task"];

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const lower = <T extends string | null | undefined>(v: T): T | Lowercase<NonNullable<T>> =>
  (v ? v.toLowerCase() : v) as T | Lowercase<NonNullable<T>>;

/** The contract's name of a task type (`gsc_insights`), from the task-kind catalogue. */
export const restType = (type: TaskType): string => TASK_RUNTIME[type].rest.type;
/** The original's executor name (`gsc_insights_executor.execute_task`). */
export const functionName = (type: TaskType): string => TASK_RUNTIME[type].rest.functionName;

/** The contract's type names → ours, for the task types people see. */
export const TASK_TYPE_BY_REST_NAME: Readonly<Record<string, (typeof VISIBLE_TASK_TYPES)[number]>> = Object.fromEntries(
  VISIBLE_TASK_TYPES.map((type) => [restType(type), type]),
);
export const REST_TASK_TYPES: readonly string[] = Object.keys(TASK_TYPE_BY_REST_NAME);

const DAY_MINUTES = 24 * 60;

/** The original's frequency text: "Weekly", "Every 10 days" (website analysis always in days), "Every 6h". */
export function frequencyText(minutes: number, type: TaskType): string {
  if (type === "WEBSITE_ANALYSIS" && minutes % DAY_MINUTES === 0) return `Every ${minutes / DAY_MINUTES} days`;
  if (minutes === 7 * DAY_MINUTES) return "Weekly";
  if (minutes % DAY_MINUTES === 0) return `Every ${minutes / DAY_MINUTES} days`;
  if (minutes % 60 === 0) return `Every ${minutes / 60}h`;
  return `Every ${minutes} minutes`;
}

/** An interval in whole minutes, as the original's `*_interval_minutes` integers (rounded up: never 0). */
export const wholeMinutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));

/** A JSON column as the original's `Dict[str, Any]`: an object, or null (anything else is wrapped). */
export function jsonObject(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

/** An execution status as the original's four log statuses; a timeout or an interruption is a failure. */
export function logStatus(status: string): "success" | "failed" | "running" | "skipped" {
  switch (status) {
    case "SUCCESS":
      return "success";
    case "RUNNING":
      return "running";
    case "SKIPPED":
      return "skipped";
    default:
      return "failed"; // FAILED, TIMED_OUT, INTERRUPTED (the precise one is in `execution_status`)
  }
}

/** `user_website` or `competitor`, the original's website task types. */
export const websiteTaskType = (role: string | null): "user_website" | "competitor" =>
  role === "COMPETITOR" ? "competitor" : "user_website";

/** A competitor's domain (the original's `competitor_id` column held it); null for the user's own site. */
export function competitorId(url: string | null, role: string | null): string | null {
  if (role !== "COMPETITOR" || !url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/**
 * The original's display-only "user job store": the second-level label of the user's own website
 * (`blog.example.co.uk` → `example`), "default" when there is none or it is too short.
 */
export function userJobStore(url: string | null | undefined): string {
  if (!url) return "default";
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return "default";
  }
  const labels = host.split(".").filter(Boolean);
  let label = labels.length >= 2 ? labels[labels.length - 2]! : (labels[0] ?? "");
  if (labels.length >= 3 && ["co", "com", "net", "org"].includes(label)) label = labels[labels.length - 3]!;
  const clean = label.replace(/[^a-z0-9_-]/g, "");
  return clean.length >= 2 ? clean : "default";
}

/** The original's id of a job (`platform_insights_gsc_<user>`, `website_analysis_competitor_<user>_<task>`). */
export function jobId(job: Pick<JobItem, "id" | "type" | "target" | "userId" | "websiteRole">): string {
  const uid = job.userId ?? "system";
  switch (job.type) {
    case "OAUTH_TOKEN_MONITORING":
      return `oauth_token_monitoring_${lower(job.target)}_${uid}`;
    case "GSC_INSIGHTS":
    case "BING_INSIGHTS":
      return `platform_insights_${lower(job.target)}_${uid}`;
    default:
      return `website_analysis_${websiteTaskType(job.websiteRole)}_${uid}_${job.id}`;
  }
}

/** The fields of version 2's `JobInfo` that a job has besides version 1's (name, func, args, …). */
function jobInfo(job: { name: string; func: string; trigger: string; paused: boolean; taskType: string | null }) {
  return {
    name: job.name,
    func: job.func,
    args: [] as unknown[],
    kwargs: {} as Record<string, unknown>,
    trigger: job.trigger,
    is_paused: job.paused,
    task_type: job.taskType,
    created_at: null,
    updated_at: null,
  };
}

/**
 * The scheduler's own recurring job, the original's `check_due_tasks`: our engine's loop, which claims
 * due tasks at least every SCHEDULER_POLL_MS (and at once when one falls due).
 */
export function checkDueTasksJob(running: boolean, pollMs: number, now: Date) {
  return {
    id: "check_due_tasks",
    trigger_type: "IntervalTrigger" as const,
    next_run_time: running ? new Date(now.getTime() + pollMs).toISOString() : null,
    user_id: null,
    job_store: "default" as const,
    jobstore: "default",
    user_job_store: "default",
    is_database_task: false as const,
    function_name: "scheduler.check_due_tasks",
    ...jobInfo({
      name: "check_due_tasks",
      func: "scheduler.check_due_tasks",
      trigger: `interval[0:00:${String(Math.max(1, Math.round(pollMs / 1000))).padStart(2, "0")}]`,
      paused: !running,
      taskType: null,
    }),
  };
}

/**
 * One of the user's tasks as a database-backed job of GET /dashboard: version 1's OAuth / website /
 * insights job (the original frontend's jobs tree reads these) with version 2's `JobInfo` fields.
 */
export function dashboardJob(job: JobItem, store: string) {
  const website = job.type === "WEBSITE_ANALYSIS";
  const insights = job.type === "GSC_INSIGHTS" || job.type === "BING_INSIGHTS";
  // A cron task's frequency is its schedule in words ("At 06:00, every day (Europe/Berlin)").
  const frequency = job.cronExpression
    ? describeSchedule(scheduleOf(job))
    : frequencyText(job.frequencyMinutes, job.type);
  return {
    id: jobId(job),
    // The original listed every database task as a cron job; ours run on an interval or a cron schedule (`frequency`).
    trigger_type: "CronTrigger" as const,
    next_run_time: iso(job.nextRunAt),
    user_id: job.userId,
    job_store: "default" as const,
    user_job_store: store,
    is_database_task: true as const,
    task_id: job.id,
    function_name: functionName(job.type),
    frequency,
    status: lower(job.status),
    ...(website
      ? {
          website_url: job.target,
          competitor_id: competitorId(job.target, job.websiteRole),
          task_category: "website_analysis",
        }
      : { platform: lower(job.target) }),
    ...(insights ? { task_category: "platform_insights" } : {}),
    ...jobInfo({
      name: website ? `website_analysis:${job.target ?? ""}` : `${restType(job.type)}:${lower(job.target) ?? ""}`,
      func: functionName(job.type),
      trigger: job.cronExpression
        ? `cron[${job.cronExpression} ${job.cronTimeZone ?? "UTC"}]`
        : `interval[${frequency}]`,
      paused: job.paused,
      taskType: website ? websiteTaskType(job.websiteRole) : restType(job.type),
    }),
  };
}

/**
 * A run asked for once (a manual trigger or retry waiting for a worker) as a one-time job of GET /jobs:
 * version 1's APScheduler job keys with version 2's `JobInfo`.
 */
export function oneTimeJob(job: JobItem, store: string) {
  return {
    id: `${jobId(job)}_once`,
    trigger_type: "DateTrigger",
    next_run_time: iso(job.nextRunAt),
    jobstore: "default",
    job_store: "default",
    user_id: job.userId,
    user_job_store: store,
    function_name: functionName(job.type),
    is_database_task: true,
    task_id: job.id,
    ...jobInfo({
      name: `${restType(job.type)}:${job.target ?? ""}`,
      func: functionName(job.type),
      trigger: `date[${iso(job.nextRunAt) ?? "now"}]`,
      paused: job.paused,
      taskType: restType(job.type),
    }),
  };
}

/** An execution log row (GET /execution-logs): version 1's row and task, version 2's nullable task fields. */
export function executionLog(log: LogItem) {
  return {
    id: log.id,
    task_id: log.taskId,
    user_id: log.userId,
    execution_date: iso(log.startedAt),
    status: logStatus(log.status),
    error_message: log.errorMessage,
    execution_time_ms: log.durationMs,
    result_data: jsonObject(log.result),
    created_at: iso(log.startedAt),
    task: {
      id: log.taskId,
      task_title: `${TYPE_LABELS[log.taskType] ?? restType(log.taskType)}: ${log.target ?? "—"}`,
      component_name: restType(log.taskType),
      metric: log.dataSource ?? restType(log.taskType),
      frequency: frequencyText(log.taskFrequencyMinutes, log.taskType),
    },
    // Ours, beyond the original's: the precise status, the trigger, the attempt.
    execution_status: lower(log.status),
    trigger: lower(log.trigger),
    attempt: log.attempt,
    task_type: restType(log.taskType),
  };
}

const DATA_SOURCES = ["cached", "api", "storage", "onboarding"] as const;

/** An insights log row (GET /platform-insights/logs/{user_id}). */
export function insightsLog(log: LogItem) {
  return {
    id: log.id,
    task_id: log.taskId,
    execution_date: iso(log.startedAt),
    status: logStatus(log.status),
    result_data: jsonObject(log.result),
    error_message: log.errorMessage,
    execution_time_ms: log.durationMs,
    data_source: DATA_SOURCES.find((s) => s === log.dataSource) ?? null,
    created_at: iso(log.startedAt),
  };
}

/** A website-analysis log row (GET /website-analysis/logs/{user_id}). */
export function websiteLog(log: LogItem) {
  return {
    id: log.id,
    task_id: log.taskId,
    website_url: log.target,
    task_type: log.websiteRole ? websiteTaskType(log.websiteRole) : null,
    execution_date: iso(log.startedAt),
    status: logStatus(log.status),
    result_data: jsonObject(log.result),
    error_message: log.errorMessage,
    execution_time_ms: log.durationMs,
    created_at: iso(log.startedAt),
  };
}

/** Our task-type keys of a JSON count map (`{GSC_INSIGHTS: 2}`) as the contract's (`{gsc_insights: 2}`). */
function byRestType(counts: unknown): Record<string, number> | null {
  if (!counts || typeof counts !== "object") return null;
  return Object.fromEntries(
    Object.entries(counts as Record<string, unknown>)
      .filter((entry): entry is [string, number] => typeof entry[1] === "number")
      .map(([type, n]) => [type in TASK_RUNTIME ? restType(type as TaskType) : type.toLowerCase(), n]),
  );
}

/** One scheduler event (GET /event-history). */
export function schedulerEvent(e: EventItem) {
  const minutes = (ms: number | null) => (ms === null ? null : wholeMinutes(ms));
  return {
    id: e.id,
    event_type: lower(e.type),
    event_date: iso(e.occurredAt),
    check_cycle_number: e.cycleNumber,
    check_interval_minutes: minutes(e.checkIntervalMs),
    previous_interval_minutes: minutes(e.previousIntervalMs),
    new_interval_minutes: minutes(e.newIntervalMs),
    tasks_found: e.tasksFound,
    tasks_executed: e.tasksExecuted,
    tasks_failed: e.tasksFailed,
    tasks_by_type: byRestType(e.tasksByType),
    check_duration_seconds: e.durationMs === null ? null : e.durationMs / 1000,
    active_strategies_count: null,
    active_executions: e.activeExecutions,
    job_id: e.taskId,
    job_type: lower(e.jobKind),
    user_id: e.userId,
    event_data: jsonObject(e.data),
    error_message: e.errorMessage,
    created_at: iso(e.occurredAt),
    // Ours: the worker that wrote it; for an admin, whose event it is.
    worker_id: e.workerId,
    user_email: e.userEmail,
  };
}

const JOB_EVENT_STATUS = { JOB_COMPLETED: "success", JOB_FAILED: "failed", JOB_SCHEDULED: "running" } as const;

/**
 * A job event as an execution-log row (GET /recent-scheduler-logs): `task_id` null as in the original
 * (the task is the `job_id`); the task summary carries version 1's `frequency` and version 2's `tags`/`type`.
 */
export function schedulerLog(e: JobEvent) {
  const type = e.type as keyof typeof JOB_EVENT_STATUS;
  const title = type
    .toLowerCase()
    .replace(/_/g, " ")
    .replace(/\b\w/g, (c) => c.toUpperCase());
  return {
    id: `scheduler_event_${e.id}`,
    task_id: null,
    user_id: e.userId,
    execution_date: iso(e.occurredAt),
    status: JOB_EVENT_STATUS[type],
    error_message: e.errorMessage,
    execution_time_ms: e.durationMs,
    result_data: null,
    created_at: iso(e.occurredAt),
    task: {
      id: null,
      task_title: `${title}: ${e.taskId ?? "N/A"}`,
      component_name: "Scheduler",
      metric: e.taskType ? functionName(e.taskType) : "unknown",
      frequency: "one-time",
      tags: ["scheduler", "system"],
      type: "scheduler_event",
    },
    is_scheduler_log: true,
    event_type: lower(type),
    job_id: e.taskId,
    execution_log_id: e.executionLogId,
  };
}

/** Our failure categories as the original's five failure reasons. */
function failureReason(
  category: string | null,
): "api_limit" | "auth_error" | "network_error" | "config_error" | "unknown" {
  switch (category) {
    case "API_LIMIT":
      return "api_limit";
    case "AUTH_ERROR":
      return "auth_error";
    case "NETWORK_ERROR":
    case "TIMEOUT":
      return "network_error";
    case "CONFIG_ERROR":
      return "config_error";
    default:
      return "unknown";
  }
}

/**
 * A task needing intervention. Version 1's item (the original frontend's intervention cards and alerts
 * read it) with version 2's `TaskInterventionInfo` fields. The two conflict on `task_type` for Search
 * Console and Bing tasks (version 1 `gsc_insights`/`bing_insights`, version 2 `platform_insights`):
 * version 1's names are kept, as the frontend keys its labels and manual-trigger URL on them.
 */
export function interventionTask(t: InterventionItem) {
  const pattern = (t.failurePattern ?? {}) as {
    consecutive?: number;
    recent?: number;
    errorPatterns?: { pattern: string }[];
    lastFailureAt?: string;
  };
  const website = t.type === "WEBSITE_ANALYSIS";
  return {
    task_id: t.id,
    task_type: restType(t.type),
    user_id: t.userId ?? "",
    ...(website ? { website_url: t.websiteUrl ?? "" } : { platform: lower(t.platform) ?? "" }),
    failure_pattern: {
      consecutive_failures: pattern.consecutive ?? t.consecutiveFailures,
      recent_failures: pattern.recent ?? t.consecutiveFailures,
      failure_reason: failureReason(t.failureCategory),
      last_failure_time: pattern.lastFailureAt ?? iso(t.lastFailureAt),
      error_patterns: (pattern.errorPatterns ?? []).slice(0, 3).map((e) => e.pattern),
    },
    failure_reason: t.failureReason,
    last_failure: iso(t.lastFailureAt),
    // Version 2: the task's last run failed (`needs_intervention` is not among its statuses: see task_status).
    status: "failed" as const,
    created_at: "",
    last_attempt: iso(t.lastFailureAt),
    failure_count: t.consecutiveFailures,
    error_message: t.failureReason,
    next_retry_at: iso(t.coolOffUntil ?? t.nextRunAt),
    metadata: {
      platform: lower(t.platform),
      website_url: t.websiteUrl,
      failure_category: lower(t.failureCategory),
    },
    // Ours: the task's own status, its cool-off and what to do.
    task_status: lower(t.status),
    cool_off_until: iso(t.coolOffUntil),
    suggested_action: t.suggestedAction,
  };
}

const failing = (status: string) => status === "FAILED" || status === "NEEDS_INTERVENTION";

/** Counts of version 2's status envelopes. */
export function statusCounts(tasks: readonly { status: string }[]) {
  return {
    total_tasks: tasks.length,
    active_tasks: tasks.filter((t) => t.status === "ACTIVE").length,
    paused_tasks: tasks.filter((t) => t.status === "PAUSED").length,
    failed_tasks: tasks.filter((t) => failing(t.status)).length,
  };
}

/** The task-row fields every status route shares (version 1). */
function taskRow(t: InsightsTask | WebsiteTask) {
  return {
    id: t.id,
    status: lower(t.status),
    last_check: iso(t.lastRunAt),
    last_success: iso(t.lastSuccessAt),
    last_failure: iso(t.lastFailureAt),
    failure_reason: t.failureReason,
    next_check: iso(t.nextRunAt),
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
  };
}

/** Version 2's task model fields (task_id, last_run_at, frequency_hours, error_count, …). */
function taskModel(t: InsightsTask | WebsiteTask, metadata: Record<string, unknown>) {
  return {
    task_id: t.id,
    user_id: t.userId ?? "",
    status: lower(t.status),
    created_at: t.createdAt.toISOString(),
    last_run_at: iso(t.lastRunAt),
    next_run_at: iso(t.nextRunAt),
    frequency_hours: Math.round(t.frequencyMinutes / 60),
    error_count: t.consecutiveFailures,
    last_error: t.failureReason,
    metadata,
  };
}

const siteOf = (t: InsightsTask) => t.latestSnapshot?.siteUrl ?? t.connection?.selectedSiteUrl ?? null;

export const insightsTaskRow = (t: InsightsTask) => ({
  ...taskRow(t),
  platform: lower(t.platform),
  site_url: siteOf(t),
});
export const insightsTaskModel = (t: InsightsTask) => ({
  ...taskModel(t, { last_outcome: lower(t.lastOutcome), connection_status: lower(t.connection?.status) ?? null }),
  platform: lower(t.platform) ?? "",
  property_url: siteOf(t) ?? "",
});

export const websiteTaskRow = (t: WebsiteTask) => ({
  ...taskRow(t),
  website_url: t.websiteUrl ?? "",
  task_type: websiteTaskType(t.websiteRole),
  competitor_id: competitorId(t.websiteUrl, t.websiteRole),
  frequency_days: Math.max(1, Math.round(t.frequencyMinutes / DAY_MINUTES)),
});
export const websiteTaskModel = (t: WebsiteTask) => ({
  ...taskModel(t, {
    seo_score: t.latestAnalysis?.seoScore ?? null,
    last_analyzed_at: iso(t.latestAnalysis?.analyzedAt),
  }),
  website_url: t.websiteUrl ?? "",
  analysis_type: websiteTaskType(t.websiteRole),
});

/** A manual trigger's answer: version 1's `{task}` and version 2's `task_id`/`execution_id`. */
export function triggerResult(task: TaskState, result: { queued: boolean; executionLogId: number | null }) {
  return {
    success: true,
    // Also when a run was already queued or in flight: the request is satisfied by that run (`queued` says which).
    message: "Task triggered successfully",
    task: { id: task.id, status: lower(task.status), last_check: iso(task.lastRunAt) },
    task_id: task.id,
    execution_id: result.executionLogId === null ? null : String(result.executionLogId),
    estimated_duration_seconds: null,
    queued: result.queued,
    execution_log_id: result.executionLogId,
  };
}

/**
 * A retry's answer: version 1's `{message, task}` and version 2's `task_id`, `retry_scheduled_at`,
 * `failure_count_reset`. The versions' messages conflict ("… scheduled for immediate execution" /
 * "… scheduled for retry"); version 1's is kept (the original frontend's).
 */
export function retryResult(task: TaskState, result: { queued: boolean }, reset: boolean) {
  return {
    success: true,
    message: `Website analysis task ${task.id} scheduled for immediate execution`,
    task: {
      id: task.id,
      website_url: task.websiteUrl ?? "",
      status: lower(task.status),
      next_check: iso(task.nextRunAt),
    },
    task_id: task.id,
    retry_scheduled_at: iso(task.nextRunAt),
    failure_count_reset: reset,
    queued: result.queued,
  };
}
