import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ExecutionStatus, TaskType, TriggerKind } from "@/generated/sqlite/enums";
import type { Prisma } from "@/generated/sqlite/client";
import type { Db, DbEngine } from "@/server/db";
import { claimDueTasks } from "./claim";
import { systemClock, type ClaimedTask, type Clock, type ExecutionOutcome, type ExecutorRegistry } from "./types";

export interface EngineOptions {
  db: Db;
  engine: DbEngine;
  registry: ExecutorRegistry;
  clock?: Clock;
  workerId?: string;
  /** Runs in flight at once, across all task types. */
  concurrency?: number;
  leaseMs?: number;
  timeoutMs?: number;
  /** Retry backoff for retryable failures: base * 2^(n-1), capped, with ±20 % jitter. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Consecutive failures that send a task to NEEDS_INTERVENTION, and the cool-off it then gets. */
  interventionThreshold?: number;
  coolOffMs?: number;
  random?: () => number;
}

export interface CycleSummary {
  cycleNumber: number;
  found: number;
  executed: number;
  succeeded: number;
  failed: number;
  skipped: number;
  byType: Partial<Record<TaskType, number>>;
  durationMs: number;
}

interface RunResult {
  status: ExecutionStatus;
  executionLogId: number;
}

/** Retry delay for the n-th consecutive failure (n >= 1). */
export function backoffMs(n: number, baseMs: number, capMs: number, random: () => number): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.max(0, n - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/**
 * The scheduler engine: claims due tasks, runs each through the executor registered for its type
 * with a timeout, and records every run (log, task state, event, cumulative counters) in one
 * transaction. `runCycle` is one wake-up; the loop, leases' heartbeat and recovery build on it.
 */
export class SchedulerEngine {
  readonly workerId: string;
  private readonly o: Required<Omit<EngineOptions, "workerId">>;
  private readonly inFlight = new Map<string, Promise<RunResult>>();
  private cycleNumber = 0;
  /** Since this process started (the cumulative row holds the all-time numbers). */
  readonly session = { cycles: 0, found: 0, executed: 0, succeeded: 0, failed: 0, skipped: 0 };

  constructor(options: EngineOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.o = {
      clock: systemClock,
      concurrency: 10,
      leaseMs: 60_000,
      timeoutMs: 5 * 60_000,
      backoffBaseMs: 30_000,
      backoffCapMs: 60 * 60_000,
      interventionThreshold: 3,
      coolOffMs: 7 * 24 * 60 * 60_000,
      random: Math.random,
      ...options,
    };
  }

  get activeRuns(): number {
    return this.inFlight.size;
  }

  /** One wake-up: claim what is due (up to free capacity), run it, record a CHECK_CYCLE event. */
  async runCycle(): Promise<CycleSummary | null> {
    const startedAt = this.o.clock.now();
    const capacity = this.o.concurrency - this.inFlight.size;
    const claimed = await claimDueTasks(this.o.db, this.o.engine, {
      workerId: this.workerId,
      now: startedAt,
      leaseMs: this.o.leaseMs,
      limit: capacity,
    });
    if (claimed.length === 0) return null; // a cycle is a wake-up that found due work
    const cycleNumber = ++this.cycleNumber;
    const results = await Promise.all(claimed.map((task) => this.start(task, "SCHEDULED")));
    const byType: Partial<Record<TaskType, number>> = {};
    for (const task of claimed) byType[task.type] = (byType[task.type] ?? 0) + 1;
    const summary: CycleSummary = {
      cycleNumber,
      found: claimed.length,
      executed: results.length,
      succeeded: results.filter((r) => r.status === "SUCCESS").length,
      failed: results.filter((r) => r.status !== "SUCCESS").length,
      skipped: 0,
      byType,
      durationMs: this.o.clock.now().getTime() - startedAt.getTime(),
    };
    await this.o.db.$transaction([
      this.o.db.schedulerEvent.create({
        data: {
          type: "CHECK_CYCLE",
          occurredAt: startedAt,
          workerId: this.workerId,
          cycleNumber,
          tasksFound: summary.found,
          tasksExecuted: summary.executed,
          tasksFailed: summary.failed,
          tasksSkipped: summary.skipped,
          tasksByType: byType,
          durationMs: summary.durationMs,
          activeExecutions: this.inFlight.size,
        },
      }),
      this.o.db.cumulativeStats.upsert({
        where: { id: 1 },
        create: { id: 1, totalCheckCycles: 1, tasksFound: summary.found, tasksExecuted: summary.executed, tasksFailed: summary.failed, lastCheckCycleAt: startedAt },
        update: {
          totalCheckCycles: { increment: 1 },
          tasksFound: { increment: summary.found },
          tasksExecuted: { increment: summary.executed },
          tasksFailed: { increment: summary.failed },
          tasksSkipped: { increment: summary.skipped },
          lastCheckCycleAt: startedAt,
        },
      }),
    ]);
    this.session.cycles++;
    this.session.found += summary.found;
    this.session.executed += summary.executed;
    this.session.succeeded += summary.succeeded;
    this.session.failed += summary.failed;
    return summary;
  }

  private start(task: ClaimedTask, trigger: TriggerKind): Promise<RunResult> {
    const run = this.execute(task, trigger).finally(() => this.inFlight.delete(task.id));
    this.inFlight.set(task.id, run);
    return run;
  }

  private async execute(task: ClaimedTask, trigger: TriggerKind): Promise<RunResult> {
    const { db, clock } = this.o;
    const startedAt = clock.now();
    const log = await db.executionLog.create({
      data: { taskId: task.id, userId: task.userId, taskType: task.type, status: "RUNNING", trigger, scheduledFor: task.nextRunAt, startedAt, workerId: this.workerId },
      select: { id: true },
    });
    const { outcome, timedOut } = await this.invoke(task);
    const finishedAt = clock.now();
    const status: ExecutionStatus = outcome.ok ? "SUCCESS" : timedOut ? "TIMED_OUT" : "FAILED";
    await this.record(task, log.id, status, outcome, startedAt, finishedAt);
    return { status, executionLogId: log.id };
  }

  /** Runs the executor with the per-run timeout; a thrown error is an unknown, retryable failure. */
  private async invoke(task: ClaimedTask): Promise<{ outcome: ExecutionOutcome; timedOut: boolean }> {
    const executor = this.o.registry[task.type];
    if (!executor) {
      return { outcome: { ok: false, category: "CONFIG_ERROR", message: `no executor registered for ${task.type}`, retryable: false }, timedOut: false };
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.o.timeoutMs);
    });
    try {
      const result = await Promise.race([executor(task, controller.signal), timeout]);
      if (result === "timeout") {
        controller.abort();
        return { outcome: { ok: false, category: "TIMEOUT", message: `timed out after ${this.o.timeoutMs} ms`, retryable: true }, timedOut: true };
      }
      return { outcome: result, timedOut: false };
    } catch (error) {
      return { outcome: { ok: false, category: "UNKNOWN", message: (error as Error).message || String(error), retryable: true }, timedOut: false };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The run's final log, the task's next state, its job event and the counters: one transaction. */
  private async record(task: ClaimedTask, logId: number, status: ExecutionStatus, outcome: ExecutionOutcome, startedAt: Date, finishedAt: Date) {
    const o = this.o;
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    await o.db.$transaction(async (tx) => {
      await tx.executionLog.update({
        where: { id: logId },
        data: {
          status,
          finishedAt,
          durationMs,
          result: outcome.result,
          dataSource: outcome.ok ? (outcome.dataSource ?? null) : null,
          errorMessage: outcome.ok ? null : outcome.message,
          errorCategory: outcome.ok ? null : outcome.category,
          retryable: outcome.ok ? null : outcome.retryable,
        },
      });
      const current = await tx.task.findUnique({ where: { id: task.id }, select: { consecutiveFailures: true, leaseOwner: true } });
      // Only the lease holder moves the task on; a recovered lease belongs to someone else now.
      if (current && current.leaseOwner === this.workerId) {
        const common = { lastRunAt: startedAt, lastOutcome: status, leaseOwner: null, leaseExpiresAt: null, runCount: { increment: 1 } };
        let data: Prisma.TaskUpdateInput;
        if (outcome.ok) {
          data = {
            ...common,
            lastSuccessAt: finishedAt,
            consecutiveFailures: 0,
            failureReason: null,
            failureCategory: null,
            nextRunAt: new Date(finishedAt.getTime() + task.frequencyMinutes * 60_000),
          };
        } else {
          const failures = current.consecutiveFailures + 1;
          const failed = { ...common, lastFailureAt: finishedAt, consecutiveFailures: failures, failureReason: outcome.message, failureCategory: outcome.category };
          if (!outcome.retryable) {
            data = { ...failed, status: "FAILED", nextRunAt: null };
          } else if (failures >= o.interventionThreshold) {
            const coolOffUntil = new Date(finishedAt.getTime() + o.coolOffMs);
            data = {
              ...failed,
              status: "NEEDS_INTERVENTION",
              coolOffUntil,
              nextRunAt: coolOffUntil,
              failurePattern: { consecutive: failures, category: outcome.category, lastError: outcome.message.slice(0, 100), lastFailureAt: finishedAt.toISOString() },
            };
          } else {
            data = { ...failed, nextRunAt: new Date(finishedAt.getTime() + backoffMs(failures, o.backoffBaseMs, o.backoffCapMs, o.random)) };
          }
        }
        await tx.task.update({ where: { id: task.id }, data });
      }
      await tx.schedulerEvent.create({
        data: {
          type: outcome.ok ? "JOB_COMPLETED" : "JOB_FAILED",
          occurredAt: finishedAt,
          userId: task.userId,
          taskId: task.id,
          executionLogId: logId,
          workerId: this.workerId,
          jobKind: "RECURRING",
          durationMs,
          errorMessage: outcome.ok ? null : outcome.message,
          data: { taskType: task.type, status },
        },
      });
      await tx.cumulativeStats.upsert({
        where: { id: 1 },
        create: { id: 1, jobsCompleted: outcome.ok ? 1 : 0, jobsFailed: outcome.ok ? 0 : 1, tasksSucceeded: outcome.ok ? 1 : 0, tasksTimedOut: status === "TIMED_OUT" ? 1 : 0 },
        update: {
          jobsCompleted: { increment: outcome.ok ? 1 : 0 },
          jobsFailed: { increment: outcome.ok ? 0 : 1 },
          tasksSucceeded: { increment: outcome.ok ? 1 : 0 },
          tasksTimedOut: { increment: status === "TIMED_OUT" ? 1 : 0 },
        },
      });
    });
  }
}
