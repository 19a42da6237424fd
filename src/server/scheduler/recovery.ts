import { engineOfDb, type Db } from "@/server/db";
import type { EngineConfig } from "./config";
import { applyFailure, heldStatus } from "./failure";
import { countRun, incrementCumulative } from "./stats";

const BATCH = 200;
const WORKER_LOST = "worker lost: its lease expired before the run finished";

/**
 * Recovers the runs of workers that died (their lease expired without a heartbeat): each run's log
 * is closed as FAILED "worker lost", a LEASE_RECOVERED event is written, and the task counts one
 * failed attempt and becomes due again at once (or follows the failure rules if attempts ran out).
 * Each task is recovered in its own transaction guarded by the dead lease, so concurrent
 * recoverers never recover the same run twice. Returns how many leases were recovered.
 */
export async function recoverExpiredLeases(
  db: Db,
  options: {
    now: Date;
    config: EngineConfig;
    random: () => number;
    recoveredBy: string;
    /** Told of each recovered task once its transaction committed (the engine announces it live). */
    onRecovered?: (task: { id: string; userId: string | null }) => void;
  },
): Promise<number> {
  const { now } = options;
  const expired = await db.task.findMany({
    where: { leaseOwner: { not: null }, leaseExpiresAt: { lt: now } },
    select: {
      id: true,
      userId: true,
      type: true,
      status: true,
      leaseOwner: true,
      consecutiveFailures: true,
      attempt: true,
      coolOffCount: true,
      failureHistory: true,
      frequencyMinutes: true,
    },
    take: BATCH,
  });
  let recovered = 0;
  for (const task of expired) {
    const deadWorker = task.leaseOwner!;
    const done = await db.$transaction(async (tx) => {
      const released = await tx.task.updateMany({
        where: { id: task.id, leaseOwner: deadWorker, leaseExpiresAt: { lt: now } },
        data: { leaseOwner: null, leaseExpiresAt: null },
      });
      if (released.count === 0) return false; // renewed meanwhile, or recovered by someone else
      const runs = await tx.executionLog.findMany({
        where: { taskId: task.id, status: "RUNNING", workerId: deadWorker },
        select: { id: true, startedAt: true },
      });
      for (const run of runs) {
        const durationMs = now.getTime() - run.startedAt.getTime();
        await tx.executionLog.update({
          where: { id: run.id },
          data: {
            status: "FAILED",
            finishedAt: now,
            durationMs,
            errorMessage: WORKER_LOST,
            errorCategory: "UNKNOWN",
            retryable: true,
          },
        });
        await countRun(tx, {
          userId: task.userId,
          startedAt: run.startedAt,
          taskType: task.type,
          status: "FAILED",
          durationMs,
        });
      }
      if (runs.length > 0) {
        // The lost run counts as one failed attempt; with attempts left the task is due at once.
        const t = applyFailure(
          task,
          { category: "UNKNOWN", message: WORKER_LOST, retryable: true },
          now,
          options.config,
          options.random,
          0,
        );
        await tx.task.update({
          where: { id: task.id },
          data: {
            status: heldStatus(task.status) ?? t.status,
            lastOutcome: "FAILED",
            lastFailureAt: now,
            failureReason: WORKER_LOST,
            failureCategory: "UNKNOWN",
            nextRunAt: t.kind === "task_failure" ? now : t.nextRunAt,
            attempt: t.attempt,
            consecutiveFailures: t.consecutiveFailures,
            coolOffCount: t.coolOffCount,
            coolOffUntil: t.coolOffUntil,
            failureHistory: t.failureHistory as object[],
            failurePattern: t.failurePattern ? (t.failurePattern as object) : undefined,
          },
        });
        await tx.schedulerEvent.createMany({
          data: runs.map((run) => ({
            type: "JOB_FAILED" as const,
            runStatus: "FAILED" as const,
            occurredAt: now,
            userId: task.userId,
            taskId: task.id,
            executionLogId: run.id,
            workerId: deadWorker,
            jobKind: "RECURRING" as const,
            errorMessage: WORKER_LOST,
            data: { taskType: task.type, recoveredBy: options.recoveredBy },
          })),
        });
      }
      await tx.schedulerEvent.create({
        data: {
          type: "LEASE_RECOVERED",
          occurredAt: now,
          userId: task.userId,
          taskId: task.id,
          workerId: options.recoveredBy,
          data: { deadWorker, closedRuns: runs.map((r) => r.id) },
        },
      });
      await incrementCumulative(tx, engineOfDb(db), { leasesRecovered: 1, jobsFailed: runs.length });
      return true;
    });
    if (done) {
      recovered++;
      options.onRecovered?.(task);
    }
  }
  return recovered;
}

/**
 * Closes RUNNING logs that no live lease stands behind (older than a lease, and their task is not
 * leased by the log's worker), so that no log stays RUNNING forever whatever happened to its worker.
 */
export async function closeOrphanedRuns(
  db: Db,
  options: { now: Date; olderThanMs: number; recoveredBy: string },
): Promise<number> {
  const { now } = options;
  const stale = await db.executionLog.findMany({
    where: { status: "RUNNING", startedAt: { lt: new Date(now.getTime() - options.olderThanMs) } },
    select: {
      id: true,
      taskId: true,
      userId: true,
      taskType: true,
      workerId: true,
      startedAt: true,
      task: { select: { leaseOwner: true } },
    },
    take: BATCH,
  });
  let closed = 0;
  for (const log of stale) {
    if (log.workerId !== null && log.task.leaseOwner === log.workerId) continue; // still held: a long run
    const done = await db.$transaction(async (tx) => {
      const updated = await tx.executionLog.updateMany({
        where: { id: log.id, status: "RUNNING" },
        data: {
          status: "FAILED",
          finishedAt: now,
          durationMs: now.getTime() - log.startedAt.getTime(),
          errorMessage: WORKER_LOST,
          errorCategory: "UNKNOWN",
          retryable: true,
        },
      });
      if (updated.count === 0) return false;
      await countRun(tx, {
        userId: log.userId,
        startedAt: log.startedAt,
        taskType: log.taskType,
        status: "FAILED",
        durationMs: now.getTime() - log.startedAt.getTime(),
      });
      await tx.schedulerEvent.create({
        data: {
          type: "JOB_FAILED",
          runStatus: "FAILED",
          occurredAt: now,
          userId: log.userId,
          taskId: log.taskId,
          executionLogId: log.id,
          workerId: log.workerId,
          jobKind: "RECURRING",
          errorMessage: WORKER_LOST,
          data: { taskType: log.taskType, recoveredBy: options.recoveredBy, orphaned: true },
        },
      });
      await incrementCumulative(tx, engineOfDb(db), { jobsFailed: 1 });
      return true;
    });
    if (done) closed++;
  }
  return closed;
}
