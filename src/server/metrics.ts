import { createHash, timingSafeEqual } from "node:crypto";
import { WORKER_ALIVE_MS } from "@/server/config/scheduler";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "@/server/db";

/**
 * Prometheus metrics (prom-client). Run durations and API latency are observed in this process;
 * the rest is read from the database at scrape time, so every instance reports the same totals.
 */
function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    runDuration: new Histogram({
      name: "scheduler_run_duration_seconds",
      help: "Duration of runs finished by this process, by task type and outcome",
      labelNames: ["type", "status"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    apiLatency: new Histogram({
      name: "api_request_duration_seconds",
      help: "tRPC procedure latency in this process",
      labelNames: ["procedure", "type", "ok"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "api_rate_limited_total",
      help: "Calls refused by a per-user rate limit in this process, by kind (mutation or query)",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    runs: new Gauge({
      name: "scheduler_runs",
      help: "Finished runs of all users (daily rollup), by task type and outcome",
      labelNames: ["type", "status"] as const,
      registers: [registry],
    }),
    queueAge: new Gauge({
      name: "scheduler_queue_age_seconds",
      help: "How long the oldest due task has waited to start",
      registers: [registry],
    }),
    dueTasks: new Gauge({ name: "scheduler_due_tasks", help: "Tasks due and not yet started", registers: [registry] }),
    leaseRecoveries: new Gauge({
      name: "scheduler_lease_recoveries",
      help: "Runs recovered from workers that died (all time)",
      registers: [registry],
    }),
    activeRuns: new Gauge({
      name: "scheduler_active_runs",
      help: "Runs in flight on live workers",
      registers: [registry],
    }),
    workersAlive: new Gauge({
      name: "scheduler_workers_alive",
      help: "Workers seen within the last 90 seconds",
      registers: [registry],
    }),
    checkCycles: new Gauge({ name: "scheduler_check_cycles", help: "Check cycles (all time)", registers: [registry] }),
    overdueTasks: new Gauge({
      name: "scheduler_overdue_tasks",
      help: "Active tasks whose run has not started within their grace (late), or whose next run is due too (missed)",
      labelNames: ["state"] as const,
      registers: [registry],
    }),
    oldestOverdue: new Gauge({
      name: "scheduler_oldest_overdue_seconds",
      help: "How long the most overdue task's run has been due (0 when none is late)",
      registers: [registry],
    }),
  };
}

const holder = globalThis as typeof globalThis & { __metrics?: ReturnType<typeof createMetrics> };
export function metrics() {
  holder.__metrics ??= createMetrics();
  return holder.__metrics;
}

/** Reads the database-backed gauges; then the registry holds a consistent snapshot. */
export async function refreshMetrics(db: Db, now = new Date()) {
  const m = metrics();
  const [runs, due, stats, workers] = await Promise.all([
    db.runStatDailyAll.groupBy({ by: ["taskType", "status"], _sum: { runs: true } }),
    db.task.aggregate({
      where: {
        nextRunAt: { lte: now },
        leaseOwner: null,
        OR: [{ status: { in: ["ACTIVE", "NEEDS_INTERVENTION"] } }, { pendingTrigger: { not: null } }],
      },
      _min: { nextRunAt: true },
      _count: { _all: true },
    }),
    db.cumulativeStats.findUnique({ where: { id: 1 } }),
    db.worker.findMany({
      where: { stoppedAt: null, lastSeenAt: { gte: new Date(now.getTime() - WORKER_ALIVE_MS) } },
      select: { activeRuns: true },
    }),
  ]);
  m.runs.reset();
  for (const r of runs) m.runs.set({ type: r.taskType, status: r.status }, r._sum.runs ?? 0);
  m.queueAge.set(due._min.nextRunAt ? Math.max(0, (now.getTime() - due._min.nextRunAt.getTime()) / 1000) : 0);
  m.dueTasks.set(due._count._all);
  m.leaseRecoveries.set(stats?.leasesRecovered ?? 0);
  m.checkCycles.set(stats?.totalCheckCycles ?? 0);
  m.activeRuns.set(workers.reduce((a, w) => a + w.activeRuns, 0));
  m.workersAlive.set(workers.length);
  return m.registry;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Whether a scrape may read the metrics: anyone when no `METRICS_TOKEN` is set, else only a request with
 * `Authorization: Bearer <token>`. The two are compared as SHA-256 digests in constant time, so neither the
 * token's length nor how much of it matched shows in the answer's timing.
 */
export function metricsScrapeAllowed(authorization: string | null, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "")?.[1];
  const same = timingSafeEqual(sha256(presented ?? ""), sha256(token));
  return presented !== undefined && same;
}

/**
 * The `/api/metrics` answer: Prometheus text (prom-client's exposition format), 401 with a Bearer challenge
 * when `METRICS_TOKEN` is set and the request does not carry it (the database is not read then), 503 when
 * the database cannot be read.
 */
export async function metricsResponse(
  request: Request,
  token: string | undefined,
  db: () => Db,
  refresh: (db: Db) => Promise<Registry> = refreshMetrics,
): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  if (!metricsScrapeAllowed(request.headers.get("authorization"), token)) {
    const challenge = request.headers.has("authorization")
      ? 'Bearer realm="metrics", error="invalid_token"'
      : 'Bearer realm="metrics"';
    return new Response("Unauthorized: this endpoint needs Authorization: Bearer <METRICS_TOKEN>\n", {
      status: 401,
      headers: { ...noStore, "content-type": "text/plain; charset=utf-8", "www-authenticate": challenge },
    });
  }
  try {
    const registry = await refresh(db());
    return new Response(await registry.metrics(), { headers: { ...noStore, "content-type": registry.contentType } });
  } catch {
    return new Response("# database unavailable\n", {
      status: 503,
      headers: { ...noStore, "content-type": "text/plain; charset=utf-8" },
    });
  }
}
