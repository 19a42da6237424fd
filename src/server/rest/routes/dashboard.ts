import { engineConfigFromEnv } from "@/server/scheduler/config";
import { z } from "zod";
import { boolParam, intParamOr, paramsOf, parseQuery, type Caller, type RestRequest, type RestRoute } from "../http";
import {
  checkDueTasksJob,
  dashboardJob,
  iso,
  oneTimeJob,
  REST_TASK_TYPES,
  schedulerLog,
  userJobStore,
  wholeMinutes,
  type JobItem,
} from "../serializers";

/** The procedure's largest page of jobs. */
const JOBS_PAGE_MAX = 200;

/** Every job of the caller (the procedure's pages of 200), up to 5,000. */
async function allJobs(caller: Caller): Promise<JobItem[]> {
  const jobs: JobItem[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Caller["dashboard"]["jobs"]>> = await caller.dashboard.jobs({
      sort: "nextRunAt",
      order: "asc",
      limit: JOBS_PAGE_MAX,
      cursor,
    });
    jobs.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && jobs.length < 5000);
  return jobs;
}

/**
 * Each listed job's owner's "user job store" label, from their own website (the first address of their
 * own-site analysis jobs, so it is stable whichever page the jobs are on); "default" for a user without one.
 */
async function jobStores(caller: Caller, jobs: readonly JobItem[]): Promise<(userId: string | null) => string> {
  const userIds = [...new Set(jobs.flatMap((j) => (j.userId ? [j.userId] : [])))];
  const sites = new Map<string, string>();
  for (let i = 0; i < userIds.length; i += JOBS_PAGE_MAX) {
    const { items } = await caller.dashboard.jobOwnerSites({ userIds: userIds.slice(i, i + JOBS_PAGE_MAX) });
    for (const { userId, site } of items) sites.set(userId, site);
  }
  return (userId) => userJobStore(userId ? sites.get(userId) : null);
}

/** How often the engine looks for due work at the latest (it also wakes at the next due time). */
function pollMs(req: RestRequest): number {
  return req.ctx.scheduler?.config.pollMs ?? engineConfigFromEnv(req.env).pollMs;
}

export const dashboardRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/dashboard",
    summary: "Scheduler statistics (session and cumulative) and the caller's jobs",
    description:
      "The scheduler's own recurring job (`check_due_tasks`: the engine's loop) and each of the caller's tasks as a database-backed job (an admin: everyone's). Session and cumulative check-cycle figures are system-wide and for admins; a user's `tasks_executed`/`tasks_failed` and cumulative counts are their own runs. `check_interval_minutes` is the engine's longest sleep rounded up to whole minutes (it wakes earlier when a task falls due), so min and max are the same and there is never an interval adjustment. Unlike the original (one user's few jobs, all at once), the jobs come in pages of up to 200 in due order (`limit`, `cursor`; `has_more` and `next_cursor` say what follows), so an administrator's thousands do not come in one answer; `job_count` and `recurring_jobs` count every page's.",
    feature: "dashboard",
    access: "user",
    procedures: ["dashboard.overview", "dashboard.jobs", "dashboard.jobOwnerSites"],
    query: {
      limit: `jobs per page, 1-${JOBS_PAGE_MAX} (default ${JOBS_PAGE_MAX}); \`job_count\` is the total of every page`,
      cursor: "the previous page's `next_cursor` (absent: the first page, which also lists check_due_tasks)",
    },
    handle: async (req) => {
      const q = parseQuery(req.query, {
        limit: intParamOr(1, JOBS_PAGE_MAX, JOBS_PAGE_MAX),
        cursor: z.string().min(1, "cursor cannot be empty").max(64, "cursor has at most 64 characters").optional(),
      });
      const [overview, page] = await Promise.all([
        req.caller.dashboard.overview({ days: 1 }),
        req.caller.dashboard.jobs({ sort: "nextRunAt", order: "asc", limit: q.limit, cursor: q.cursor ?? null }),
      ]);
      const jobs = page.items;
      const store = await jobStores(req.caller, jobs);
      const system = overview.system;
      const session = system?.session ?? null;
      const cumulative = system?.cumulative ?? null;
      const mine = overview.runs;
      const interval = wholeMinutes(system?.checkIntervalMs ?? pollMs(req));
      const me = req.ctx.user?.id ?? null;
      const listed = [
        ...(q.cursor ? [] : [checkDueTasksJob(overview.scheduler.running, pollMs(req), req.now)]),
        ...jobs.map((j) => dashboardJob(j, store(j.userId))),
      ];
      // check_due_tasks and every database-backed job of every page.
      const jobCount = 1 + overview.totalTasks;
      return {
        stats: {
          total_checks: session?.cycles ?? 0,
          tasks_found: session?.found ?? 0,
          tasks_executed: system ? (session?.executed ?? 0) : (mine.session?.executed ?? 0),
          tasks_failed: system ? (session?.failed ?? 0) : (mine.session?.failed ?? 0),
          tasks_skipped: session?.skipped ?? 0,
          last_check: iso(system?.lastCycleAt ?? null),
          last_update: iso(overview.lastUpdated),
          active_executions: system?.activeRuns ?? overview.scheduler.runningNow,
          running: overview.scheduler.running,
          check_interval_minutes: interval,
          min_check_interval_minutes: interval,
          max_check_interval_minutes: interval,
          intelligent_scheduling: true,
          // The original counted active content strategies (what made it check more often); ours: active tasks.
          active_strategies_count: overview.tasksByStatus.ACTIVE,
          last_interval_adjustment: null,
          registered_types: REST_TASK_TYPES,
          cumulative_total_check_cycles: cumulative?.totalCheckCycles ?? 0,
          cumulative_tasks_found: cumulative?.tasksFound ?? 0,
          cumulative_tasks_executed: cumulative?.tasksExecuted ?? mine.allTime.executed,
          cumulative_tasks_failed: cumulative?.tasksFailed ?? mine.allTime.failed,
        },
        jobs: listed,
        job_count: jobCount,
        recurring_jobs: jobCount,
        has_more: page.nextCursor !== null,
        next_cursor: page.nextCursor,
        one_time_jobs: overview.jobs.oneTime, // runs asked for once (manual triggers, retries) not started yet
        registered_task_types: REST_TASK_TYPES,
        user_isolation: { enabled: true as const, current_user_id: me ?? "" },
        last_updated: overview.lastUpdated.toISOString(),
      };
    },
  },
  {
    method: "GET",
    path: "/jobs",
    summary: "The scheduler's jobs: its recurring loop and the runs asked for once",
    description:
      "As the original's in-memory job list: the recurring `check_due_tasks` job (the engine's loop) and one one-time job per run the caller asked for (a manual trigger or retry) that has not started yet. The caller's recurring tasks are the database-backed jobs of GET /dashboard.",
    feature: "dashboard",
    access: "user",
    procedures: ["dashboard.overview", "dashboard.jobs", "dashboard.jobOwnerSites"],
    handle: async (req) => {
      const [overview, jobs] = await Promise.all([req.caller.dashboard.overview({ days: 1 }), allJobs(req.caller)]);
      const oneTime = jobs.filter((j) => j.trigger === "one-time");
      const store = await jobStores(req.caller, oneTime);
      const listed = [
        checkDueTasksJob(overview.scheduler.running, pollMs(req), req.now),
        ...oneTime.map((j) => oneTimeJob(j, store(j.userId))),
      ];
      return {
        jobs: listed,
        total_jobs: listed.length,
        recurring_jobs: 1 as const,
        one_time_jobs: listed.length - 1,
        total_count: listed.length,
        last_updated: req.now.toISOString(),
      };
    },
  },
  {
    method: "GET",
    path: "/recent-scheduler-logs",
    summary: "The latest 5 job events (scheduled, completed, failed) of the caller's tasks, as log rows",
    feature: "dashboard",
    access: "user",
    procedures: ["dashboard.recentSchedulerLogs"],
    handle: async (req) => {
      const events = await req.caller.dashboard.recentSchedulerLogs({
        limit: 5,
        types: ["JOB_SCHEDULED", "JOB_COMPLETED", "JOB_FAILED"],
      });
      return {
        logs: events.map(schedulerLog),
        total_count: events.length,
        limit: 5 as const,
        offset: 0 as const,
        has_more: false as const,
        is_scheduler_logs: true as const,
      };
    },
  },
  {
    method: "POST",
    path: "/dashboard/cumulative-stats/reconcile",
    summary: "Admin: recompute the cumulative counters from the events (report; write with apply=true)",
    description:
      "Unlike the original, which overwrote the counters, this reports the recomputed totals and the difference and writes them only with `apply=true` (query or body): retention folds deleted events into a RETENTION_CLEANUP event, so the recomputation stays exact. Administrators only.",
    feature: "dashboard",
    access: "admin",
    procedures: ["dashboard.cumulativeStats.reconcile"],
    query: { apply: "false (default): report only | true: write the recomputed counters" },
    handle: async (req) => {
      const q = parseQuery(paramsOf(req), { apply: boolParam.optional() });
      const report = await req.caller.dashboard.cumulativeStats.reconcile({ apply: q.apply ?? false });
      const r = report.recomputed;
      return {
        success: true as const,
        auditable: true as const,
        reconciled_at: req.now.toISOString(),
        stats: {
          total_check_cycles: r.totalCheckCycles,
          cumulative_tasks_found: r.tasksFound,
          cumulative_tasks_executed: r.tasksExecuted,
          cumulative_tasks_failed: r.tasksFailed,
          cumulative_tasks_skipped: r.tasksSkipped,
        },
        consistent: report.consistent,
        applied: report.applied,
        difference: report.difference,
      };
    },
  },
];
