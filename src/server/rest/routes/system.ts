import { FEATURES, features, type Env, type Feature } from "@/server/config/env";
import { engineConfigFromEnv } from "@/server/scheduler/config";
import { HttpError, type RestRequest, type RestRoute } from "../http";

const FEATURE_DESCRIPTIONS: Record<Feature, string> = {
  dashboard: "Scheduler statistics and jobs",
  monitoring: "Execution logs, scheduler events and their retention",
  tasks: "Intervention, manual trigger and retry",
  platform: "Platform insights, website analysis and monitoring health",
};

type SystemStatus = Awaited<ReturnType<RestRequest["caller"]["system"]["status"]>>;

/**
 * The original's `SchedulerConfig` report, from our settings: the engine's concurrency and run timeout,
 * the per-user rate limit. Nothing secret (the effective configuration is GET /config, for admins).
 */
function apiConfiguration(env: Env, status: SystemStatus, routes: readonly RestRoute[]) {
  const on = features(env);
  const engine = engineConfigFromEnv(env);
  return {
    environment: status.environment,
    version: status.version,
    feature_flags: on,
    enabled_features: FEATURES.filter((f) => on[f]),
    disabled_features: FEATURES.filter((f) => !on[f]),
    total_enabled_endpoints: routes.filter((r) => r.feature !== null && on[r.feature]).length,
    is_production: env.NODE_ENV === "production",
    is_development: env.NODE_ENV === "development",
    performance_settings: {
      max_concurrent_requests: engine.concurrency, // runs in flight per process
      request_timeout_seconds: Math.round(engine.timeoutMs / 1000), // a run's timeout
      max_response_size_mb: 0, // not limited
    },
    monitoring_settings: {
      enable_metrics: true, // Prometheus text at /api/metrics
      metrics_retention_days: 0, // not kept here: scraped live
      enable_health_checks: true,
      health_check_interval_seconds: Math.round(engine.heartbeatMs / 1000), // the workers' heartbeat /health reads
    },
    security_settings: {
      enable_rate_limiting: true,
      rate_limit_requests_per_minute: env.RATE_LIMIT_MUTATIONS_PER_MINUTE, // changes per user and instance
      enable_cors: false,
    },
  };
}

const HEALTH = { ok: "healthy", degraded: "degraded", down: "unhealthy", off: "disabled" } as const;

export const systemRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/status",
    summary: "Public: the service, its version, features and configuration",
    feature: null,
    access: "public",
    procedures: ["system.status"],
    handle: async (req) => {
      const s = await req.caller.system.status();
      const counts = Object.fromEntries(
        FEATURES.map((f) => [f, req.routes.filter((r) => r.feature === f).length]),
      ) as Record<Feature, number>;
      const executing = s.engineMode === "in-process" || s.engineMode === "worker";
      return {
        service: "scheduler_api" as const,
        version: s.version,
        environment: s.environment,
        status: "operational" as const,
        features: Object.fromEntries(
          FEATURES.map((f) => [
            f,
            { enabled: s.features[f], endpoints: counts[f], description: FEATURE_DESCRIPTIONS[f] },
          ]),
        ),
        configuration: apiConfiguration(req.env, s, req.routes),
        total_endpoints: req.routes.length,
        enabled_features: FEATURES.filter((f) => s.features[f]),
        disabled_features: FEATURES.filter((f) => !s.features[f]),
        scheduler_runtime: {
          // No leader: every worker claims due tasks under a lease, so each executing process "leads" its claims.
          leadership: { mode: s.engineMode, is_leader: executing, execution_enabled: executing },
          mode: s.engineMode,
          database: s.database,
        },
        architecture: "modular_routers" as const,
        refactoring_complete: true as const,
      };
    },
  },
  {
    method: "GET",
    path: "/health",
    summary: "Public: database, scheduler heartbeat and routers (503 when unhealthy)",
    feature: null,
    access: "public",
    procedures: ["system.health", "system.status"],
    handle: async (req) => {
      const started = Date.now();
      const [h, s] = await Promise.all([req.caller.system.health(), req.caller.system.status()]);
      const check = (key: string, fallback: string) => {
        const c = h.checks[key];
        if (!c) return { status: "disabled" as const, message: fallback };
        return {
          status: HEALTH[c.status],
          message: c.detail ?? (c.latencyMs !== undefined ? `responded in ${c.latencyMs} ms` : fallback),
          ...(c.latencyMs !== undefined ? { response_time_ms: c.latencyMs } : {}),
        };
      };
      const router = (f: Feature) =>
        check(`router:${f}`, s.features[f] ? "mounted" : `switched off (SCHEDULER_ENABLE_${f.toUpperCase()}=false)`);
      const status = h.status === "ok" ? "healthy" : h.status === "degraded" ? "degraded" : "unhealthy";
      const body = {
        service: "scheduler_api" as const,
        version: s.version,
        environment: s.environment,
        timestamp: Date.now() / 1000,
        status,
        checks: {
          database: check("database", "not checked"),
          scheduler_leadership: check("scheduler", "not checked: the database is down"),
          dashboard_router: router("dashboard"),
          monitoring_router: router("monitoring"),
          tasks_router: router("tasks"),
          platform_router: router("platform"),
          routing: { status: "healthy" as const, message: `${req.routes.length} REST paths` },
          configuration: { status: "healthy" as const, message: "configuration valid (checked at start-up)" },
        },
        response_time_ms: Date.now() - started,
      };
      if (status === "unhealthy") throw new HttpError(503, body);
      return body;
    },
  },
  {
    method: "GET",
    path: "/metrics",
    summary: "Public: the Prometheus metrics as JSON (text format at /api/metrics)",
    description:
      "The original answered a placeholder (`metrics_available: false`); this one has the metrics, under `metrics`.",
    feature: null,
    access: "public",
    procedures: ["system.metrics", "system.status"],
    handle: async (req) => {
      const [metrics, s] = await Promise.all([req.caller.system.metrics(), req.caller.system.status()]);
      return {
        service: "scheduler_api" as const,
        version: s.version,
        metrics_available: true,
        note: "Prometheus text format at /api/metrics; the same metrics as JSON in `metrics`",
        configuration: { metrics_enabled: true, metrics_retention_days: 0, performance_logging_enabled: false },
        metrics,
        prometheus_endpoint: "/api/metrics",
      };
    },
  },
  {
    method: "GET",
    path: "/config",
    summary: "Admin: the scheduler API's configuration and the effective settings, secrets redacted",
    description: "Administrators only (the original's was public).",
    feature: null,
    access: "admin",
    procedures: ["system.config", "system.status"],
    handle: async (req) => {
      const settings = await req.caller.system.config();
      const s = await req.caller.system.status();
      return { ...apiConfiguration(req.env, s, req.routes), settings };
    },
  },
];
