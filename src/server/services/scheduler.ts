import type { Db } from "@/server/db";
import { WORKER_ALIVE_MS } from "@/server/config/scheduler";
import type { SchedulerEngine } from "@/server/scheduler/engine";
import { reconcileCumulativeStats } from "@/server/scheduler/stats";
import type { Scope } from "./scope";

/**
 * The scheduler as the dashboard shows it: this process's engine (state, session statistics),
 * the workers sharing the database, and the all-time cumulative counters.
 */
export async function schedulerStatus(db: Db, engine: SchedulerEngine | null, now = new Date()) {
  const [cumulative, workers] = await Promise.all([
    db.cumulativeStats.findUnique({ where: { id: 1 } }),
    db.worker.findMany({
      where: { stoppedAt: null, lastSeenAt: { gte: new Date(now.getTime() - WORKER_ALIVE_MS) } },
      orderBy: { startedAt: "asc" },
    }),
  ]);
  return {
    local: engine
      ? {
          workerId: engine.workerId,
          kind: engine.kind,
          state: engine.state,
          activeRuns: engine.activeRuns,
          session: engine.session,
          pollMs: engine.config.pollMs,
          concurrency: engine.config.concurrency,
        }
      : null,
    workers: workers.map((w) => ({
      id: w.id,
      kind: w.kind,
      hostname: w.hostname,
      pid: w.pid,
      startedAt: w.startedAt,
      lastSeenAt: w.lastSeenAt,
      activeRuns: w.activeRuns,
    })),
    cumulative,
  };
}

/** Admin: recompute the cumulative counters from the events; report, and write only with `apply`. */
export async function reconcileStats(db: Db, scope: Scope, apply: boolean) {
  const report = await reconcileCumulativeStats(db, { apply });
  await db.auditLog.create({
    data: {
      actorId: scope.userId,
      action: "RECONCILE_STATS",
      targetType: "CumulativeStats",
      targetId: "1",
      details: { apply, consistent: report.consistent, difference: report.difference },
    },
  });
  return report;
}
