import { ALL_TASK_TYPES, typesIn, VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { TASK_RUNTIME } from "@/server/scheduler/task-kinds";
import { features, type Feature } from "@/server/config/env";
import { z } from "zod";
import type { TaskType } from "@/generated/sqlite/enums";
import type { Db, DbEngine } from "@/server/db";
import type { Env } from "@/server/config/env";
import type { SchedulerEngine } from "@/server/scheduler/engine";
import { getOverview, listJobs, recentSchedulerLogs } from "@/server/services/dashboard";
import { cleanupEventLogs, eventLogStats } from "@/server/services/logs";
import {
  insightsStatus,
  monitoringSummary,
  platformHealth,
  websiteAnalysisStatus,
} from "@/server/services/platform-status";
import { ownedBy, type Scope } from "@/server/services/scope";
import { ConflictError, NotFoundError } from "@/server/errors";
import { effectiveConfig, metricsJson, systemHealth, systemStatus } from "@/server/services/system";
import { interventionSummary, manualTrigger, needingIntervention, retryTask } from "@/server/services/tasks";
import { findSessionUser } from "@/server/services/users";
import { mutationLimiter, takeMutationPoint } from "@/server/rate-limit";

/**
 * The original REST API (`/api/scheduler/*`), kept as a facade over the same services as the tRPC
 * API, answering in the original's JSON shapes (snake_case, its envelopes and query parameters):
 * version A's where the original frontend depended on them, B's for routes only B had. Errors are
 * `{detail}` as the original's; a `{user_id}` that is not the caller's is 404, never 403.
 */

export type { Feature };

export interface FacadeContext {
  db: Db;
  engine: DbEngine;
  env: Env;
  scheduler: SchedulerEngine | null;
  scope: Scope | null;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface FacadeRoute {
  method: "GET" | "POST";
  path: string; // with {param} placeholders
  summary: string;
  /** null: always served. */
  feature: Feature | null;
  access: "public" | "user" | "admin";
  query?: Record<string, string>; // name → description, for the OpenAPI document
  handle: (ctx: FacadeContext & { scope: Scope }) => Promise<unknown> | unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const lower = (v: string | null | undefined) => (v ? v.toLowerCase() : (v ?? null));
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Query parameters validated like the original's (422 with a detail on a bad value). */
function parseQuery<T extends z.ZodRawShape>(query: URLSearchParams, shape: T): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(Object.fromEntries(query.entries()));
  if (!result.success)
    throw new HttpError(422, result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return result.data;
}

function ownUser(ctx: { scope: Scope; params: Record<string, string> }) {
  // Another user's id is as unknown as a missing one: ids must not be enumerable.
  if (ctx.params.user_id !== ctx.scope.userId) throw new HttpError(404, "Not found");
}

/** The contract's names of the task types people see, from the task-kind catalogue. */
const TASK_TYPES_LOWER: Record<string, TaskType> = Object.fromEntries(
  VISIBLE_TASK_TYPES.map((type) => [TASK_RUNTIME[type].rest.type, type]),
);

const EXECUTOR_NAMES = Object.fromEntries(
  ALL_TASK_TYPES.map((type) => [type, TASK_RUNTIME[type].rest.functionName]),
) as Record<TaskType, string>;

function frequencyText(minutes: number) {
  if (minutes === 7 * 24 * 60) return "Weekly";
  if (minutes % (24 * 60) === 0) return `Every ${minutes / (24 * 60)} days`;
  if (minutes % 60 === 0) return `Every ${minutes / 60}h`;
  return `Every ${minutes} minutes`;
}

function jobId(job: {
  id: string;
  type: TaskType;
  target: string | null;
  userId: string | null;
  websiteRole: string | null;
}) {
  const uid = job.userId ?? "system";
  switch (job.type) {
    case "OAUTH_TOKEN_MONITORING":
      return `oauth_token_monitoring_${lower(job.target)}_${uid}`;
    case "GSC_INSIGHTS":
    case "BING_INSIGHTS":
      return `platform_insights_${lower(job.target)}_${uid}`;
    default:
      return `website_analysis_${job.websiteRole === "COMPETITOR" ? "competitor" : "user_website"}_${uid}_${job.id}`;
  }
}

async function allJobs(ctx: FacadeContext & { scope: Scope }) {
  const jobs = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listJobs>> = await listJobs(ctx.db, ctx.scope, {
      sort: "nextRunAt",
      order: "asc",
      limit: 200,
      cursor,
    });
    jobs.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && jobs.length < 5000);
  return jobs;
}

function logRow(l: {
  id: number;
  taskId: string;
  userId: string | null;
  taskType: TaskType;
  status: string;
  startedAt: Date;
  durationMs: number | null;
  errorMessage: string | null;
  result: unknown;
  finishedAt: Date | null;
  dataSource?: string | null;
}) {
  return {
    id: l.id,
    task_id: l.taskId,
    user_id: l.userId,
    execution_date: iso(l.startedAt),
    status: lower(l.status),
    error_message: l.errorMessage,
    execution_time_ms: l.durationMs,
    result_data: l.result ?? null,
    created_at: iso(l.startedAt),
  };
}

function taskRow(t: {
  id: string;
  status: string;
  lastRunAt?: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  failureReason: string | null;
  nextRunAt: Date | null;
}) {
  return {
    id: t.id,
    status: lower(t.status),
    last_check: iso(t.lastRunAt ?? null),
    last_success: iso(t.lastSuccessAt),
    last_failure: iso(t.lastFailureAt),
    failure_reason: t.failureReason,
    next_check: iso(t.nextRunAt),
  };
}

const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

export const ROUTES: FacadeRoute[] = [
  {
    method: "GET",
    path: "/dashboard",
    summary: "Scheduler statistics (session and cumulative) and the caller's jobs",
    feature: "dashboard",
    access: "user",
    handle: async (ctx) => {
      const [overview, jobs] = await Promise.all([getOverview(ctx.db, ctx.scope, 1, ctx.scheduler), allJobs(ctx)]);
      // Admins get the scheduler's system-wide figures; a user gets their own runs (no check cycles).
      const system = overview.system;
      const session = system?.session;
      const c = system?.cumulative;
      const mine = overview.runs;
      return {
        stats: {
          total_checks: session?.cycles ?? 0,
          tasks_found: session?.found ?? 0,
          tasks_executed: system ? (session?.executed ?? 0) : (mine.session?.executed ?? 0),
          tasks_failed: system ? (session?.failed ?? 0) : (mine.session?.failed ?? 0),
          tasks_skipped: session?.skipped ?? 0,
          active_executions: system?.activeRuns ?? 0,
          running: overview.scheduler.running,
          check_interval_minutes: (system?.checkIntervalMs ?? 1000) / 60_000,
          last_check: iso(system?.lastCycleAt ?? null),
          last_update: iso(overview.lastUpdated),
          intelligent_scheduling: true,
          registered_types: Object.keys(TASK_TYPES_LOWER),
          cumulative_total_check_cycles: c?.totalCheckCycles ?? 0,
          cumulative_tasks_found: c?.tasksFound ?? 0,
          cumulative_tasks_executed: c?.tasksExecuted ?? mine.allTime.executed,
          cumulative_tasks_failed: c?.tasksFailed ?? mine.allTime.failed,
        },
        jobs: jobs.map((j) => ({
          id: jobId(j),
          trigger_type: j.trigger === "one-time" ? "DateTrigger" : "IntervalTrigger",
          next_run_time: iso(j.nextRunAt),
          user_id: j.userId,
          job_store: "default",
          user_job_store: j.userId ? `user_${j.userId}` : "default",
          is_database_task: true,
          task_id: j.id,
          function_name: EXECUTOR_NAMES[j.type],
          frequency: frequencyText(j.frequencyMinutes),
          status: lower(j.status),
          ...(j.type === "WEBSITE_ANALYSIS"
            ? {
                website_url: j.target,
                task_type: j.websiteRole === "COMPETITOR" ? "competitor" : "user_website",
                task_category: "website_analysis",
              }
            : { platform: lower(j.target) }),
          ...(j.type === "GSC_INSIGHTS" || j.type === "BING_INSIGHTS" ? { task_category: "platform_insights" } : {}),
        })),
        job_count: jobs.length,
        recurring_jobs: overview.jobs.recurring,
        one_time_jobs: overview.jobs.oneTime,
        registered_task_types: Object.keys(TASK_TYPES_LOWER),
        user_isolation: { enabled: true, current_user_id: ctx.scope.userId },
        last_updated: iso(overview.lastUpdated),
      };
    },
  },
  {
    method: "GET",
    path: "/jobs",
    summary: "The caller's scheduled jobs",
    feature: "dashboard",
    access: "user",
    handle: async (ctx) => {
      const jobs = await allJobs(ctx);
      return {
        jobs: jobs.map((j) => ({
          id: jobId(j),
          name: `${lower(j.type)}:${j.target ?? ""}`,
          trigger_type: j.trigger === "one-time" ? "DateTrigger" : "IntervalTrigger",
          next_run_time: iso(j.nextRunAt),
          is_paused: j.paused,
          is_database_task: true,
          task_type: lower(j.type),
          task_id: j.id,
          user_id: j.userId,
        })),
        total_count: jobs.length,
        last_updated: new Date().toISOString(),
      };
    },
  },
  {
    method: "GET",
    path: "/execution-logs",
    summary: "Execution logs of the caller's tasks, newest first",
    feature: "monitoring",
    access: "user",
    query: {
      limit: "1–500, default 50",
      offset: "≥ 0",
      status: "success | failed | running | skipped | timed_out | interrupted",
    },
    handle: async (ctx) => {
      const q = parseQuery(ctx.query, {
        ...page,
        status: z.enum(["success", "failed", "running", "skipped", "timed_out", "interrupted"]).optional(),
      });
      const where = { ...ownedBy(ctx.scope), ...(q.status ? { status: q.status.toUpperCase() as "SUCCESS" } : {}) };
      const [logs, total] = await Promise.all([
        ctx.db.executionLog.findMany({
          where,
          orderBy: { id: "desc" },
          skip: q.offset,
          take: q.limit,
          include: {
            task: { select: { id: true, type: true, websiteUrl: true, platform: true, frequencyMinutes: true } },
          },
        }),
        ctx.db.executionLog.count({ where }),
      ]);
      return {
        logs: logs.map((l) => ({
          ...logRow(l),
          task: {
            id: l.task.id,
            task_title: `${lower(l.task.type)} ${l.task.websiteUrl ?? lower(l.task.platform) ?? ""}`.trim(),
            component_name: lower(l.task.type),
            metric: l.dataSource ?? null,
            frequency: frequencyText(l.task.frequencyMinutes),
          },
        })),
        total_count: total,
        limit: q.limit,
        offset: q.offset,
        has_more: q.offset + q.limit < total,
        is_scheduler_logs: false,
      };
    },
  },
  {
    method: "GET",
    path: "/event-history",
    summary: "Scheduler events of the caller's tasks (an admin: every event, the system's included)",
    feature: "monitoring",
    access: "user",
    query: {
      limit: "1–500, default 50",
      offset: "≥ 0",
      event_type: "check_cycle | start | stop | job_completed | …",
      days: "1–90",
    },
    handle: async (ctx) => {
      const q = parseQuery(ctx.query, {
        ...page,
        event_type: z
          .string()
          .regex(/^[a-z_]+$/)
          .optional(),
        days: z.coerce.number().int().min(1).max(90).default(7),
      });
      const since = new Date(Date.now() - q.days * 86_400_000);
      const where = {
        ...(ctx.scope.role === "ADMIN" ? {} : { userId: ctx.scope.userId }),
        occurredAt: { gte: since },
        ...(q.event_type ? { type: q.event_type.toUpperCase() as "CHECK_CYCLE" } : {}),
      };
      const [events, total] = await Promise.all([
        ctx.db.schedulerEvent.findMany({ where, orderBy: { id: "desc" }, skip: q.offset, take: q.limit }),
        ctx.db.schedulerEvent.count({ where }),
      ]);
      const full = ctx.scope.role === "ADMIN";
      return {
        events: events.map((e) => {
          const summarised = !full && e.userId === null;
          return {
            id: e.id,
            event_type: lower(e.type),
            event_date: iso(e.occurredAt),
            check_cycle_number: e.cycleNumber,
            check_interval_minutes: e.checkIntervalMs === null ? null : e.checkIntervalMs / 60_000,
            previous_interval_minutes: e.previousIntervalMs === null ? null : e.previousIntervalMs / 60_000,
            new_interval_minutes: e.newIntervalMs === null ? null : e.newIntervalMs / 60_000,
            tasks_found: summarised ? null : e.tasksFound,
            tasks_executed: summarised ? null : e.tasksExecuted,
            tasks_failed: summarised ? null : e.tasksFailed,
            tasks_by_type: summarised ? null : e.tasksByType,
            check_duration_seconds: e.durationMs === null ? null : e.durationMs / 1000,
            active_strategies_count: 0,
            active_executions: summarised ? null : e.activeExecutions,
            job_id: e.taskId,
            job_type: lower(e.jobKind),
            user_id: e.userId,
            event_data: summarised ? null : e.data,
            error_message: summarised ? null : e.errorMessage,
            created_at: iso(e.occurredAt),
          };
        }),
        total_count: total,
        limit: q.limit,
        offset: q.offset,
        has_more: q.offset + q.limit < total,
        date_filter: { days: q.days, cutoff_date: iso(since), showing_events_since: iso(since) },
      };
    },
  },
  {
    method: "GET",
    path: "/recent-scheduler-logs",
    summary: "The latest 5 job events of the caller, as log rows",
    feature: "monitoring",
    access: "user",
    handle: async (ctx) => {
      const events = await recentSchedulerLogs(ctx.db, ctx.scope, 5);
      const status = {
        JOB_COMPLETED: "success",
        JOB_FAILED: "failed",
        JOB_SCHEDULED: "running",
        JOB_CANCELLED: "failed",
      } as const;
      return {
        logs: events.map((e) => ({
          id: `scheduler_event_${e.id}`,
          task_id: e.taskId,
          execution_date: iso(e.occurredAt),
          status: status[e.type as keyof typeof status],
          error_message: e.errorMessage,
          execution_time_ms: e.durationMs,
          result_data: null,
          created_at: iso(e.occurredAt),
          task: {
            id: null,
            task_title: `${lower(e.type)!
              .replace(/_/g, " ")
              .replace(/\b\w/g, (c) => c.toUpperCase())}: ${e.taskId ?? "N/A"}`,
            component_name: "Scheduler",
            metric: e.taskType ? EXECUTOR_NAMES[e.taskType] : "unknown",
            frequency: "one-time",
          },
          is_scheduler_log: true,
          event_type: lower(e.type),
          job_id: e.taskId,
        })),
        total_count: events.length,
        limit: 5,
        offset: 0,
        has_more: false,
        is_scheduler_logs: true,
      };
    },
  },
  {
    method: "GET",
    path: "/event-logs/stats",
    summary: "Event log statistics",
    feature: "monitoring",
    access: "user",
    handle: async (ctx) => {
      const stats = await eventLogStats(ctx.db, ctx.scope);
      const cycles = await ctx.db.schedulerEvent.aggregate({
        where: { type: "CHECK_CYCLE", ...(ctx.scope.role === "ADMIN" ? {} : { userId: null }) },
        _sum: { tasksFound: true, tasksExecuted: true, tasksFailed: true, tasksSkipped: true },
      });
      return {
        total_events: stats.total,
        events_by_type: Object.fromEntries(Object.entries(stats.byType).map(([k, v]) => [k.toLowerCase(), v])),
        oldest_event: iso(stats.oldest),
        newest_event: iso(stats.newest),
        average_duration_seconds: stats.averageCycleDurationMs === null ? null : stats.averageCycleDurationMs / 1000,
        total_tasks_found: cycles._sum.tasksFound ?? 0,
        total_tasks_executed: cycles._sum.tasksExecuted ?? 0,
        total_tasks_failed: cycles._sum.tasksFailed ?? 0,
        total_tasks_skipped: cycles._sum.tasksSkipped ?? 0,
        retention_policy: {
          recommended_days: stats.retentionPolicy.recommendedDays,
          minimum_days: stats.retentionPolicy.minimumDays,
          maximum_days: stats.retentionPolicy.maximumDays,
        },
        age_distribution: {
          last_24h: stats.ageDistribution.last24h,
          last_7d: stats.ageDistribution.last7d,
          last_30d: stats.ageDistribution.last30d,
          last_90d: stats.ageDistribution.last90d,
          older_than_90d: stats.ageDistribution.olderThan90d,
          older_than_180d: stats.ageDistribution.olderThan180d,
        },
      };
    },
  },
  {
    method: "POST",
    path: "/cleanup-event-logs",
    summary: "Admin: delete scheduler events older than N days (dry run by default)",
    feature: "monitoring",
    access: "admin",
    query: { older_than_days: "7–365 (or the legacy days_to_keep)", dry_run: "true (default) | false" },
    handle: async (ctx) => {
      const source = new URLSearchParams(ctx.query);
      for (const [k, v] of Object.entries((ctx.body ?? {}) as Record<string, unknown>))
        if (v !== undefined && v !== null) source.set(k, String(v));
      const q = parseQuery(source, {
        older_than_days: z.coerce.number().int().min(7).max(365).optional(),
        days_to_keep: z.coerce.number().int().min(7).max(365).optional(),
        dry_run: z.enum(["true", "false"]).default("true"),
      });
      const days = q.older_than_days ?? q.days_to_keep;
      if (days === undefined) throw new HttpError(422, "older_than_days: required (7–365)");
      const result = await cleanupEventLogs(ctx.db, ctx.scope, { olderThanDays: days, dryRun: q.dry_run === "true" });
      return {
        deleted_count: result.deleted,
        would_delete_count: result.wouldDelete,
        oldest_kept_event: iso(result.oldestKept),
        dry_run: result.dryRun,
      };
    },
  },
  {
    method: "GET",
    path: "/tasks-needing-intervention/{user_id}",
    summary: "The caller's tasks that need intervention, with their failure pattern",
    feature: "tasks",
    access: "user",
    handle: async (ctx) => {
      ownUser(ctx);
      const tasks = await needingIntervention(ctx.db, ctx.scope);
      return {
        success: true,
        tasks: tasks.map((t) => {
          const p = (t.failurePattern ?? {}) as {
            consecutive?: number;
            recent?: number;
            errorPatterns?: { pattern: string }[];
            lastFailureAt?: string;
          };
          return {
            task_id: t.id,
            task_type: lower(t.type),
            user_id: t.userId,
            ...(t.type === "WEBSITE_ANALYSIS" ? { website_url: t.websiteUrl } : { platform: lower(t.platform) }),
            status: lower(t.status),
            failure_pattern: {
              consecutive_failures: p.consecutive ?? t.consecutiveFailures,
              recent_failures: p.recent ?? t.consecutiveFailures,
              failure_reason: lower(t.failureCategory) ?? "unknown",
              last_failure_time: p.lastFailureAt ?? iso(t.lastFailureAt),
              error_patterns: (p.errorPatterns ?? []).slice(0, 3).map((e) => e.pattern),
            },
            failure_reason: t.failureReason,
            last_failure: iso(t.lastFailureAt),
            cool_off_until: iso(t.coolOffUntil),
            suggested_action: t.suggestedAction,
          };
        }),
        count: tasks.length,
      };
    },
  },
  {
    method: "GET",
    path: "/task-intervention/summary/{user_id}",
    summary: "Summary of the caller's tasks needing attention",
    feature: "tasks",
    access: "user",
    handle: async (ctx) => {
      ownUser(ctx);
      const s = await interventionSummary(ctx.db, ctx.scope);
      return {
        user_id: ctx.scope.userId,
        total_needing_attention: s.total,
        by_task_type: Object.fromEntries(Object.entries(s.byType).map(([k, v]) => [k.toLowerCase(), v])),
        critical_failures: s.critical,
        oldest_failure_hours:
          s.oldestFailureAgeMs === null ? null : Math.round((s.oldestFailureAgeMs / 3_600_000) * 10) / 10,
        requires_immediate_attention: s.requiresImmediateAttention,
        last_updated: new Date().toISOString(),
      };
    },
  },
  {
    method: "POST",
    path: "/tasks/{task_type}/{task_id}/manual-trigger",
    summary: "Run one of the caller's tasks now (even when cooled off)",
    feature: "tasks",
    access: "user",
    handle: async (ctx) => {
      const type = TASK_TYPES_LOWER[ctx.params.task_type ?? ""];
      if (!type) throw new HttpError(400, "Unknown task type");
      const task = await ctx.db.task.findFirst({
        where: { id: ctx.params.task_id, ...ownedBy(ctx.scope) },
        select: { type: true },
      });
      if (!task || task.type !== type) throw new HttpError(404, "Task not found"); // the type is the task's, not the client's
      const result = await manualTrigger(ctx.db, ctx.scope, { taskId: ctx.params.task_id! }, ctx.scheduler);
      const row = await ctx.db.task.findUniqueOrThrow({
        where: { id: ctx.params.task_id },
        select: { id: true, status: true, lastRunAt: true },
      });
      return {
        success: true,
        message: result.queued ? "Task triggered successfully" : "Task is already running or queued",
        task: { id: row.id, status: lower(row.status), last_check: iso(row.lastRunAt) },
        execution_log_id: result.executionLogId,
      };
    },
  },
  {
    method: "POST",
    path: "/website-analysis/retry/{task_id}",
    summary: "Make a failed website-analysis task due now",
    feature: "tasks",
    access: "user",
    handle: async (ctx) => {
      const body = (ctx.body ?? {}) as { reset_failure_count?: boolean };
      const task = await ctx.db.task.findFirst({
        where: { id: ctx.params.task_id, ...ownedBy(ctx.scope), type: "WEBSITE_ANALYSIS" },
        select: { id: true },
      });
      if (!task) throw new HttpError(404, "Task not found");
      await retryTask(
        ctx.db,
        ctx.scope,
        { taskId: task.id, resetFailures: body.reset_failure_count === true },
        ctx.scheduler,
      );
      const row = await ctx.db.task.findUniqueOrThrow({
        where: { id: task.id },
        select: { id: true, websiteUrl: true, status: true, nextRunAt: true },
      });
      return {
        success: true,
        message: `Website analysis for ${row.websiteUrl} scheduled for immediate execution`,
        task: { id: row.id, website_url: row.websiteUrl, status: lower(row.status), next_check: iso(row.nextRunAt) },
        failure_count_reset: body.reset_failure_count === true,
      };
    },
  },
  {
    method: "GET",
    path: "/platform-insights/status/{user_id}",
    summary: "The caller's Search Console and Bing insights tasks (read-only: creates nothing)",
    feature: "platform",
    access: "user",
    handle: async (ctx) => {
      ownUser(ctx);
      const tasks = await insightsStatus(ctx.db, ctx.scope);
      const row = (t: (typeof tasks)[number]) => ({
        ...taskRow(t),
        platform: lower(t.platform),
        site_url: t.latestSnapshot?.siteUrl ?? t.connection?.selectedSiteUrl ?? null,
        created_at: null,
        updated_at: null,
      });
      return {
        success: true,
        user_id: ctx.scope.userId,
        gsc_tasks: tasks.filter((t) => t.type === "GSC_INSIGHTS").map(row),
        bing_tasks: tasks.filter((t) => t.type === "BING_INSIGHTS").map(row),
        total_tasks: tasks.length,
      };
    },
  },
  {
    method: "GET",
    path: "/platform-insights/logs/{user_id}",
    summary: "Execution logs of the caller's insights tasks",
    feature: "platform",
    access: "user",
    query: { task_id: "optional", limit: "1–100, default 10", offset: "≥ 0" },
    handle: async (ctx) => {
      ownUser(ctx);
      const q = parseQuery(ctx.query, {
        task_id: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(10),
        offset: page.offset,
      });
      const where = {
        ...ownedBy(ctx.scope),
        taskType: { in: typesIn("insights") },
        ...(q.task_id ? { taskId: q.task_id } : {}),
      };
      const [logs, total] = await Promise.all([
        ctx.db.executionLog.findMany({ where, orderBy: { id: "desc" }, skip: q.offset, take: q.limit }),
        ctx.db.executionLog.count({ where }),
      ]);
      return {
        success: true,
        logs: logs.map((l) => ({ ...logRow(l), data_source: l.dataSource })),
        total_count: total,
      };
    },
  },
  {
    method: "GET",
    path: "/website-analysis/status/{user_id}",
    summary: "The caller's website and competitor analysis tasks",
    feature: "platform",
    access: "user",
    handle: async (ctx) => {
      ownUser(ctx);
      const status = await websiteAnalysisStatus(ctx.db, ctx.scope);
      const all = [...status.own, ...status.competitors];
      const row = (t: (typeof all)[number]) => {
        return {
          ...taskRow(t),
          website_url: t.websiteUrl,
          task_type: t.websiteRole === "COMPETITOR" ? "competitor" : "user_website",
          competitor_id: t.websiteRole === "COMPETITOR" ? t.id : null,
          frequency_days: null as number | null,
          created_at: null,
          updated_at: null,
        };
      };
      return {
        success: true,
        data: {
          user_id: ctx.scope.userId,
          user_website_tasks: status.own.map(row),
          competitor_tasks: status.competitors.map(row),
          total_tasks: all.length,
          active_tasks: all.filter((t) => t.status === "ACTIVE").length,
          failed_tasks: all.filter((t) => t.status === "FAILED" || t.status === "NEEDS_INTERVENTION").length,
        },
      };
    },
  },
  {
    method: "GET",
    path: "/platform-monitoring/summary/{user_id}",
    summary: "Totals, active, failed and health score of the caller's monitoring",
    feature: "platform",
    access: "user",
    handle: async (ctx) => {
      ownUser(ctx);
      const [summary, insights, sites] = await Promise.all([
        monitoringSummary(ctx.db, ctx.scope),
        insightsStatus(ctx.db, ctx.scope),
        websiteAnalysisStatus(ctx.db, ctx.scope),
      ]);
      const failed = (s: string) => s === "FAILED" || s === "NEEDS_INTERVENTION";
      const sitesAll = [...sites.own, ...sites.competitors];
      return {
        platform_insights: {
          total: insights.length,
          active: insights.filter((t) => t.status === "ACTIVE").length,
          failed: insights.filter((t) => failed(t.status)).length,
          platforms: [...new Set(insights.map((t) => lower(t.platform)))],
        },
        website_analysis: {
          total: sitesAll.length,
          active: sitesAll.filter((t) => t.status === "ACTIVE").length,
          failed: sitesAll.filter((t) => failed(t.status)).length,
          user_websites: sites.own.length,
          competitors: sites.competitors.length,
        },
        overall: {
          total_tasks: summary.totalTasks,
          active_tasks: summary.active,
          failed_tasks: summary.failed,
          health_score: summary.healthScore,
          recent_activity_24h: summary.last24h.runs,
        },
      };
    },
  },
  {
    method: "GET",
    path: "/platform-monitoring/health/{user_id}",
    summary: "not_configured / healthy / degraded, with the reason",
    feature: "platform",
    access: "user",
    handle: async (ctx) => {
      ownUser(ctx);
      const [health, summary, insights, sites] = await Promise.all([
        platformHealth(ctx.db, ctx.scope),
        monitoringSummary(ctx.db, ctx.scope),
        insightsStatus(ctx.db, ctx.scope),
        websiteAnalysisStatus(ctx.db, ctx.scope),
      ]);
      return {
        health_status: health.status,
        health_message: health.reasons.length ? health.reasons.join("; ") : "All monitoring tasks are healthy",
        monitoring_stats: {
          platform_insights_tasks: insights.length,
          website_analysis_tasks: sites.own.length + sites.competitors.length,
          total_tasks: summary.totalTasks,
          recent_failures: summary.last24h.failed,
        },
        last_checked: new Date().toISOString(),
      };
    },
  },
  {
    method: "GET",
    path: "/status",
    summary: "Public: the service, its version and features",
    feature: null,
    access: "public",
    handle: (ctx) => {
      const s = systemStatus(ctx.env, ctx.engine, ctx.scheduler);
      const counts = routeCounts();
      const features = Object.fromEntries(
        (Object.keys(s.features) as Feature[]).map((f) => [
          f,
          { enabled: s.features[f], endpoints: counts[f], description: FEATURE_DESCRIPTIONS[f] },
        ]),
      );
      return {
        service: "scheduler_api",
        version: s.version,
        environment: s.environment,
        status: "operational",
        features,
        total_endpoints: ROUTES.length,
        enabled_features: (Object.keys(s.features) as Feature[]).filter((f) => s.features[f]),
        disabled_features: (Object.keys(s.features) as Feature[]).filter((f) => !s.features[f]),
        scheduler_runtime: { mode: s.engineMode, database: s.database },
        architecture: "modular_routers",
      };
    },
  },
  {
    method: "GET",
    path: "/health",
    summary: "Public: database, scheduler heartbeat and routers (503 when unhealthy)",
    feature: null,
    access: "public",
    handle: async (ctx) => {
      const started = Date.now();
      const h = await systemHealth(ctx.db, ctx.env, ctx.scheduler);
      const status = h.status === "ok" ? "healthy" : h.status === "degraded" ? "degraded" : "unhealthy";
      const body = {
        service: "scheduler_api",
        version: systemStatus(ctx.env, ctx.engine, ctx.scheduler).version,
        environment: ctx.env.NODE_ENV,
        timestamp: Math.floor(Date.now() / 1000),
        status,
        checks: Object.fromEntries(
          Object.entries(h.checks).map(([k, v]) => [
            k.replace("router:", ""),
            {
              status:
                v.status === "ok"
                  ? "healthy"
                  : v.status === "off"
                    ? "disabled"
                    : v.status === "down"
                      ? "unhealthy"
                      : "degraded",
              ...(v.detail ? { message: v.detail } : {}),
              ...(v.latencyMs !== undefined ? { response_time_ms: v.latencyMs } : {}),
            },
          ]),
        ),
        response_time_ms: Date.now() - started,
      };
      if (status === "unhealthy") throw Object.assign(new HttpError(503, "unhealthy"), { body });
      return body;
    },
  },
  {
    method: "GET",
    path: "/config",
    summary: "Admin: the effective configuration, secrets redacted",
    feature: null,
    access: "admin",
    handle: (ctx) => {
      const s = systemStatus(ctx.env, ctx.engine, ctx.scheduler);
      const features = Object.entries(s.features);
      return {
        environment: ctx.env.NODE_ENV,
        version: s.version,
        feature_flags: s.features,
        enabled_features: features.filter(([, on]) => on).map(([f]) => f),
        disabled_features: features.filter(([, on]) => !on).map(([f]) => f),
        total_enabled_endpoints: ROUTES.filter((r) => r.feature === null || s.features[r.feature]).length,
        is_production: ctx.env.NODE_ENV === "production",
        is_development: ctx.env.NODE_ENV === "development",
        settings: effectiveConfig(ctx.env),
      };
    },
  },
  {
    method: "GET",
    path: "/metrics",
    summary: "Public: the Prometheus metrics as JSON (text format at /api/metrics)",
    feature: null,
    access: "public",
    handle: async (ctx) => ({ metrics: await metricsJson(ctx.db), prometheus_endpoint: "/api/metrics" }),
  },
];

const FEATURE_DESCRIPTIONS: Record<Feature, string> = {
  dashboard: "Scheduler statistics and jobs",
  monitoring: "Execution logs and scheduler events",
  tasks: "Intervention, manual trigger and retry",
  platform: "Platform insights, website analysis and monitoring health",
};

function routeCounts(): Record<Feature, number> {
  const counts: Record<Feature, number> = { dashboard: 0, monitoring: 0, tasks: 0, platform: 0 };
  for (const r of ROUTES) if (r.feature) counts[r.feature]++;
  return counts;
}

function match(route: FacadeRoute, method: string, path: string): Record<string, string> | null {
  if (route.method !== method) return null;
  const want = route.path.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith("{")) params[w.slice(1, -1)] = decodeURIComponent(got[i]!);
    else if (w !== got[i]) return null;
  }
  return params;
}

export interface FacadeDeps {
  db: Db;
  engine: DbEngine;
  env: Env;
  scheduler: SchedulerEngine | null;
  /** The signed-in user's id from the session cookie, if any. */
  sessionUserId: () => Promise<string | null>;
  /** The user of a Bearer API token, if valid. */
  tokenUserId: (token: string) => Promise<string | null>;
}

const json = (status: number, body: unknown) => Response.json(body, { status });

/** Whether the request's Origin (or Referer) is this site, as the client reached it (through a proxy too). */
function sameSite(request: Request): boolean {
  const source = request.headers.get("origin") ?? request.headers.get("referer");
  if (!source || source === "null") return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}

/** Serves one facade request: route, authenticate (Bearer token or session cookie), authorise, answer. */
export async function handleFacade(request: Request, subPath: string, deps: FacadeDeps): Promise<Response> {
  const enabled = features(deps.env);
  let route: FacadeRoute | undefined;
  let params: Record<string, string> = {};
  for (const candidate of ROUTES) {
    if (candidate.feature && !enabled[candidate.feature]) continue; // a switched-off feature is not mounted
    const found = match(candidate, request.method, subPath);
    if (found) {
      route = candidate;
      params = found;
      break;
    }
  }
  if (!route) return json(404, { detail: "Not Found" });

  let scope: Scope | null = null;
  const authorization = request.headers.get("authorization");
  const userId = authorization?.toLowerCase().startsWith("bearer ")
    ? await deps.tokenUserId(authorization.slice(7).trim())
    : await deps.sessionUserId();
  if (userId) {
    const user = await findSessionUser(deps.db, userId);
    if (user) scope = { userId: user.id, role: user.role };
  }
  if (route.access !== "public" && !scope)
    return json(401, { detail: authorization ? "Invalid or revoked API token" : "Not authenticated" });
  // A POST carried by the session cookie must come from this site: browsers send Origin (or at least
  // Referer) with a POST, so another site cannot make a signed-in browser trigger work. API tokens are
  // never attached by a browser on its own, so token requests need no such check.
  if (request.method === "POST" && scope && !authorization && !sameSite(request))
    return json(403, { detail: "Cross-site request refused" });
  if (route.access === "admin" && scope?.role !== "ADMIN") return json(403, { detail: "Administrators only" });
  if (request.method === "POST" && scope?.role === "VIEWER" && route.access !== "public")
    return json(403, { detail: "Your account is read-only" });

  if (request.method === "POST" && scope) {
    const wait = await takeMutationPoint(mutationLimiter(), scope.userId);
    if (wait !== null)
      return Response.json(
        { detail: `Too many requests: try again in ${wait} s` },
        { status: 429, headers: { "retry-after": String(wait) } },
      );
  }
  let body: unknown = undefined;
  if (request.method === "POST") {
    const text = await request.text();
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return json(422, { detail: "The request body is not valid JSON" });
      }
    }
  }
  try {
    const result = await route.handle({
      db: deps.db,
      engine: deps.engine,
      env: deps.env,
      scheduler: deps.scheduler,
      scope: scope!,
      params,
      query: new URL(request.url).searchParams,
      body,
    });
    return json(200, result);
  } catch (error) {
    if (error instanceof HttpError)
      return json(error.status, (error as HttpError & { body?: unknown }).body ?? { detail: error.message });
    if (error instanceof NotFoundError) return json(404, { detail: error.message });
    if (error instanceof ConflictError) return json(409, { detail: error.message });
    if (error instanceof z.ZodError)
      return json(422, { detail: error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    throw error;
  }
}
