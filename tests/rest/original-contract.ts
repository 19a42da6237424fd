/**
 * The ORIGINAL system's REST contract under `/api/scheduler/*` (AJaySi/ALwrity, FastAPI backend and
 * React frontend), as test data: one zod schema per response body and a table of every endpoint of
 * both versions of the original.
 *
 * - Version 1: the single-module router `backend/api/scheduler_dashboard.py` (the "14 endpoints").
 *   Read at commit 3b9356e2 (the earliest stored version; 1,328 lines, 12 routes). The stored
 *   e404a865 ("Recovered state") has the same 12 routes and shapes and only adds deep-website-crawl
 *   jobs to `/dashboard`. The two missing routes, `POST /cleanup-event-logs` and
 *   `GET /event-logs/stats`, are in no stored backend version: their shapes are taken from the
 *   version-1 frontend client `frontend/src/api/schedulerDashboard.ts@03a374ce` (`EventLogCleanupResult`,
 *   `EventLogStats`, `cleanupSchedulerEventLogs(daysToKeep = 90)`) and from
 *   /work/shared/reference/original-system.md §1.2 (version C).
 * - Version 2: the split package `backend/api/scheduler/` (16 endpoints in 4 routers + 4 system
 *   endpoints in `__init__.py`, plus the two reconcile POSTs added later). Files read at the commits
 *   named in each `source`; `monitoring.py` is the latest stored version (the one that accepts the legacy
 *   `days_to_keep`; the index does not name its commit), cited as `monitoring.py@latest`.
 *
 * Conventions of the original, kept here:
 * - Timestamps are Python `datetime.isoformat()` strings of naive UTC (`2026-01-01T10:00:00.123456`,
 *   no zone). The schemas also accept a `Z`/offset suffix, which our facade sends.
 * - Integer primary keys. Our facade's ids are strings (cuid) for tasks (the README: ids stay strings),
 *   so every id accepts an integer or a non-empty string (`Id`).
 * - Version 2 answers through Pydantic `response_model`s: every declared field is present (defaults
 *   serialised as `null`), undeclared keys are dropped. Where a version-2 handler builds dicts that its
 *   own model rejects, the route answers 500 ("Failed to …: … validation error …") as soon as one row
 *   exists; the schema below is the model (what a successful answer would be) and `notes` say so.
 * - Errors are `{detail: string}`; FastAPI's own 422 (query/path validation) is `{detail: [{loc, msg, type, …}]}`;
 *   a path that exists with another method is 405 `{detail: "Method Not Allowed"}`; an unknown path 404
 *   `{detail: "Not Found"}`.
 *
 * zod objects strip unknown keys by default, so extra keys in our answers do not fail these schemas.
 */
import { z } from "zod";

// ───────────────────────────── shared primitives ─────────────────────────────

/** Python `datetime.isoformat()` (naive UTC), optionally with a zone suffix. */
export const IsoDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?$/, "ISO 8601 date-time");
const NullableIso = IsoDateTime.nullable();
const Int = z.number().int();
const NullableInt = Int.nullable();
const NullableString = z.string().nullable();

/** An integer primary key in the original; our ids are strings (cuid), so both are accepted. */
export const Id = z.union([z.number().int(), z.string().min(1)]);

/** A free-form JSON dict (`Dict[str, Any]` / a JSON column): any keys kept. */
export const JsonObject = z.looseObject({});

/** `task_execution_logs.status` and every `<x>_execution_logs.status` (the `status` query regex). */
export const LogStatus = z.enum(["success", "failed", "running", "skipped"]);

/** `scheduler_event_logs.event_type` (the `event_type` query regex of version 1). */
export const EventType = z.enum([
  "check_cycle",
  "interval_adjustment",
  "start",
  "stop",
  "job_scheduled",
  "job_cancelled",
  "job_completed",
  "job_failed",
]);

/** Status of an oauth / insights / website-analysis task row (`status str(50)`, default `active`). */
export const TaskStatus = z.enum(["active", "failed", "paused", "needs_intervention"]);

/** `FailureReason` of `services/scheduler/core/failure_detection_service.py`. */
export const FailureReason = z.enum(["api_limit", "auth_error", "network_error", "config_error", "unknown"]);

/** `platform_insights_execution_logs.data_source`; the frontend types it (platformInsightsMonitoring.ts@7191c7e7:39). */
export const DataSource = z.enum(["cached", "api", "storage", "onboarding"]);

/** `{detail}` of every HTTPException. */
export const HttpErrorBody = z.object({ detail: z.string() });

/** FastAPI's own 422 for a query/path value that fails its declaration (`ge`, `le`, `regex`, `int`). */
export const FastApiValidationErrorBody = z.object({
  detail: z.array(
    z.looseObject({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
  ),
});

/** A path the router has, with a method it does not serve (Starlette). */
export const METHOD_NOT_ALLOWED = { status: 405, body: { detail: "Method Not Allowed" } } as const;
/** A path the router does not have. */
export const NOT_FOUND = { status: 404, body: { detail: "Not Found" } } as const;

// ───────────────────────────── /dashboard ─────────────────────────────

/**
 * `stats` of GET /dashboard: scheduler session counters plus the persistent cumulative counters.
 * v1: the dict at scheduler_dashboard.py@3b9356e2:367; v2: `SchedulerStats`, models/dashboard.py@7f4a1a7f:8
 * (same 20 fields, `check_interval_minutes: int` default 60, min 15, max 60); frontend `SchedulerStats`
 * (schedulerDashboard.ts@03a374ce:9).
 */
export const SchedulerStats = z.object({
  total_checks: Int,
  tasks_found: Int,
  tasks_executed: Int,
  tasks_failed: Int,
  tasks_skipped: Int,
  last_check: NullableIso,
  last_update: NullableIso,
  active_executions: Int,
  running: z.boolean(),
  check_interval_minutes: Int,
  min_check_interval_minutes: Int,
  max_check_interval_minutes: Int,
  intelligent_scheduling: z.boolean(),
  active_strategies_count: Int,
  last_interval_adjustment: NullableIso,
  registered_types: z.array(z.string()),
  cumulative_total_check_cycles: Int,
  cumulative_tasks_found: Int,
  cumulative_tasks_executed: Int,
  cumulative_tasks_failed: Int,
});

/**
 * An in-memory APScheduler job (`check_due_tasks`, `research_persona_<uid>`, `facebook_persona_<uid>`):
 * scheduler_dashboard.py@3b9356e2:114. Version 1 sends no `is_database_task` key for these; version 2
 * sends `false` (dashboard.py@7f4a1a7f `_get_formatted_jobs`).
 */
export const ApschedulerJob = z.object({
  id: z.string(),
  trigger_type: z.enum(["CronTrigger", "IntervalTrigger", "DateTrigger"]),
  next_run_time: NullableIso,
  user_id: NullableString,
  job_store: z.literal("default"),
  user_job_store: z.string(),
  is_database_task: z.literal(false).optional(),
});

/** Keys every DB-backed job carries (all three kinds are `trigger_type: 'CronTrigger'`). */
const dbJobBase = {
  trigger_type: z.literal("CronTrigger"),
  next_run_time: NullableIso, // the task's next_check
  user_id: z.string(),
  job_store: z.literal("default"),
  user_job_store: z.string(),
  task_id: Id, // integer task id in the original
  is_database_task: z.literal(true),
};

/** Active OAuth token monitoring task: scheduler_dashboard.py@3b9356e2:181 (no task_category key). */
export const OAuthMonitoringJob = z.object({
  ...dbJobBase,
  id: z.string().regex(/^oauth_token_monitoring_[a-z]+_.+$/), // oauth_token_monitoring_{platform}_{user_id}
  function_name: z.literal("oauth_token_monitoring_executor.execute_task"),
  platform: z.string(), // gsc | bing | wordpress | wix
  frequency: z.literal("Weekly"),
});

/** Active website analysis task: scheduler_dashboard.py@3b9356e2:217. */
export const WebsiteAnalysisJob = z.object({
  ...dbJobBase,
  id: z.string().regex(/^website_analysis_(user_website|competitor)_.+_.+$/), // website_analysis_{task_type}_{user_id}_{id}
  function_name: z.literal("website_analysis_executor.execute_task"),
  task_type: z.enum(["user_website", "competitor"]),
  website_url: z.string(),
  // The competitor's domain (a string column); the frontend types it `number | null` (03a374ce:48).
  competitor_id: NullableString,
  frequency: z.string().regex(/^Every \d+ days$/), // f"Every {frequency_days} days"
  task_category: z.literal("website_analysis"),
});

/** Active GSC/Bing insights task: scheduler_dashboard.py@3b9356e2:256. */
export const PlatformInsightsJob = z.object({
  ...dbJobBase,
  id: z.string().regex(/^platform_insights_(gsc|bing)_.+$/), // platform_insights_{platform}_{user_id}
  function_name: z.enum(["gsc_insights_executor.execute_task", "bing_insights_executor.execute_task"]),
  platform: z.enum(["gsc", "bing"]),
  frequency: z.literal("Weekly"),
  task_category: z.literal("platform_insights"),
});

/** One entry of `jobs` as the original frontend reads it (`SchedulerJob`, 03a374ce:33). */
export const DashboardJob = z.union([ApschedulerJob, OAuthMonitoringJob, WebsiteAnalysisJob, PlatformInsightsJob]);

/**
 * GET /dashboard, version 1 (scheduler_dashboard.py@3b9356e2:83, body at :366).
 * `recurring_jobs` = 1 (check_due_tasks) + DB jobs; `one_time_jobs` = non-DB DateTrigger jobs.
 * The frontend `SchedulerDashboardData` (03a374ce:56) has no `registered_task_types`; the handler sends it.
 */
export const DashboardV1 = z.object({
  stats: SchedulerStats,
  jobs: z.array(DashboardJob),
  job_count: Int,
  recurring_jobs: Int,
  one_time_jobs: Int,
  registered_task_types: z.array(z.string()),
  user_isolation: z.object({ enabled: z.literal(true), current_user_id: z.string() }),
  last_updated: IsoDateTime,
});

/**
 * `JobInfo` (models/dashboard.py@7f4a1a7f:35) — the v2 model of a job, also what
 * `utils.format_job_for_response` (utils.py@7f4a1a7f:8) builds for GET /jobs:
 * name/func '' , args [], kwargs {}, trigger = trigger class name, is_paused false, task_type/created_at/updated_at null.
 */
export const JobInfo = z.object({
  id: z.string(),
  name: z.string(),
  func: z.string(),
  args: z.array(z.unknown()),
  kwargs: JsonObject,
  trigger: z.string(),
  trigger_type: z.string(),
  next_run_time: NullableIso,
  is_paused: z.boolean(),
  is_database_task: z.boolean(),
  task_type: NullableString,
  user_id: NullableString,
  created_at: NullableIso,
  updated_at: NullableIso,
});

/**
 * GET /dashboard, version 2: `SchedulerDashboardResponse` (models/dashboard.py@7f4a1a7f:59; route
 * dashboard.py@7f4a1a7f:29). Its `jobs: List[JobInfo]` requires name/func/trigger, which the handler's
 * job dicts (the version-1 shapes above) do not have: any job makes the route answer 500. The original
 * frontend reads the version-1 job shapes; keep `DashboardV1.jobs` in the facade.
 */
export const DashboardV2 = z.object({
  stats: SchedulerStats,
  jobs: z.array(JobInfo),
  job_count: Int,
  recurring_jobs: Int,
  one_time_jobs: Int,
  registered_task_types: z.array(z.string()),
  user_isolation: z.object({ enabled: z.boolean(), current_user_id: z.string() }),
  last_updated: IsoDateTime,
});

/** POST /dashboard/cumulative-stats/reconcile (v2, added after the split: dashboard.py@7f4a1a7f:118). */
export const CumulativeStatsReconcileV2 = z.object({
  success: z.literal(true),
  auditable: z.literal(true),
  reconciled_at: IsoDateTime,
  stats: z.object({
    total_check_cycles: Int,
    cumulative_tasks_found: Int,
    cumulative_tasks_executed: Int,
    cumulative_tasks_failed: Int,
    cumulative_tasks_skipped: Int,
  }),
});

// ───────────────────────────── /jobs ─────────────────────────────

/** GET /jobs, version 1 (scheduler_dashboard.py@3b9356e2:584): APScheduler jobs only; frontend `SchedulerJobsResponse` (03a374ce:118). */
export const JobsV1 = z.object({
  jobs: z.array(
    z.object({
      id: z.string(),
      trigger_type: z.string(),
      next_run_time: NullableIso,
      jobstore: z.string(), // note: `jobstore`, not `job_store`
      user_id: NullableString,
      user_job_store: z.string(),
      function_name: NullableString,
    }),
  ),
  total_jobs: Int,
  recurring_jobs: z.literal(1), // check_due_tasks
  one_time_jobs: Int, // total_jobs - 1
});

/** GET /jobs, version 2 (dashboard.py@7f4a1a7f:157, body at :214). */
export const JobsV2 = z.object({
  jobs: z.array(JobInfo),
  total_count: Int,
  last_updated: IsoDateTime,
});

// ───────────────────────────── /execution-logs ─────────────────────────────

/** The content-strategy monitoring task joined to each log (scheduler_dashboard.py@3b9356e2:560); frontend `TaskInfo` (03a374ce:85). */
export const MonitoringTaskInfo = z.object({
  id: Id,
  task_title: z.string(),
  component_name: z.string(),
  metric: z.string(),
  frequency: z.string(), // Daily | Weekly | Monthly | Quarterly
});

/** One row of GET /execution-logs, version 1 (scheduler_dashboard.py@3b9356e2:546); frontend `ExecutionLog` (03a374ce:93). */
export const ExecutionLogV1 = z.object({
  id: Id,
  task_id: Id,
  user_id: z.union([z.number().int(), z.string()]).nullable(), // legacy integer column, or null when the column is missing
  execution_date: NullableIso,
  status: LogStatus,
  error_message: NullableString,
  execution_time_ms: NullableInt,
  result_data: JsonObject.nullable(),
  created_at: NullableIso,
  task: MonitoringTaskInfo.optional(), // the key is set only `if log.task` (always, given the inner join)
});

/** GET /execution-logs, version 1 (scheduler_dashboard.py@3b9356e2:408, body at :570). */
export const ExecutionLogsV1 = z.object({
  logs: z.array(ExecutionLogV1),
  total_count: Int,
  limit: Int,
  offset: Int,
  has_more: z.boolean(),
  is_scheduler_logs: z.literal(false),
});

/** `TaskInfo` (models/monitoring.py@dc517594:8): every field optional. */
const TaskInfoV2 = z.object({
  id: Id.nullable(),
  task_title: NullableString,
  component_name: NullableString,
  metric: NullableString,
  frequency: NullableString,
});

/**
 * `ExecutionLogEntry` (models/monitoring.py@dc517594:17), filled by aggregations.py@4c0faa7a:15
 * (`user_id` is `str(log.user_id)`, task fallbacks 'Task {id}' / 'Unknown' / 'unknown').
 * The first split (models/monitoring.py@bd6e0cb6) had a different entry (task_type, started_at,
 * completed_at, duration_seconds, metadata) under `{logs, pagination:{limit, offset, total, has_more}}`;
 * dc517594 restored the flat, frontend-compatible shape below.
 */
export const ExecutionLogV2 = z.object({
  id: Id,
  task_id: Id.nullable(),
  user_id: NullableString,
  execution_date: NullableIso,
  status: LogStatus, // `status: str` in the model; the values are the log statuses
  error_message: NullableString,
  execution_time_ms: NullableInt,
  result_data: z.unknown(), // Optional[Any]
  created_at: NullableIso,
  task: TaskInfoV2.nullable(),
});

/** GET /execution-logs, version 2: `ExecutionLogsResponse` (models/monitoring.py@dc517594:31; route monitoring.py@latest:27). */
export const ExecutionLogsV2 = z.object({
  logs: z.array(ExecutionLogV2),
  total_count: Int,
  limit: Int,
  offset: Int,
  has_more: z.boolean(),
  is_scheduler_logs: z.boolean(),
});

// ───────────────────────────── /event-history ─────────────────────────────

/** One scheduler event (scheduler_dashboard.py@3b9356e2:694; v2 `EventLogEntry`, models/monitoring.py@dc517594:41); frontend `SchedulerEvent` (03a374ce:125). */
export const SchedulerEvent = z.object({
  id: Id,
  event_type: EventType,
  event_date: NullableIso,
  check_cycle_number: NullableInt,
  check_interval_minutes: NullableInt,
  previous_interval_minutes: NullableInt,
  new_interval_minutes: NullableInt,
  tasks_found: NullableInt,
  tasks_executed: NullableInt,
  tasks_failed: NullableInt,
  tasks_by_type: z.record(z.string(), Int).nullable(), // task type → found
  check_duration_seconds: z.number().nullable(),
  active_strategies_count: NullableInt,
  active_executions: NullableInt,
  job_id: NullableString,
  job_type: z.enum(["recurring", "one_time"]).nullable(),
  user_id: NullableString,
  event_data: JsonObject.nullable(),
  error_message: NullableString,
  created_at: NullableIso,
});

/** GET /event-history, version 1 (scheduler_dashboard.py@3b9356e2:651, body at :718): no `days`, no `date_filter`. */
export const EventHistoryV1 = z.object({
  events: z.array(SchedulerEvent),
  total_count: Int,
  limit: Int,
  offset: Int,
  has_more: z.boolean(),
});

/**
 * GET /event-history, version 2: `EventHistoryResponse` (models/monitoring.py@dc517594:65), filled by
 * aggregations.py@4c0faa7a:77, which adds `date_filter` only when `days` was given. The stored
 * dc517594 model does not declare `date_filter` (FastAPI would drop it); the frontend reads it as
 * optional (03a374ce:154) and the reference (§1.2, B) lists it, so it is optional here.
 */
export const EventHistoryV2 = z.object({
  events: z.array(SchedulerEvent),
  total_count: Int,
  limit: Int,
  offset: Int,
  has_more: z.boolean(),
  date_filter: z.object({ days: Int, cutoff_date: IsoDateTime, showing_events_since: IsoDateTime }).optional(),
});

// ───────────────────────────── /recent-scheduler-logs ─────────────────────────────

/** A scheduler event shown as an execution-log row, version 1 (scheduler_dashboard.py@3b9356e2:796). */
export const RecentSchedulerLogV1 = z.object({
  id: z.string().regex(/^scheduler_event_\d+$/),
  task_id: z.null(),
  user_id: NullableString,
  execution_date: NullableIso,
  status: z.enum(["success", "failed", "running"]), // job_completed | job_failed | job_scheduled
  error_message: NullableString,
  execution_time_ms: NullableInt, // event_data.execution_time_seconds × 1000
  result_data: z.null(),
  created_at: NullableIso,
  task: z.object({
    id: z.null(),
    task_title: z.string(), // "<Event Type>: <job_id | N/A>"
    component_name: z.literal("Scheduler"),
    metric: z.string(), // event_data.job_function | function_name | 'unknown'
    frequency: z.literal("one-time"),
  }),
  is_scheduler_log: z.literal(true),
  event_type: z.enum(["job_scheduled", "job_completed", "job_failed"]),
  job_id: NullableString,
});

/** GET /recent-scheduler-logs, version 1 (scheduler_dashboard.py@3b9356e2:731, body at :826). */
export const RecentSchedulerLogsV1 = z.object({
  logs: z.array(RecentSchedulerLogV1).max(5),
  total_count: Int,
  limit: z.literal(5),
  offset: z.literal(0),
  has_more: z.literal(false),
  is_scheduler_logs: z.literal(true),
});

/**
 * Version 2 row (dashboard.py@7f4a1a7f:277): `task` has `tags` and `type` instead of `frequency`, and
 * the row has no `is_scheduler_log`, `event_type`, `job_id` (the frontend's `ExecutionLog` has them optional).
 */
export const RecentSchedulerLogV2 = z.object({
  id: z.string().regex(/^scheduler_event_\d+$/),
  task_id: z.null(),
  user_id: NullableString,
  execution_date: NullableIso,
  status: z.enum(["success", "failed", "running"]),
  error_message: NullableString,
  execution_time_ms: NullableInt,
  result_data: z.null(),
  created_at: NullableIso,
  task: z.object({
    id: z.null(),
    task_title: z.string(),
    component_name: z.literal("Scheduler"),
    metric: z.string(),
    tags: z.tuple([z.literal("scheduler"), z.literal("system")]),
    type: z.literal("scheduler_event"),
  }),
});

/** GET /recent-scheduler-logs, version 2 (dashboard.py@7f4a1a7f:225, body at :299). */
export const RecentSchedulerLogsV2 = z.object({
  logs: z.array(RecentSchedulerLogV2).max(5),
  total_count: Int,
  limit: z.literal(5),
  offset: z.literal(0),
  has_more: z.literal(false),
  is_scheduler_logs: z.literal(true),
});

// ───────────────────────────── event log retention ─────────────────────────────

/**
 * POST /cleanup-event-logs, version 1 — `EventLogCleanupResult` of the v1 frontend
 * (schedulerDashboard.ts@03a374ce:355; backend handler not stored). Query `days_to_keep` default 90
 * (7–365, reference §1.2 C); deletes at once (no dry run).
 */
export const EventLogCleanupV1 = z.object({
  success: z.boolean(),
  message: z.string(),
  statistics: z.object({
    total_before_cleanup: Int,
    deleted_count: Int,
    total_after_cleanup: Int,
    retention_days: Int,
    cutoff_date: IsoDateTime,
  }),
});

/**
 * GET /event-logs/stats, version 1 — `EventLogStats` of the v1 frontend (03a374ce:367; handler not
 * stored). Reference §1.2 (C): retention_policy is {recommended_days: 90, minimum_days: 30, maximum_days: 365}
 * and the age buckets count on `created_at`.
 */
export const EventLogStatsV1 = z.object({
  total_records: Int,
  retention_policy: z.object({ recommended_days: Int, minimum_days: Int, maximum_days: Int }),
  age_distribution: z.object({
    last_24h: Int,
    last_7d: Int,
    last_30d: Int,
    last_90d: Int,
    older_than_90d: Int,
    older_than_180d: Int,
  }),
  event_type_distribution: z.record(z.string(), Int),
});

/**
 * GET /event-logs/stats, version 2: `EventLogStats` (models/monitoring.py@dc517594:74), filled by
 * statistics.py@7f4a1a7f `calculate_event_log_statistics` (sums over ALL events, no user filter;
 * `total_tasks_skipped` always 0; average of non-null `check_duration_seconds`).
 */
export const EventLogStatsV2 = z.object({
  total_events: Int,
  events_by_type: z.record(z.string(), Int),
  oldest_event: NullableIso,
  newest_event: NullableIso,
  average_duration_seconds: z.number().nullable(),
  total_tasks_found: Int,
  total_tasks_executed: Int,
  total_tasks_failed: Int,
  total_tasks_skipped: Int,
});

/** POST /cleanup-event-logs, version 2: `EventLogCleanupResponse` (models/monitoring.py@dc517594:93; route monitoring.py@latest:138). */
export const EventLogCleanupV2 = z.object({
  deleted_count: Int,
  would_delete_count: Int,
  oldest_kept_event: NullableIso,
  dry_run: z.boolean(),
});

// ───────────────────────────── intervention, trigger, retry ─────────────────────────────

/** `failure_pattern` built by FailureDetectionService.get_tasks_needing_intervention; frontend `TaskFailurePattern` (03a374ce:66). */
export const TaskFailurePattern = z.object({
  consecutive_failures: Int,
  recent_failures: Int, // failures in the last 7 days
  failure_reason: FailureReason,
  last_failure_time: NullableIso,
  error_patterns: z.array(z.string()).max(3), // first 100 chars of distinct messages among the 5 newest failures
});

const interventionBase = {
  task_id: Id,
  user_id: z.string(),
  failure_pattern: TaskFailurePattern,
  failure_reason: NullableString, // the task's raw failure_reason text
  last_failure: NullableIso,
};

/**
 * One task of GET /tasks-needing-intervention/{user_id}, version 1: the dicts of
 * `FailureDetectionService.get_tasks_needing_intervention` (services/scheduler/core/failure_detection_service.py@3b9356e2);
 * OAuth and insights tasks carry `platform`, website tasks `website_url`. Frontend `TaskNeedingIntervention` (03a374ce:74).
 */
export const TaskNeedingIntervention = z.union([
  z.object({
    ...interventionBase,
    task_type: z.enum(["oauth_token_monitoring", "gsc_insights", "bing_insights"]),
    platform: z.string(),
  }),
  z.object({ ...interventionBase, task_type: z.literal("website_analysis"), website_url: z.string() }),
]);

/** GET /tasks-needing-intervention/{user_id}, version 1 (scheduler_dashboard.py@3b9356e2:1154, body at :1179). */
export const TasksNeedingInterventionV1 = z.object({
  success: z.literal(true),
  tasks: z.array(TaskNeedingIntervention),
  count: Int,
});

/**
 * `TaskInterventionInfo` (models/shared.py@7f4a1a7f:26). The version-2 handler fills it from the
 * version-1 dicts above (task_id int, task_type 'gsc_insights', status missing → 'needs_intervention',
 * all of which this model rejects), so the route answers 500 whenever a task needs intervention.
 */
export const TaskInterventionInfo = z.object({
  task_id: z.string(),
  task_type: z.enum(["oauth_token_monitoring", "platform_insights", "website_analysis", "general"]),
  user_id: z.string(),
  status: z.enum(["pending", "running", "success", "failed", "skipped", "cancelled"]),
  created_at: z.string(), // `str`, '' when unknown
  last_attempt: NullableString,
  failure_count: Int,
  error_message: NullableString,
  next_retry_at: NullableString,
  metadata: JsonObject,
});

/** GET /tasks-needing-intervention/{user_id}, version 2 (tasks.py@7f4a1a7f:25, body at :69). */
export const TasksNeedingInterventionV2 = z.object({
  success: z.literal(true),
  tasks: z.array(TaskInterventionInfo),
  count: Int,
  user_id: z.string(),
  last_updated: IsoDateTime,
});

/** GET /task-intervention/summary/{user_id}, version 2 only (tasks.py@7f4a1a7f:250, body at :303). */
export const TaskInterventionSummaryV2 = z.object({
  user_id: z.string(),
  total_needing_attention: Int,
  by_task_type: z.record(z.string(), Int),
  critical_failures: Int, // failure_count >= 5
  oldest_failure_hours: z.number().nullable(),
  requires_immediate_attention: z.boolean(),
  last_updated: IsoDateTime,
});

/** POST /tasks/{task_type}/{task_id}/manual-trigger, version 1 (scheduler_dashboard.py@3b9356e2:1191, body at :1250). */
export const ManualTriggerV1 = z.object({
  success: z.literal(true),
  message: z.literal("Task triggered successfully"),
  task: z.object({ id: Id, status: TaskStatus, last_check: NullableIso }),
});

/** Optional body of the version-2 manual trigger: `ManualTriggerRequest` (models/shared.py@7f4a1a7f:40). */
export const ManualTriggerRequest = z.object({
  task_type: z.enum(["oauth_token_monitoring", "platform_insights", "website_analysis", "general"]),
  task_id: z.string(),
  user_id: NullableString.optional(),
  force: z.boolean().default(false),
  parameters: JsonObject.default({}), // each key matching a task attribute is copied onto the task
});

/** POST /tasks/{task_type}/{task_id}/manual-trigger, version 2: `ManualTriggerResponse` (models/shared.py@7f4a1a7f:49; tasks.py@7f4a1a7f:84, body at :156). */
export const ManualTriggerV2 = z.object({
  success: z.boolean(),
  task_id: z.string(), // str(task_id)
  execution_id: NullableString, // "manual_{task_type}_{task_id}_{iso}"
  message: z.string(), // "Task triggered successfully"
  estimated_duration_seconds: NullableInt, // 300
});

/** POST /website-analysis/retry/{task_id}, version 1 (scheduler_dashboard.py@3b9356e2:1100, body at :1136); frontend `RetryWebsiteAnalysisResponse` (websiteAnalysisMonitoring.ts@7191c7e7:58). */
export const WebsiteAnalysisRetryV1 = z.object({
  success: z.literal(true),
  message: z.string().regex(/^Website analysis task \S+ scheduled for immediate execution$/),
  task: z.object({ id: Id, website_url: z.string(), status: z.literal("active"), next_check: NullableIso }),
});

/** Optional body of the version-2 retry: `TaskRetryRequest` (models/shared.py@7f4a1a7f:58). */
export const TaskRetryRequest = z.object({
  task_id: z.string(),
  reset_failure_count: z.boolean().default(false),
  force_retry: z.boolean().default(false),
  custom_parameters: JsonObject.default({}), // `next_check` here replaces "now"
});

/** POST /website-analysis/retry/{task_id}, version 2: `TaskRetryResponse` (models/shared.py@7f4a1a7f:66; tasks.py@7f4a1a7f:172, body at :234). */
export const WebsiteAnalysisRetryV2 = z.object({
  success: z.boolean(),
  task_id: z.string(),
  retry_scheduled_at: NullableString, // next_check.isoformat()
  message: z.string().regex(/^Website analysis task \S+ scheduled for retry$/),
  failure_count_reset: z.boolean(),
});

// ───────────────────────────── platform insights ─────────────────────────────

/** One GSC/Bing insights task (scheduler_dashboard.py@3b9356e2:918); frontend `PlatformInsightsTask` (platformInsightsMonitoring.ts@7191c7e7:9). */
export const PlatformInsightsTaskRow = z.object({
  id: Id,
  platform: z.enum(["gsc", "bing"]),
  site_url: NullableString,
  status: TaskStatus,
  last_check: NullableIso,
  last_success: NullableIso,
  last_failure: NullableIso,
  failure_reason: NullableString,
  next_check: NullableIso,
  created_at: NullableIso, // the frontend types it `string` (the column always has a value)
  updated_at: NullableIso,
});

/**
 * GET /platform-insights/status/{user_id}, version 1 (scheduler_dashboard.py@3b9356e2:840, body at :933).
 * Side effect: creates a missing task (site_url null) for each connected gsc/bing platform first.
 * Frontend `PlatformInsightsStatusResponse` (platformInsightsMonitoring.ts@7191c7e7:23).
 */
export const PlatformInsightsStatusV1 = z.object({
  success: z.literal(true),
  user_id: z.string(),
  gsc_tasks: z.array(PlatformInsightsTaskRow),
  bing_tasks: z.array(PlatformInsightsTaskRow),
  total_tasks: Int,
});

/** `PlatformInsightsTask` model (models/platform_insights.py@7f4a1a7f:8) — not what the handler's dicts hold (id, site_url, last_check…). */
export const PlatformInsightsTaskModel = z.object({
  task_id: z.string(),
  user_id: z.string(),
  platform: z.string(),
  property_url: z.string(),
  status: z.string(),
  created_at: IsoDateTime,
  last_run_at: NullableIso,
  next_run_at: NullableIso,
  frequency_hours: Int,
  error_count: Int,
  last_error: NullableString,
  metadata: JsonObject,
});

/**
 * GET /platform-insights/status/{user_id}, version 2: `PlatformInsightsStatusResponse`
 * (models/platform_insights.py@7f4a1a7f:24; platform.py@7f4a1a7f:25, returned at :89). Read-only from
 * 5efab909 on (bd6e0cb6 still created missing tasks). Any task makes the model reject the handler's
 * dicts (500); the original frontend cannot read this shape either (it reads `gsc_tasks`/`bing_tasks`).
 */
export const PlatformInsightsStatusV2 = z.object({
  tasks: z.array(PlatformInsightsTaskModel),
  total_tasks: Int,
  active_tasks: Int,
  paused_tasks: Int,
  failed_tasks: Int,
  last_updated: IsoDateTime,
});

/** One insights execution log (scheduler_dashboard.py@3b9356e2:1304; monitoring.py@latest:265); frontend `PlatformInsightsExecutionLog` (platformInsightsMonitoring.ts@7191c7e7:31). */
export const PlatformInsightsLog = z.object({
  id: Id,
  task_id: Id,
  execution_date: NullableIso,
  status: LogStatus,
  result_data: JsonObject.nullable(),
  error_message: NullableString,
  execution_time_ms: NullableInt,
  data_source: DataSource.nullable(),
  created_at: NullableIso,
});

/**
 * GET /platform-insights/logs/{user_id}. Version 1 (scheduler_dashboard.py@3b9356e2:1266, body at :1317):
 * `total_count` is the number of rows returned (len(logs)), no offset. Version 2 (monitoring.py@latest:217,
 * body at :277): same keys, `total_count` is the full count. Frontend `PlatformInsightsLogsResponse` (:43).
 */
export const PlatformInsightsLogsResponse = z.object({
  success: z.literal(true),
  logs: z.array(PlatformInsightsLog),
  total_count: Int,
});

/** POST /platform-insights/reconcile/{user_id}, version 2 (added after the split: platform.py@7f4a1a7f:105, body at :163). */
export const PlatformInsightsReconcileV2 = z.object({
  success: z.boolean(), // no failures
  user_id: z.string(),
  connected_insights_platforms: z.array(z.enum(["gsc", "bing"])),
  created_platforms: z.array(z.enum(["gsc", "bing"])),
  skipped_platforms: z.array(z.enum(["gsc", "bing"])),
  failures: z.array(z.object({ platform: z.string(), error: z.string() })),
  auditable: z.literal(true),
  reconciled_at: IsoDateTime,
});

// ───────────────────────────── website analysis ─────────────────────────────

/** One website-analysis task (scheduler_dashboard.py@3b9356e2:984); frontend `WebsiteAnalysisTask` (websiteAnalysisMonitoring.ts@7191c7e7:9). */
export const WebsiteAnalysisTaskRow = z.object({
  id: Id,
  website_url: z.string(),
  task_type: z.enum(["user_website", "competitor"]),
  competitor_id: NullableString, // the competitor's domain, null for the user's own site
  status: TaskStatus,
  last_check: NullableIso,
  last_success: NullableIso,
  last_failure: NullableIso,
  failure_reason: NullableString,
  next_check: NullableIso,
  frequency_days: Int, // 30 for the user's site, 10 for competitors (column default 10)
  created_at: NullableIso,
  updated_at: NullableIso,
});

/** GET /website-analysis/status/{user_id}, version 1 (scheduler_dashboard.py@3b9356e2:948, body at :1004); frontend `WebsiteAnalysisStatusResponse` (:25). */
export const WebsiteAnalysisStatusV1 = z.object({
  success: z.literal(true),
  data: z.object({
    user_id: z.string(),
    user_website_tasks: z.array(WebsiteAnalysisTaskRow),
    competitor_tasks: z.array(WebsiteAnalysisTaskRow),
    total_tasks: Int,
    active_tasks: Int, // status == 'active'
    failed_tasks: Int, // status == 'failed' only
  }),
});

/** `WebsiteAnalysisTask` model (models/website_analysis.py@7f4a1a7f:8). */
export const WebsiteAnalysisTaskModel = z.object({
  task_id: z.string(),
  user_id: z.string(),
  website_url: z.string(),
  analysis_type: z.string(),
  status: z.string(),
  created_at: IsoDateTime,
  last_run_at: NullableIso,
  next_run_at: NullableIso,
  frequency_hours: Int,
  error_count: Int,
  last_error: NullableString,
  metadata: JsonObject,
});

/** GET /website-analysis/status/{user_id}, version 2: `WebsiteAnalysisStatusResponse` (models/website_analysis.py@7f4a1a7f:24; platform.py@7f4a1a7f:181). Same 500 caveat as insights. */
export const WebsiteAnalysisStatusV2 = z.object({
  tasks: z.array(WebsiteAnalysisTaskModel),
  total_tasks: Int,
  active_tasks: Int,
  paused_tasks: Int,
  failed_tasks: Int,
  last_updated: IsoDateTime,
});

/** GET /website-analysis/logs/{user_id}, version 1 only (scheduler_dashboard.py@3b9356e2:1023, body at :1085); frontend `WebsiteAnalysisLogsResponse` (:50). */
export const WebsiteAnalysisLogsV1 = z.object({
  logs: z.array(
    z.object({
      id: Id,
      task_id: Id,
      website_url: NullableString, // null when the task row is gone
      task_type: z.enum(["user_website", "competitor"]).nullable(),
      execution_date: NullableIso,
      status: LogStatus,
      result_data: JsonObject.nullable(),
      error_message: NullableString,
      execution_time_ms: NullableInt,
      created_at: NullableIso,
    }),
  ),
  total_count: Int,
  limit: Int,
  offset: Int,
  has_more: z.boolean(),
});

// ───────────────────────────── platform monitoring (version 2 only) ─────────────────────────────

/** GET /platform-monitoring/summary/{user_id} (platform.py@7f4a1a7f:259, body at :321). `failed` counts status == 'failed' only. */
export const PlatformMonitoringSummaryV2 = z.object({
  user_id: z.string(),
  platform_insights: z.object({ total: Int, active: Int, failed: Int, platforms: z.array(z.string()) }),
  website_analysis: z.object({ total: Int, active: Int, failed: Int, user_websites: Int, competitors: Int }),
  overall: z.object({
    total_tasks: Int,
    active_tasks: Int,
    failed_tasks: Int,
    health_score: z.number(), // active/total×100 rounded to 1 decimal; 100 with no tasks
    recent_activity_24h: Int, // tasks whose last_check is within 24 h
  }),
  last_updated: IsoDateTime,
});

/**
 * GET /platform-monitoring/health/{user_id} (platform.py@7f4a1a7f:342, body at :406). Messages:
 * 'No monitoring tasks configured' | '{n} recent failures in the last hour' | 'All {n} monitoring tasks operational'.
 */
export const PlatformMonitoringHealthV2 = z.object({
  user_id: z.string(),
  health_status: z.enum(["not_configured", "degraded", "healthy", "unknown"]),
  health_message: z.string(),
  monitoring_stats: z.object({
    platform_insights_tasks: Int,
    website_analysis_tasks: Int,
    total_tasks: Int,
    recent_failures: Int,
  }),
  last_checked: IsoDateTime,
});

// ───────────────────────────── system endpoints (version 2, no auth) ─────────────────────────────

/** `SchedulerConfig.to_dict()` (config.py@bd6e0cb6:131); version "3.0.0", environment from ENVIRONMENT (default development). */
export const SchedulerApiConfig = z.object({
  environment: z.string(),
  version: z.string(),
  feature_flags: z.object({
    dashboard: z.boolean(),
    monitoring: z.boolean(),
    tasks: z.boolean(),
    platform: z.boolean(),
  }),
  enabled_features: z.array(z.enum(["dashboard", "monitoring", "tasks", "platform"])),
  disabled_features: z.array(z.enum(["dashboard", "monitoring", "tasks", "platform"])),
  total_enabled_endpoints: Int, // 3 + 5 + 4 + 4 of the enabled features (system routes not counted): 16
  is_production: z.boolean(),
  is_development: z.boolean(),
  performance_settings: z.object({
    max_concurrent_requests: Int,
    request_timeout_seconds: Int,
    max_response_size_mb: Int,
  }),
  monitoring_settings: z.object({
    enable_metrics: z.boolean(),
    metrics_retention_days: Int,
    enable_health_checks: z.boolean(),
    health_check_interval_seconds: Int,
  }),
  security_settings: z.object({
    enable_rate_limiting: z.boolean(),
    rate_limit_requests_per_minute: Int,
    enable_cors: z.boolean(),
  }),
});

const FeatureInfo = z.object({ enabled: z.boolean(), endpoints: Int, description: z.string() });

/**
 * GET /status (__init__.py@597390a0:73, body at :88). Feature endpoint counts are fixed: dashboard 3
 * (/dashboard, /jobs, /recent-scheduler-logs), monitoring 5 (/execution-logs, /event-history,
 * /event-logs/stats, /cleanup-event-logs, /platform-insights/logs), tasks 4, platform 4.
 * `scheduler_runtime` was added in 8eb00d9b (bd6e0cb6 had none).
 */
export const SystemStatusV2 = z.object({
  service: z.literal("scheduler_api"),
  version: z.string(),
  environment: z.string(),
  status: z.literal("operational"),
  features: z.object({ dashboard: FeatureInfo, monitoring: FeatureInfo, tasks: FeatureInfo, platform: FeatureInfo }),
  configuration: SchedulerApiConfig,
  total_endpoints: Int,
  enabled_features: z.array(z.string()),
  disabled_features: z.array(z.string()),
  scheduler_runtime: z.object({
    // get_scheduler().get_stats()['leadership'] ({mode, identity, is_leader, execution_enabled, leader_since,
    // lock_key, last_check, last_error}) or, on error, {mode, is_leader: false, execution_enabled: false, error}.
    leadership: z.looseObject({
      mode: z.string().optional(),
      is_leader: z.boolean().optional(),
      execution_enabled: z.boolean().optional(),
    }),
  }),
  architecture: z.literal("modular_routers"),
  refactoring_complete: z.literal(true),
});

const HealthCheck = z.object({
  status: z.enum(["healthy", "unhealthy", "degraded", "standby", "disabled", "partial"]),
  message: z.string(),
  details: JsonObject.optional(), // scheduler_leadership only
});

/**
 * GET /health (__init__.py@597390a0:127, 200 or 503). `timestamp` is `time.time()` (float seconds);
 * overall `healthy` if nothing failed and < 1 s, `degraded` if < 5 s, else `unhealthy` with 503.
 * `scheduler_leadership` was added in 8eb00d9b.
 */
export const SystemHealthV2 = z.object({
  service: z.literal("scheduler_api"),
  version: z.string(),
  environment: z.string(),
  timestamp: z.number(),
  status: z.enum(["healthy", "degraded", "unhealthy"]),
  checks: z.object({
    database: HealthCheck,
    scheduler_leadership: HealthCheck,
    dashboard_router: HealthCheck,
    monitoring_router: HealthCheck,
    tasks_router: HealthCheck,
    platform_router: HealthCheck,
    routing: HealthCheck,
    configuration: HealthCheck,
  }),
  response_time_ms: z.number(),
});

/** GET /health when the check itself raised (503, __init__.py@597390a0:253). */
export const SystemHealthFailureV2 = z.object({
  service: z.literal("scheduler_api"),
  version: z.string(),
  status: z.literal("unhealthy"),
  error: z.string(), // "Health check failed: …"
  timestamp: z.number(),
});

/** GET /metrics (__init__.py@597390a0:265, body at :272): a placeholder. */
export const SystemMetricsV2 = z.object({
  service: z.literal("scheduler_api"),
  version: z.string(),
  metrics_available: z.boolean(),
  note: z.literal("Metrics collection to be implemented in future release"),
  configuration: z.object({
    metrics_enabled: z.boolean(),
    metrics_retention_days: Int,
    performance_logging_enabled: z.boolean(),
  }),
});

// ───────────────────────────── the table ─────────────────────────────

export interface QueryParam {
  type: "int" | "str" | "bool";
  /** The original's default; `undefined` = no default (optional unless `required`). */
  default?: number | string | boolean | null;
  required?: boolean;
  min?: number;
  max?: number;
  /** The `regex=`/`pattern=` of the Query declaration. */
  pattern?: string;
  note?: string;
}

export interface ErrorCase {
  status: number;
  /** Exact `detail` text (a template where `{…}` is substituted); omitted for FastAPI's own 422 list. */
  detail?: string;
  when: string;
}

export interface OriginalEndpoint {
  method: "GET" | "POST";
  /** Under /api/scheduler, with `{param}` placeholders as our ROUTES write them. */
  path: string;
  version: 1 | 2;
  /** FastAPI type of each path parameter (`int` ones answer 422 to a non-integer). */
  pathParams: Readonly<Record<string, "str" | "int">>;
  query: Readonly<Record<string, QueryParam>>;
  /** JSON body schema, if the route takes one (optional bodies included). */
  body: z.ZodType | null;
  response: z.ZodType;
  /** `user`: Clerk session required (401 otherwise); `none`: public. */
  auth: "user" | "none";
  errors: readonly ErrorCase[];
  /** `path@commit:line` in AJaySi/ALwrity. */
  source: string;
  notes?: readonly string[];
}

const V1 = "backend/api/scheduler_dashboard.py@3b9356e2";
const FE1 = "frontend/src/api/schedulerDashboard.ts@03a374ce";
const B_DASH = "backend/api/scheduler/dashboard.py@7f4a1a7f";
const B_MON = "backend/api/scheduler/monitoring.py@latest";
const B_TASKS = "backend/api/scheduler/tasks.py@7f4a1a7f";
const B_PLAT = "backend/api/scheduler/platform.py@7f4a1a7f";
const B_INIT = "backend/api/scheduler/__init__.py@597390a0";

const OWNER_V1: ErrorCase = { status: 403, detail: "Access denied", when: "the path user_id is not the caller's id" };
const OWNER_V2: ErrorCase = {
  status: 403,
  detail: "Access denied: You can only access your own resources",
  when: "the path user_id is not the caller's id (validators.validate_user_access)",
};
const NO_ID_V2: ErrorCase = {
  status: 401,
  detail: "Authenticated user required",
  when: "the token carries no sub/user_id/id/clerk_user_id",
};
const QUERY_422: ErrorCase = {
  status: 422,
  when: "a query value outside its declared bounds/pattern (FastAPI list detail)",
};
const INT_PATH_422: ErrorCase = { status: 422, when: "a non-integer task_id path segment (FastAPI list detail)" };
const PAGE = {
  limit50of500: { type: "int", default: 50, min: 1, max: 500 },
  offset: { type: "int", default: 0, min: 0 },
} as const satisfies Record<string, QueryParam>;

export const ORIGINAL_ENDPOINTS: readonly OriginalEndpoint[] = [
  // ─────────────── version 1: backend/api/scheduler_dashboard.py (14) ───────────────
  {
    method: "GET",
    path: "/dashboard",
    version: 1,
    pathParams: {},
    query: {},
    body: null,
    response: DashboardV1,
    auth: "user",
    errors: [{ status: 500, detail: "Failed to get scheduler dashboard: {error}", when: "any exception" }],
    source: `${V1}:83`,
    notes: [
      "Writes the cumulative-stats row when it disagrees with the check_cycle event count (a GET with a side effect).",
      "OAuth jobs are not filtered by user (every user's active OAuth tasks are listed); website and insights jobs are.",
      "e404a865 additionally lists deep_website_crawl tasks (status active|retry) as CronTrigger jobs with task_category 'deep_website_crawl'.",
    ],
  },
  {
    method: "GET",
    path: "/execution-logs",
    version: 1,
    pathParams: {},
    query: {
      limit: PAGE.limit50of500,
      offset: PAGE.offset,
      status: { type: "str", pattern: "^(success|failed|running|skipped)$" },
    },
    body: null,
    response: ExecutionLogsV1,
    auth: "user",
    errors: [QUERY_422, { status: 500, detail: "Failed to get execution logs: {error}", when: "any exception" }],
    source: `${V1}:408`,
    notes: [
      "Only task_execution_logs joined to monitoring_tasks (content-strategy monitoring), newest execution_date first, no user filter.",
    ],
  },
  {
    method: "GET",
    path: "/jobs",
    version: 1,
    pathParams: {},
    query: {},
    body: null,
    response: JobsV1,
    auth: "user",
    errors: [{ status: 500, detail: "Failed to get scheduler jobs: {error}", when: "any exception" }],
    source: `${V1}:584`,
    notes: ["In-memory APScheduler jobs only (no DB-backed tasks). The UI does not call it."],
  },
  {
    method: "GET",
    path: "/event-history",
    version: 1,
    pathParams: {},
    query: {
      limit: { type: "int", default: 100, min: 1, max: 1000 },
      offset: PAGE.offset,
      event_type: {
        type: "str",
        pattern: "^(check_cycle|interval_adjustment|start|stop|job_scheduled|job_cancelled|job_completed|job_failed)$",
      },
    },
    body: null,
    response: EventHistoryV1,
    auth: "user",
    errors: [
      QUERY_422,
      { status: 500, detail: "Failed to get scheduler event history: {error}", when: "any exception" },
    ],
    source: `${V1}:651`,
    notes: ["No `days` parameter (the frontend sends days; ignored) and no user filter; newest event_date first."],
  },
  {
    method: "GET",
    path: "/recent-scheduler-logs",
    version: 1,
    pathParams: {},
    query: {},
    body: null,
    response: RecentSchedulerLogsV1,
    auth: "user",
    errors: [{ status: 500, detail: "Failed to get recent scheduler logs: {error}", when: "any exception" }],
    source: `${V1}:731`,
    notes: ["Latest 5 events of type job_scheduled|job_completed|job_failed, no user filter."],
  },
  {
    method: "GET",
    path: "/platform-insights/status/{user_id}",
    version: 1,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: PlatformInsightsStatusV1,
    auth: "user",
    errors: [
      OWNER_V1,
      { status: 500, detail: "Failed to get platform insights status: {error}", when: "any other exception" },
    ],
    source: `${V1}:840`,
    notes: ["Creates a missing insights task (site_url null) for each connected gsc/bing platform before answering."],
  },
  {
    method: "GET",
    path: "/platform-insights/logs/{user_id}",
    version: 1,
    pathParams: { user_id: "str" },
    query: { task_id: { type: "int" }, limit: { type: "int", default: 10, min: 1, max: 100 } },
    body: null,
    response: PlatformInsightsLogsResponse,
    auth: "user",
    errors: [
      OWNER_V1,
      QUERY_422,
      { status: 500, detail: "Failed to get platform insights logs: {error}", when: "any other exception" },
    ],
    source: `${V1}:1266`,
    notes: ["No offset; total_count = number of rows returned."],
  },
  {
    method: "GET",
    path: "/website-analysis/status/{user_id}",
    version: 1,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: WebsiteAnalysisStatusV1,
    auth: "user",
    errors: [
      OWNER_V1,
      { status: 500, detail: "Failed to get website analysis status: {error}", when: "any other exception" },
    ],
    source: `${V1}:948`,
  },
  {
    method: "GET",
    path: "/website-analysis/logs/{user_id}",
    version: 1,
    pathParams: { user_id: "str" },
    query: { task_id: { type: "int" }, limit: { type: "int", default: 10, min: 1, max: 100 }, offset: PAGE.offset },
    body: null,
    response: WebsiteAnalysisLogsV1,
    auth: "user",
    errors: [
      OWNER_V1,
      QUERY_422,
      { status: 500, detail: "Failed to get website analysis logs: {error}", when: "any other exception" },
    ],
    source: `${V1}:1023`,
    notes: [
      "Called by the original frontend (websiteAnalysisMonitoring.ts@7191c7e7 getWebsiteAnalysisLogs, the Website Analysis tab's expandable logs); version 2 dropped the route.",
    ],
  },
  {
    method: "POST",
    path: "/website-analysis/retry/{task_id}",
    version: 1,
    pathParams: { task_id: "int" },
    query: {},
    body: null,
    response: WebsiteAnalysisRetryV1,
    auth: "user",
    errors: [
      INT_PATH_422,
      { status: 404, detail: "Task not found", when: "no website-analysis task with that id" },
      { status: 403, detail: "Access denied", when: "the task is another user's" },
      { status: 500, detail: "Failed to retry website analysis: {error}", when: "any other exception" },
    ],
    source: `${V1}:1100`,
    notes: [
      "Sets status 'active', failure_reason null, next_check now, updated_at now; runs in the next check cycle (no immediate run).",
    ],
  },
  {
    method: "GET",
    path: "/tasks-needing-intervention/{user_id}",
    version: 1,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: TasksNeedingInterventionV1,
    auth: "user",
    errors: [
      OWNER_V1,
      { status: 500, detail: "Failed to get tasks needing intervention: {error}", when: "any other exception" },
    ],
    source: `${V1}:1154`,
    notes: [
      "Tasks with status 'needs_intervention' for which a failure pattern exists (services/scheduler/core/failure_detection_service.py get_tasks_needing_intervention).",
    ],
  },
  {
    method: "POST",
    path: "/tasks/{task_type}/{task_id}/manual-trigger",
    version: 1,
    pathParams: { task_type: "str", task_id: "int" },
    query: {},
    body: null,
    response: ManualTriggerV1,
    auth: "user",
    errors: [
      INT_PATH_422,
      {
        status: 400,
        detail: "Unknown task type: {task_type}",
        when: "task_type not in oauth_token_monitoring | website_analysis | gsc_insights | bing_insights",
      },
      {
        status: 404,
        detail: "Task not found",
        when: "no task with that id in the type's table (gsc_insights and bing_insights share one table)",
      },
      { status: 403, detail: "Access denied", when: "the task is another user's" },
      { status: 500, detail: "Failed to trigger task: {error}", when: "any other exception" },
    ],
    source: `${V1}:1191`,
    notes: [
      "Sets status 'active', consecutive_failures 0, failure_pattern null, then runs the executor inside the request (bypassing the cool-off gate).",
    ],
  },
  {
    method: "POST",
    path: "/cleanup-event-logs",
    version: 1,
    pathParams: {},
    query: {
      days_to_keep: {
        type: "int",
        default: 90,
        min: 7,
        max: 365,
        note: "retention; events with created_at older than now - days are deleted",
      },
    },
    body: null,
    response: EventLogCleanupV1,
    auth: "user",
    errors: [QUERY_422],
    source: `${FE1}:388`,
    notes: [
      "Backend handler not stored; shape from the v1 client (EventLogCleanupResult at :355) and reference §1.2 (C): deletes at once, no user filter, no admin check.",
      "The client sends `POST /api/scheduler/cleanup-event-logs?days_to_keep=90` with a null body.",
    ],
  },
  {
    method: "GET",
    path: "/event-logs/stats",
    version: 1,
    pathParams: {},
    query: {},
    body: null,
    response: EventLogStatsV1,
    auth: "user",
    errors: [],
    source: `${FE1}:407`,
    notes: ["Backend handler not stored; shape from the v1 client (EventLogStats at :367) and reference §1.2 (C)."],
  },

  // ─────────────── version 2: backend/api/scheduler/ (16 + 4 system + 2 later) ───────────────
  // dashboard router (3)
  {
    method: "GET",
    path: "/dashboard",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: DashboardV2,
    auth: "user",
    errors: [
      {
        status: 500,
        detail: "Failed to get scheduler dashboard: {error}",
        when: "any exception, including the JobInfo validation error any job causes",
      },
    ],
    source: `${B_DASH}:29`,
    notes: [
      "get_stats(user_id=caller): tenant-scoped session stats; other users' APScheduler jobs hidden (check_due_tasks always shown); all three DB task kinds filtered by user.",
      "Read-only: the cumulative row is validated against the event count but not saved (7f4a1a7f); dc517594 still saved it.",
      "Keep DashboardV1's job shapes: the original frontend reads them, and this model cannot hold them.",
    ],
  },
  {
    method: "GET",
    path: "/jobs",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: JobsV2,
    auth: "user",
    errors: [{ status: 500, detail: "Failed to get scheduler jobs: {error}", when: "any exception" }],
    source: `${B_DASH}:157`,
  },
  {
    method: "GET",
    path: "/recent-scheduler-logs",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: RecentSchedulerLogsV2,
    auth: "user",
    errors: [{ status: 500, detail: "Failed to get recent scheduler logs: {error}", when: "any exception" }],
    source: `${B_DASH}:225`,
  },
  // monitoring router (5)
  {
    method: "GET",
    path: "/execution-logs",
    version: 2,
    pathParams: {},
    query: {
      limit: PAGE.limit50of500,
      offset: PAGE.offset,
      status: { type: "str", pattern: "^(success|failed|running|skipped)$" },
    },
    body: null,
    response: ExecutionLogsV2,
    auth: "user",
    errors: [QUERY_422, { status: 500, detail: "Failed to get execution logs: {error}", when: "any exception" }],
    source: `${B_MON}:27`,
    notes: [
      "Filters task_execution_logs.user_id == caller (aggregations.py@4c0faa7a:28); the reference says the final B compares user_id_str or CAST(user_id).",
    ],
  },
  {
    method: "GET",
    path: "/event-history",
    version: 2,
    pathParams: {},
    query: {
      limit: PAGE.limit50of500,
      offset: PAGE.offset,
      event_type: {
        type: "str",
        note: "passed to aggregate_event_history (aggregations.py@4c0faa7a:77); not declared in the stored monitoring.py",
      },
      days: {
        type: "int",
        min: 1,
        max: 90,
        note: "no default: no date filter and no date_filter key when absent (reference §1.2 B: 1–90); not declared in the stored monitoring.py",
      },
    },
    body: null,
    response: EventHistoryV2,
    auth: "user",
    errors: [QUERY_422, { status: 500, detail: "Failed to get event history: {error}", when: "any exception" }],
    source: `${B_MON}:70`,
    notes: [
      "Filters event.user_id == caller, which hides system events (user_id NULL: check cycles, start/stop, interval adjustments).",
    ],
  },
  {
    method: "GET",
    path: "/event-logs/stats",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: EventLogStatsV2,
    auth: "user",
    errors: [{ status: 500, detail: "Failed to get event log statistics: {error}", when: "any exception" }],
    source: `${B_MON}:110`,
  },
  {
    method: "POST",
    path: "/cleanup-event-logs",
    version: 2,
    pathParams: {},
    query: {
      older_than_days: { type: "int", min: 1, max: 365 },
      days_to_keep: { type: "int", min: 1, max: 365, note: "legacy alias, used when older_than_days is absent" },
      dry_run: { type: "bool", default: true },
    },
    body: null,
    response: EventLogCleanupV2,
    auth: "user",
    errors: [
      QUERY_422,
      {
        status: 500,
        detail: "Failed to cleanup event logs: 422: Either older_than_days or days_to_keep is required",
        when: "neither parameter given (the 422 HTTPException is raised inside try and re-wrapped by `except Exception`)",
      },
    ],
    source: `${B_MON}:138`,
    notes: [
      "Deletes only the caller's events (user_id == caller); bd6e0cb6 required older_than_days and had no days_to_keep.",
    ],
  },
  {
    method: "GET",
    path: "/platform-insights/logs/{user_id}",
    version: 2,
    pathParams: { user_id: "str" },
    query: {
      limit: { type: "int", default: 50, min: 1, max: 100 },
      offset: PAGE.offset,
      task_id: { type: "int", min: 1 },
    },
    body: null,
    response: PlatformInsightsLogsResponse,
    auth: "user",
    errors: [
      NO_ID_V2,
      OWNER_V2,
      QUERY_422,
      { status: 500, detail: "Failed to get platform insights logs: {error}", when: "any other exception" },
    ],
    source: `${B_MON}:217`,
    notes: [
      "bd6e0cb6 answered {logs:[{…executed_at, data_retrieved, records_found…}], pagination, user_id, last_updated} on columns that do not exist; the stored latest restored the v1 keys with a real total_count.",
    ],
  },
  // tasks router (4)
  {
    method: "GET",
    path: "/tasks-needing-intervention/{user_id}",
    version: 2,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: TasksNeedingInterventionV2,
    auth: "user",
    errors: [
      NO_ID_V2,
      OWNER_V2,
      {
        status: 500,
        detail: "Failed to get tasks needing intervention: {error}",
        when: "any other exception, including the TaskInterventionInfo validation error any task causes",
      },
    ],
    source: `${B_TASKS}:25`,
    notes: ["The original frontend reads TasksNeedingInterventionV1's items; keep those."],
  },
  {
    method: "POST",
    path: "/tasks/{task_type}/{task_id}/manual-trigger",
    version: 2,
    pathParams: { task_type: "str", task_id: "int" },
    query: {},
    body: ManualTriggerRequest.nullable(),
    response: ManualTriggerV2,
    auth: "user",
    errors: [
      INT_PATH_422,
      { status: 422, when: "a body is sent without task_type/task_id (ManualTriggerRequest requires both)" },
      {
        status: 400,
        detail: "Unknown task type: {task_type}",
        when: "task_type not in oauth_token_monitoring | website_analysis | gsc_insights | bing_insights",
      },
      { status: 404, detail: "Task not found", when: "no task with that id in the type's table" },
      { status: 403, detail: "Access denied: You can only trigger your own tasks", when: "the task is another user's" },
      { status: 500, detail: "Failed to trigger task: {error}", when: "any other exception (rolled back)" },
    ],
    source: `${B_TASKS}:84`,
  },
  {
    method: "POST",
    path: "/website-analysis/retry/{task_id}",
    version: 2,
    pathParams: { task_id: "int" },
    query: {},
    body: TaskRetryRequest.nullable(),
    response: WebsiteAnalysisRetryV2,
    auth: "user",
    errors: [
      INT_PATH_422,
      { status: 422, when: "a body is sent without task_id (TaskRetryRequest requires it)" },
      { status: 404, detail: "Website analysis task not found", when: "no website-analysis task with that id" },
      { status: 403, detail: "Access denied: You can only retry your own tasks", when: "the task is another user's" },
      {
        status: 500,
        detail: "Failed to retry website analysis task: {error}",
        when: "any other exception (rolled back)",
      },
    ],
    source: `${B_TASKS}:172`,
    notes: [
      "Counters and failure_pattern reset only with reset_failure_count; failure_reason always cleared; custom_parameters.next_check replaces now.",
    ],
  },
  {
    method: "GET",
    path: "/task-intervention/summary/{user_id}",
    version: 2,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: TaskInterventionSummaryV2,
    auth: "user",
    errors: [
      NO_ID_V2,
      OWNER_V2,
      { status: 500, detail: "Failed to get task intervention summary: {error}", when: "any other exception" },
    ],
    source: `${B_TASKS}:250`,
    notes: [
      "Reads failure_count/created_at keys the detection dicts do not have: critical_failures is always 0 and oldest_failure_hours null in the original.",
    ],
  },
  // platform router (4)
  {
    method: "GET",
    path: "/platform-insights/status/{user_id}",
    version: 2,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: PlatformInsightsStatusV2,
    auth: "user",
    errors: [
      NO_ID_V2,
      OWNER_V2,
      {
        status: 500,
        detail: "Failed to get platform insights status: {error}",
        when: "any other exception, including the model validation error any task causes",
      },
    ],
    source: `${B_PLAT}:25`,
    notes: [
      "The original frontend reads PlatformInsightsStatusV1; keep that shape (reference: B's shape breaks the UI).",
    ],
  },
  {
    method: "GET",
    path: "/website-analysis/status/{user_id}",
    version: 2,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: WebsiteAnalysisStatusV2,
    auth: "user",
    errors: [
      NO_ID_V2,
      OWNER_V2,
      {
        status: 500,
        detail: "Failed to get website analysis status: {error}",
        when: "any other exception, including the model validation error any task causes",
      },
    ],
    source: `${B_PLAT}:181`,
    notes: ["The original frontend reads WebsiteAnalysisStatusV1 (`data.user_website_tasks`…); keep that shape."],
  },
  {
    method: "GET",
    path: "/platform-monitoring/summary/{user_id}",
    version: 2,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: PlatformMonitoringSummaryV2,
    auth: "user",
    errors: [
      NO_ID_V2,
      OWNER_V2,
      { status: 500, detail: "Failed to get platform monitoring summary: {error}", when: "any other exception" },
    ],
    source: `${B_PLAT}:259`,
  },
  {
    method: "GET",
    path: "/platform-monitoring/health/{user_id}",
    version: 2,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: PlatformMonitoringHealthV2,
    auth: "user",
    errors: [
      NO_ID_V2,
      OWNER_V2,
      { status: 500, detail: "Failed to get platform monitoring health: {error}", when: "any other exception" },
    ],
    source: `${B_PLAT}:342`,
    notes: ["degraded when any insights/website task has last_failure within the last hour."],
  },
  // system endpoints (4, __init__.py, no auth)
  {
    method: "GET",
    path: "/status",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: SystemStatusV2,
    auth: "none",
    errors: [],
    source: `${B_INIT}:73`,
  },
  {
    method: "GET",
    path: "/health",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: z.union([SystemHealthV2, SystemHealthFailureV2]),
    auth: "none",
    errors: [
      {
        status: 503,
        when: "overall status unhealthy (body SystemHealthV2), or the check raised (body SystemHealthFailureV2)",
      },
    ],
    source: `${B_INIT}:127`,
  },
  {
    method: "GET",
    path: "/metrics",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: SystemMetricsV2,
    auth: "none",
    errors: [],
    source: `${B_INIT}:265`,
  },
  {
    method: "GET",
    path: "/config",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: SchedulerApiConfig,
    auth: "none",
    errors: [],
    source: `${B_INIT}:285`,
  },
  // added after the 16 + 4 (5efab909 "read-only GETs and reconcile")
  {
    method: "POST",
    path: "/dashboard/cumulative-stats/reconcile",
    version: 2,
    pathParams: {},
    query: {},
    body: null,
    response: CumulativeStatsReconcileV2,
    auth: "user",
    errors: [
      { status: 500, detail: "Failed to persist cumulative stats: {error}", when: "the upsert of row id=1 fails" },
      { status: 500, detail: "Failed to reconcile cumulative stats: {error}", when: "any other exception" },
    ],
    source: `${B_DASH}:118`,
    notes: ["Not one of the 16 + 4; no admin check in the original."],
  },
  {
    method: "POST",
    path: "/platform-insights/reconcile/{user_id}",
    version: 2,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: PlatformInsightsReconcileV2,
    auth: "user",
    errors: [
      NO_ID_V2,
      OWNER_V2,
      { status: 500, detail: "Failed to reconcile platform insights tasks: {error}", when: "any other exception" },
    ],
    source: `${B_PLAT}:105`,
    notes: ["Not one of the 16 + 4: the explicit replacement of version 1's create-on-GET."],
  },
];

// ───────────────────────────── /api/oauth-tokens (not under /api/scheduler) ─────────────────────────────

const OAuthTaskSummary = z.object({
  id: Id.nullable(),
  status: z.string(),
  last_check: NullableIso,
  last_success: NullableIso,
  last_failure: NullableIso,
  failure_reason: NullableString,
  next_check: NullableIso,
});

/**
 * `backend/api/oauth_token_monitoring_routes.py@d99c7c83` (prefix `/api/oauth-tokens`, every route
 * owner-only with 403 "Access denied"): the OAuth Token Status tab of the original dashboard calls
 * these. Paths are relative to `/api/oauth-tokens`; same fields as ORIGINAL_ENDPOINTS.
 */
export const ORIGINAL_OAUTH_TOKEN_ENDPOINTS: readonly (OriginalEndpoint & { base: "/api/oauth-tokens" })[] = [
  {
    base: "/api/oauth-tokens",
    method: "GET",
    path: "/status/{user_id}",
    version: 1,
    pathParams: { user_id: "str" },
    query: {},
    body: null,
    response: z.object({
      success: z.literal(true),
      data: z.object({
        user_id: z.string(),
        platform_status: z.object({
          gsc: z.object({ connected: z.boolean(), monitoring_task: OAuthTaskSummary.nullable() }),
          bing: z.object({ connected: z.boolean(), monitoring_task: OAuthTaskSummary.nullable() }),
          wordpress: z.object({ connected: z.boolean(), monitoring_task: OAuthTaskSummary.nullable() }),
          wix: z.object({ connected: z.boolean(), monitoring_task: OAuthTaskSummary.nullable() }),
        }),
        connected_platforms: z.array(z.string()),
      }),
    }),
    auth: "user",
    errors: [OWNER_V1, { status: 500, detail: "Failed to get token status: {error}", when: "any other exception" }],
    source: "backend/api/oauth_token_monitoring_routes.py@d99c7c83:21",
  },
  {
    base: "/api/oauth-tokens",
    method: "POST",
    path: "/refresh/{user_id}/{platform}",
    version: 1,
    pathParams: { user_id: "str", platform: "str" },
    query: {},
    body: null,
    response: z.object({
      success: z.boolean(),
      message: z.enum(["Token refresh completed", "Token refresh failed"]),
      data: z.object({
        platform: z.enum(["gsc", "bing", "wordpress", "wix"]),
        status: z.string(),
        last_check: NullableIso,
        last_success: NullableIso,
        last_failure: NullableIso,
        failure_reason: NullableString,
        next_check: NullableIso,
        execution_result: z.object({
          success: z.boolean(),
          error_message: NullableString,
          execution_time_ms: NullableInt,
          result_data: JsonObject.nullable(),
        }),
      }),
    }),
    auth: "user",
    errors: [
      OWNER_V1,
      { status: 400, detail: "Invalid platform. Must be one of: gsc, bing, wordpress, wix", when: "unknown platform" },
      { status: 500, detail: "Failed to refresh token: {error}", when: "any other exception" },
    ],
    source: "backend/api/oauth_token_monitoring_routes.py@d99c7c83:manual_refresh_token",
    notes: ["Creates the task when missing (active, next_check now) and runs the OAuth executor inside the request."],
  },
  {
    base: "/api/oauth-tokens",
    method: "GET",
    path: "/execution-logs/{user_id}",
    version: 1,
    pathParams: { user_id: "str" },
    query: { platform: { type: "str" }, limit: { type: "int", default: 50, min: 1, max: 100 }, offset: PAGE.offset },
    body: null,
    response: z.object({
      success: z.literal(true),
      data: z.object({
        logs: z.array(
          z.object({
            id: Id,
            task_id: Id,
            platform: z.string(),
            execution_date: IsoDateTime,
            status: LogStatus,
            result_data: JsonObject.nullable(),
            error_message: NullableString,
            execution_time_ms: NullableInt,
            created_at: IsoDateTime,
          }),
        ),
        total_count: Int,
        limit: Int,
        offset: Int,
      }),
    }),
    auth: "user",
    errors: [
      OWNER_V1,
      QUERY_422,
      { status: 500, detail: "Failed to get execution logs: {error}", when: "any other exception" },
    ],
    source: "backend/api/oauth_token_monitoring_routes.py@d99c7c83:get_execution_logs",
  },
  {
    base: "/api/oauth-tokens",
    method: "POST",
    path: "/create-tasks/{user_id}",
    version: 1,
    pathParams: { user_id: "str" },
    query: {},
    body: z.array(z.string()).nullable(), // `platforms: Optional[List[str]] = None`, read from the body; auto-detected when absent
    response: z.object({
      success: z.literal(true),
      message: z.string(), // "Created {n} monitoring task(s)"
      data: z.object({
        tasks_created: Int,
        tasks: z.array(z.object({ id: Id, platform: z.string(), status: z.string(), next_check: NullableIso })),
      }),
    }),
    auth: "user",
    errors: [
      OWNER_V1,
      { status: 500, detail: "Failed to create monitoring tasks: {error}", when: "any other exception" },
    ],
    source: "backend/api/oauth_token_monitoring_routes.py@d99c7c83:create_monitoring_tasks",
  },
];

/** The endpoints of one version (a path may appear in both, with different shapes). */
export function originalEndpoints(version: 1 | 2): readonly OriginalEndpoint[] {
  return ORIGINAL_ENDPOINTS.filter((e) => e.version === version);
}

/** The original's answer to `method path` when the path exists only with other methods (405), or not at all (404). */
export function originalWrongMethod(
  version: 1 | 2,
  method: string,
  path: string,
): typeof METHOD_NOT_ALLOWED | typeof NOT_FOUND | null {
  const routes = originalEndpoints(version);
  const same = (pattern: string) => {
    const want = pattern.split("/").filter(Boolean);
    const got = path.split("/").filter(Boolean);
    return want.length === got.length && want.every((w, i) => w.startsWith("{") || w === got[i]);
  };
  const matching = routes.filter((r) => same(r.path));
  if (matching.length === 0) return NOT_FOUND;
  return matching.some((r) => r.method === method) ? null : METHOD_NOT_ALLOWED;
}
