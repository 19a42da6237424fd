import { z } from "zod";
import { EVENT_TYPE_VALUES, EXECUTION_STATUS_VALUES, RETENTION_POLICY } from "@/lib/validation/monitoring";
import {
  boolParam,
  collectPages,
  intParam,
  intParamOr,
  ownUserPath,
  paramsOf,
  parseQuery,
  type RestRequest,
  type RestRoute,
} from "../http";
import { executionLog, insightsLog, iso, schedulerEvent, websiteLog } from "../serializers";

/** The original's event types (its `event_type` pattern): what the event history lists unless asked for one of ours. */
const ORIGINAL_EVENT_TYPES = [
  "CHECK_CYCLE",
  "INTERVAL_ADJUSTMENT",
  "START",
  "STOP",
  "JOB_SCHEDULED",
  "JOB_CANCELLED",
  "JOB_COMPLETED",
  "JOB_FAILED",
] as const satisfies readonly (typeof EVENT_TYPE_VALUES)[number][];

const lowerValues = <T extends string>(values: readonly T[]) => values.map((v) => v.toLowerCase() as Lowercase<T>);
const EVENT_TYPES = lowerValues(EVENT_TYPE_VALUES) as [
  Lowercase<(typeof EVENT_TYPE_VALUES)[number]>,
  ...Lowercase<(typeof EVENT_TYPE_VALUES)[number]>[],
];
const LOG_STATUSES = lowerValues(EXECUTION_STATUS_VALUES) as [
  Lowercase<(typeof EXECUTION_STATUS_VALUES)[number]>,
  ...Lowercase<(typeof EXECUTION_STATUS_VALUES)[number]>[],
];

const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { error: `Input should be ${values.map((v) => `'${v}'`).join(", ")}` });

const taskIdParam = z.string().min(1).max(64, "String should have at most 64 characters").optional();
const DAYS_MESSAGE = `Keep at least ${RETENTION_POLICY.minimumDays} days of events (and at most ${RETENTION_POLICY.maximumDays})`;
const retentionDays = z.coerce
  .number({ error: "Input should be a valid integer" })
  .int("Input should be a valid integer")
  .min(RETENTION_POLICY.minimumDays, DAYS_MESSAGE)
  .max(RETENTION_POLICY.maximumDays, DAYS_MESSAGE)
  .optional();

/** The query of both feature-log paths (insights, website analysis) and the page it asks their procedure for. */
const FEATURE_LOG_QUERY = {
  task_id: "optional: one task's logs",
  limit: "1–100, default 10",
  offset: "≥ 0, default 0",
};
async function featureLogPage<T>(
  req: RestRequest,
  load: (input: { taskId?: string; limit: number; offset: number; withTotal: true }) => Promise<T>,
) {
  await ownUserPath(req, "query");
  const q = parseQuery(req.query, {
    task_id: taskIdParam,
    limit: intParamOr(1, 100, 10),
    offset: intParamOr(0, 1_000_000, 0),
  });
  return { q, page: await load({ taskId: q.task_id, limit: q.limit, offset: q.offset, withTotal: true }) };
}

export const monitoringRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/execution-logs",
    summary: "Execution logs of the caller's tasks (an admin: everyone's), newest first",
    description:
      "Every task type's runs (the original listed content-strategy monitoring runs only). `status` is one of the original's four; a timed-out or interrupted run is `failed` there and precise in `execution_status`. `total_count` counts up to 10,000 (`total_count_capped` then).",
    feature: "monitoring",
    access: "user",
    procedures: ["monitoring.executionLogs"],
    query: {
      limit: "1–500, default 50",
      offset: "≥ 0, default 0",
      status: "success | failed | running | skipped (| timed_out | interrupted)",
    },
    handle: async (req) => {
      const q = parseQuery(req.query, {
        limit: intParamOr(1, 500, 50),
        offset: intParamOr(0, 1_000_000, 0),
        status: oneOf(LOG_STATUSES).optional(),
      });
      const status = q.status ? (q.status.toUpperCase() as (typeof EXECUTION_STATUS_VALUES)[number]) : undefined;
      const { first, items, hasMore } = await collectPages(q.limit, q.offset, (page) =>
        req.caller.monitoring.executionLogs({
          status,
          limit: page.limit,
          cursor: page.cursor,
          offset: page.offset,
          withResult: true,
        }),
      );
      return {
        logs: items.map(executionLog),
        total_count: first.count?.total ?? q.offset + items.length,
        total_count_capped: first.count?.capped ?? false,
        limit: q.limit,
        offset: q.offset,
        has_more: hasMore,
        is_scheduler_logs: false as const,
      };
    },
  },
  {
    method: "GET",
    path: "/event-history",
    summary: "Scheduler events of the caller's tasks (an admin: every event, the system's included), newest first",
    description:
      "Without `event_type`, the original's eight event types; ours (lease_recovered, task_cooled_off, task_released, retention_cleanup) are listed when asked for by name. Without `days`, the last 90 days (the default retention) and no `date_filter`.",
    feature: "monitoring",
    access: "user",
    procedures: ["monitoring.eventHistory"],
    query: {
      limit: "1–1000, default 50",
      offset: "≥ 0, default 0",
      event_type: EVENT_TYPES.join(" | "),
      days: "1–90 (default: 90, without date_filter)",
    },
    handle: async (req) => {
      const q = parseQuery(req.query, {
        limit: intParamOr(1, 1000, 50),
        offset: intParamOr(0, 1_000_000, 0),
        event_type: oneOf(EVENT_TYPES).optional(),
        days: intParam(1, 90).optional(),
      });
      const types = q.event_type
        ? [q.event_type.toUpperCase() as (typeof EVENT_TYPE_VALUES)[number]]
        : [...ORIGINAL_EVENT_TYPES];
      const days = q.days ?? 90;
      const { first, items, hasMore } = await collectPages(q.limit, q.offset, (page) =>
        req.caller.monitoring.eventHistory({
          types,
          days,
          limit: page.limit,
          cursor: page.cursor,
          offset: page.offset,
          withTotal: page.first,
        }),
      );
      const cutoff = iso(new Date(req.now.getTime() - days * 86_400_000))!;
      return {
        events: items.map(schedulerEvent),
        total_count: first.total ?? q.offset + items.length,
        limit: q.limit,
        offset: q.offset,
        has_more: hasMore,
        ...(q.days === undefined ? {} : { date_filter: { days, cutoff_date: cutoff, showing_events_since: cutoff } }),
      };
    },
  },
  {
    method: "GET",
    path: "/event-logs/stats",
    summary: "Totals, types, age distribution and retention policy of the caller's events",
    feature: "monitoring",
    access: "user",
    procedures: ["monitoring.eventLogStats"],
    handle: async (req) => {
      const s = await req.caller.monitoring.eventLogStats();
      const byType = Object.fromEntries(Object.entries(s.byType).map(([k, v]) => [k.toLowerCase(), v]));
      return {
        total_records: s.total,
        retention_policy: {
          recommended_days: s.retentionPolicy.recommendedDays,
          minimum_days: s.retentionPolicy.minimumDays,
          maximum_days: s.retentionPolicy.maximumDays,
        },
        age_distribution: {
          last_24h: s.ageDistribution.last24h,
          last_7d: s.ageDistribution.last7d,
          last_30d: s.ageDistribution.last30d,
          last_90d: s.ageDistribution.last90d,
          older_than_90d: s.ageDistribution.olderThan90d,
          older_than_180d: s.ageDistribution.olderThan180d,
        },
        event_type_distribution: byType,
        total_events: s.total,
        events_by_type: byType,
        oldest_event: iso(s.oldest),
        newest_event: iso(s.newest),
        average_duration_seconds: s.averageCycleDurationMs === null ? null : s.averageCycleDurationMs / 1000,
        total_tasks_found: s.cycleTotals.found,
        total_tasks_executed: s.cycleTotals.executed,
        total_tasks_failed: s.cycleTotals.failed,
        total_tasks_skipped: s.cycleTotals.skipped,
      };
    },
  },
  {
    method: "POST",
    path: "/cleanup-event-logs",
    summary: "Admin: delete scheduler events older than N days (default 90)",
    description:
      "`days_to_keep` (the original's first version: deletes at once) or `older_than_days` (its second: a dry run unless dry_run=false), in the query or the JSON body; 90 days when neither is given. Fewer than 7 days is refused (422). The cumulative counters are never touched. Administrators only (the original let any user delete every event).",
    feature: "monitoring",
    access: "admin",
    procedures: ["monitoring.cleanupEventLogs"],
    query: {
      days_to_keep: "7–365, default 90 (deletes unless dry_run=true)",
      older_than_days: "7–365 (a dry run unless dry_run=false)",
      dry_run: "true | false",
    },
    handle: async (req) => {
      const q = parseQuery(paramsOf(req), {
        days_to_keep: retentionDays,
        older_than_days: retentionDays,
        dry_run: boolParam.optional(),
      });
      const days = q.older_than_days ?? q.days_to_keep ?? RETENTION_POLICY.recommendedDays;
      // Each version's default: the second version's parameter previews, the first version's deletes.
      const dryRun = q.dry_run ?? q.older_than_days !== undefined;
      const r = await req.caller.monitoring.cleanupEventLogs({ olderThanDays: days, dryRun });
      return {
        success: true,
        message: r.dryRun
          ? `Dry run: ${r.wouldDelete} events older than ${days} days would be deleted`
          : `Deleted ${r.deleted} events older than ${days} days`,
        statistics: {
          total_before_cleanup: r.totalBefore,
          deleted_count: r.deleted,
          total_after_cleanup: r.totalAfter,
          retention_days: days,
          cutoff_date: r.cutoff.toISOString(),
        },
        deleted_count: r.deleted,
        would_delete_count: r.wouldDelete,
        oldest_kept_event: iso(r.oldestKept),
        dry_run: r.dryRun,
      };
    },
  },
  {
    method: "GET",
    path: "/platform-insights/logs/{user_id}",
    summary: "Execution logs of the caller's Search Console and Bing insights tasks",
    description: "`total_count` is the number of matching logs (the original's first version sent the page's size).",
    feature: "monitoring",
    access: "user",
    procedures: ["monitoring.platformInsightsLogs"],
    query: FEATURE_LOG_QUERY,
    handle: async (req) => {
      const { page } = await featureLogPage(req, (input) => req.caller.monitoring.platformInsightsLogs(input));
      return {
        success: true as const,
        logs: page.items.map(insightsLog),
        total_count: page.count?.total ?? page.items.length,
      };
    },
  },
  {
    method: "GET",
    path: "/website-analysis/logs/{user_id}",
    summary: "Execution logs of the caller's website and competitor analysis tasks",
    feature: "monitoring",
    access: "user",
    procedures: ["monitoring.websiteAnalysisLogs"],
    query: FEATURE_LOG_QUERY,
    handle: async (req) => {
      const { q, page } = await featureLogPage(req, (input) => req.caller.monitoring.websiteAnalysisLogs(input));
      const total = page.count?.total ?? q.offset + page.items.length;
      return {
        logs: page.items.map(websiteLog),
        total_count: total,
        limit: q.limit,
        offset: q.offset,
        has_more: page.nextCursor !== null,
      };
    },
  },
];
