import { typesIn } from "@/lib/task-kinds";
import { ownUserPath, type RestRoute } from "../http";
import {
  insightsTaskModel,
  insightsTaskRow,
  lower,
  statusCounts,
  websiteTaskModel,
  websiteTaskRow,
  type InsightsTask,
  type WebsiteTask,
} from "../serializers";

const failing = (status: string) => status === "FAILED" || status === "NEEDS_INTERVENTION";

function featureCounts(tasks: readonly (InsightsTask | WebsiteTask)[]) {
  return {
    total: tasks.length,
    active: tasks.filter((t) => t.status === "ACTIVE").length,
    failed: tasks.filter((t) => failing(t.status)).length,
  };
}

const INSIGHTS_TYPES: readonly string[] = typesIn("insights");

export const platformRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/platform-insights/status/{user_id}",
    summary: "The caller's Search Console and Bing insights tasks (read-only: creates nothing)",
    description:
      "The first version's `gsc_tasks`/`bing_tasks` (the original frontend reads them) and the second version's `tasks` with its counts. Unlike the first version, a GET never creates a missing task: POST /platform-insights/reconcile/{user_id} does.",
    feature: "platform",
    access: "user",
    procedures: ["platform.insightsStatus"],
    handle: async (req) => {
      const userId = await ownUserPath(req, "query");
      const tasks = await req.caller.platform.insightsStatus();
      return {
        success: true as const,
        user_id: userId,
        gsc_tasks: tasks.filter((t) => t.type === "GSC_INSIGHTS").map(insightsTaskRow),
        bing_tasks: tasks.filter((t) => t.type === "BING_INSIGHTS").map(insightsTaskRow),
        tasks: tasks.map(insightsTaskModel),
        ...statusCounts(tasks),
        last_updated: req.now.toISOString(),
      };
    },
  },
  {
    method: "POST",
    path: "/platform-insights/reconcile/{user_id}",
    summary: "Create the caller's missing tasks (insights, token checks, website analysis) and report what it did",
    feature: "platform",
    access: "user",
    procedures: ["platform.reconcile", "platform.connections"],
    handle: async (req) => {
      const userId = await ownUserPath(req, "mutation");
      const result = await req.caller.platform.reconcile();
      const connections = await req.caller.platform.connections();
      const connected = connections
        .filter((c) => c.status !== "DISCONNECTED" && (c.platform === "GSC" || c.platform === "BING"))
        .map((c) => lower(c.platform));
      const created = result.changes.filter((c) => INSIGHTS_TYPES.includes(c.type)).map((c) => c.target.toLowerCase());
      return {
        success: true,
        user_id: userId,
        connected_insights_platforms: connected,
        created_platforms: created,
        skipped_platforms: connected.filter((p) => !created.includes(p)),
        failures: [] as { platform: string; error: string }[], // one transaction: all of it happens, or nothing
        auditable: true as const,
        reconciled_at: req.now.toISOString(),
        created: result.created,
        reactivated: result.reactivated,
        unchanged: result.unchanged,
      };
    },
  },
  {
    method: "GET",
    path: "/website-analysis/status/{user_id}",
    summary: "The caller's website and competitor analysis tasks",
    description:
      "The first version's `data` (the original frontend reads it) and the second version's `tasks` with its counts. `competitor_id` is the competitor's domain.",
    feature: "platform",
    access: "user",
    procedures: ["platform.websiteAnalysisStatus"],
    handle: async (req) => {
      const userId = await ownUserPath(req, "query");
      const status = await req.caller.platform.websiteAnalysisStatus();
      const all = [...status.own, ...status.competitors];
      const counts = statusCounts(all);
      return {
        success: true as const,
        data: {
          user_id: userId,
          user_website_tasks: status.own.map(websiteTaskRow),
          competitor_tasks: status.competitors.map(websiteTaskRow),
          total_tasks: counts.total_tasks,
          active_tasks: counts.active_tasks,
          failed_tasks: counts.failed_tasks,
        },
        tasks: all.map(websiteTaskModel),
        ...counts,
        last_updated: req.now.toISOString(),
      };
    },
  },
  {
    method: "GET",
    path: "/platform-monitoring/summary/{user_id}",
    summary: "Totals, active, failing and the health score of the caller's monitoring",
    description: "`health_score` weighs failing tasks and the last day's failed runs; 100 while nothing is set up.",
    feature: "platform",
    access: "user",
    procedures: ["platform.monitoringSummary", "platform.insightsStatus", "platform.websiteAnalysisStatus"],
    handle: async (req) => {
      const userId = await ownUserPath(req, "query");
      const [summary, insights, sites] = await Promise.all([
        req.caller.platform.monitoringSummary({}),
        req.caller.platform.insightsStatus(),
        req.caller.platform.websiteAnalysisStatus(),
      ]);
      return {
        user_id: userId,
        platform_insights: {
          ...featureCounts(insights),
          platforms: [...new Set(insights.map((t) => lower(t.platform) ?? ""))].filter(Boolean),
        },
        website_analysis: {
          ...featureCounts([...sites.own, ...sites.competitors]),
          user_websites: sites.own.length,
          competitors: sites.competitors.length,
        },
        overall: {
          total_tasks: summary.totalTasks,
          active_tasks: summary.active,
          failed_tasks: summary.failed,
          health_score: summary.healthScore ?? 100,
          recent_activity_24h: summary.last24h.runs,
        },
        needs_attention: summary.needsAttention,
        last_updated: req.now.toISOString(),
      };
    },
  },
  {
    method: "GET",
    path: "/platform-monitoring/health/{user_id}",
    summary: "not_configured / healthy / degraded, with the reasons in words",
    feature: "platform",
    access: "user",
    procedures: [
      "platform.health",
      "platform.monitoringSummary",
      "platform.insightsStatus",
      "platform.websiteAnalysisStatus",
    ],
    handle: async (req) => {
      const userId = await ownUserPath(req, "query");
      const [health, summary, insights, sites] = await Promise.all([
        req.caller.platform.health({}),
        req.caller.platform.monitoringSummary({}),
        req.caller.platform.insightsStatus(),
        req.caller.platform.websiteAnalysisStatus(),
      ]);
      return {
        user_id: userId,
        health_status: health.status,
        health_message: health.reasons.length
          ? health.reasons.join("; ")
          : `All ${summary.totalTasks} monitoring tasks operational`,
        monitoring_stats: {
          platform_insights_tasks: insights.length,
          website_analysis_tasks: sites.own.length + sites.competitors.length,
          total_tasks: summary.totalTasks,
          recent_failures: summary.last24h.failed,
        },
        health_score: health.healthScore,
        last_checked: req.now.toISOString(),
      };
    },
  },
];
