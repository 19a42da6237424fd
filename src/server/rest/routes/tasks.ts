import { z } from "zod";
import { enforceAccess } from "@/server/api/trpc";
import { HttpError, ownUserPath, validationError, type RestRoute } from "../http";
import {
  interventionTask,
  retryResult,
  TASK_TYPE_BY_REST_NAME,
  triggerResult,
  type InterventionItem,
} from "../serializers";

/** The optional JSON body of the retry (version 2's `TaskRetryRequest`; other keys are ignored). */
const retryBody = z.looseObject({ reset_failure_count: z.boolean("Input should be a valid boolean").optional() });

export const tasksRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/tasks-needing-intervention/{user_id}",
    summary: "The caller's tasks that need intervention (cooled off or stopped), with their failure pattern",
    description:
      "Items in the original frontend's shape (its first version), with the second version's fields added; for Search Console and Bing tasks `task_type` is `gsc_insights`/`bing_insights` (the second version said `platform_insights`). `status` is `failed` and the task's own status is `task_status`.",
    feature: "tasks",
    access: "user",
    procedures: ["tasks.needingIntervention"],
    handle: async (req) => {
      const userId = await ownUserPath(req, "query");
      // The contract lists every task needing intervention: read the list page by page.
      const tasks: InterventionItem[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof req.caller.tasks.needingIntervention>> =
          await req.caller.tasks.needingIntervention({ limit: 200, cursor });
        tasks.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return {
        success: true as const,
        tasks: tasks.map(interventionTask),
        count: tasks.length,
        user_id: userId,
        last_updated: req.now.toISOString(),
      };
    },
  },
  {
    method: "GET",
    path: "/task-intervention/summary/{user_id}",
    summary: "How many of the caller's tasks need attention, by type, and how urgently",
    feature: "tasks",
    access: "user",
    procedures: ["tasks.interventionSummary"],
    handle: async (req) => {
      const userId = await ownUserPath(req, "query");
      const s = await req.caller.tasks.interventionSummary();
      return {
        user_id: userId,
        total_needing_attention: s.total,
        by_task_type: Object.fromEntries(Object.entries(s.byType).map(([k, v]) => [k.toLowerCase(), v])),
        critical_failures: s.critical,
        oldest_failure_hours:
          s.oldestFailureAgeMs === null ? null : Math.round((s.oldestFailureAgeMs / 3_600_000) * 10) / 10,
        requires_immediate_attention: s.requiresImmediateAttention,
        last_updated: req.now.toISOString(),
      };
    },
  },
  {
    method: "POST",
    path: "/tasks/{task_type}/{task_id}/manual-trigger",
    summary: "Run one of the caller's tasks now (even when cooled off), resetting its failure counters",
    description:
      "`task_type` is one of oauth_token_monitoring, gsc_insights, bing_insights, website_analysis (another: 400); a task of another type, or another user's, is 404. The run starts at once in this process's engine, or is picked up by a worker; `queued: false` when a run of the task was already queued or running. A paused task must be resumed first (409).",
    feature: "tasks",
    access: "user",
    procedures: ["tasks.manualTrigger", "tasks.history"],
    handle: async (req) => {
      const name = req.params.task_type!;
      // Own keys only: "__proto__" or "constructor" is an unknown type like any other.
      const type = Object.hasOwn(TASK_TYPE_BY_REST_NAME, name) ? TASK_TYPE_BY_REST_NAME[name] : undefined;
      if (!type) {
        await enforceAccess(req.ctx, "user", "mutation"); // who may not trigger anything is told that first
        throw new HttpError(400, `Unknown task type: ${name}`);
      }
      const taskId = req.params.task_id!;
      const result = await req.caller.tasks.manualTrigger({ taskId, type });
      const { task } = await req.caller.tasks.history({ taskId, limit: 1, days: 1 });
      return triggerResult(task, result);
    },
  },
  {
    method: "POST",
    path: "/website-analysis/retry/{task_id}",
    summary: "Make one of the caller's failed website-analysis tasks due now",
    description:
      "Optional JSON body `{reset_failure_count: true}` also clears its failure counters and cool-off; without it a cooled-off task stays cooled off and this run is its probe (its `status` stays needs_intervention). A task that has not failed is 409; another user's, or not a website-analysis task, 404.",
    feature: "tasks",
    access: "user",
    procedures: ["tasks.retry", "tasks.history"],
    handle: async (req) => {
      const body = retryBody.nullish().safeParse(req.body);
      if (!body.success)
        throw validationError(
          body.error.issues.map((i) => ({ loc: ["body", ...i.path.map(String)], msg: i.message, type: "value_error" })),
        );
      const reset = body.data?.reset_failure_count ?? false;
      const taskId = req.params.task_id!;
      const result = await req.caller.tasks.retry({ taskId, resetFailures: reset, type: "WEBSITE_ANALYSIS" });
      const { task } = await req.caller.tasks.history({ taskId, limit: 1, days: 1 });
      return retryResult(task, result, reset);
    },
  },
];
