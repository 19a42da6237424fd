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
      help: "Mutations refused by the rate limit in this process",
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
    db.runStatDaily.groupBy({ by: ["taskType", "status"], _sum: { runs: true } }),
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
