/**
 * Recording what the engine did, each in one transaction: a run's final log with the task's next
 * state (`nextTaskState`), its events, the counters and the daily rollup; a burst of successes
 * together (batch.ts); a wake-up's CHECK_CYCLE; a run given up at shutdown.
 */
import type { TaskType, TriggerKind } from "@/generated/sqlite/enums";
import { Prisma } from "@/generated/sqlite/client";
import { engineOfDb, hotSql, type Db, type DbEngine, type HotSql } from "@/server/db";
import { logger } from "@/server/logger";
import { raiseTaskNeedsYou, resolveTasksRecovered, tasksAwaitingRecovery } from "./alerts/conditions";
import { recordFinishedRuns, type FinishedRun } from "./batch";
import { runOutcome, type Invoked, type RunResult } from "./run";
import { countRun, incrementCumulative } from "./stats";
import {
  nextRegularRun,
  nextTaskState,
  transitionEvent,
  type NextTaskState,
  type TaskStateSettings,
} from "./task-state";
import type { ClaimedTask } from "./types";

/**
 * Retries a database write with a growing pause (200 ms, 400 ms, ... at most 5 s apart) for up to
 * `budgetMs`: long enough to ride out a database restart, so a finished run is still recorded.
 */
export async function withRetries<T>(write: () => Promise<T>, budgetMs = 60_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const pause = Math.min(5_000, 200 * 2 ** (attempt - 1));
      if (Date.now() + pause > deadline) throw error;
      if (attempt === 3)
        logger.warn({ err: (error as Error).message?.split("\n")[0] }, "database write failing: retrying");
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** A run as the engine started it. */
export interface StartedRun {
  task: ClaimedTask;
  trigger: TriggerKind;
  startedAt: Date;
}

/**
 * The RUNNING log of a run started on its own (a manual trigger in this process), written only
 * while the lease is still ours (renewed here): a claim whose lease was recovered meanwhile must not
 * run a second time. Null when the lease is lost.
 */
export async function openRun(db: Db, workerId: string, run: StartedRun, leaseExpiresAt: Date): Promise<number | null> {
  const { task } = run;
  const log = await db.$transaction(async (tx) => {
    const held = await tx.task.updateMany({ where: { id: task.id, leaseOwner: workerId }, data: { leaseExpiresAt } });
    if (held.count === 0) return null;
    return tx.executionLog.create({
      data: {
        taskId: task.id,
        userId: task.userId,
        taskType: task.type,
        status: "RUNNING",
        trigger: run.trigger,
        attempt: task.attempt + 1,
        scheduledFor: task.nextRunAt,
        startedAt: run.startedAt,
        workerId,
      },
      select: { id: true },
    });
  });
  return log?.id ?? null;
}

/** The regular next run, or sooner when a successful executor asked to run again earlier (never before it finished). */
function soonerOf(regular: Date, outcome: Invoked["outcome"], finishedAt: Date): Date {
  if (!outcome.ok || !outcome.runAgainAt || outcome.runAgainAt >= regular) return regular;
  return outcome.runAgainAt > finishedAt ? outcome.runAgainAt : finishedAt;
}

/** The task's next state as a Prisma update, with the lease released and the run counted. */
function taskUpdate(next: NextTaskState): Prisma.TaskUpdateInput {
  const data: Prisma.TaskUpdateInput = {
    status: next.status,
    nextRunAt: next.nextRunAt,
    lastRunAt: next.lastRunAt,
    lastOutcome: next.lastOutcome,
    attempt: next.attempt,
    consecutiveFailures: next.consecutiveFailures,
    coolOffCount: next.coolOffCount,
    coolOffUntil: next.coolOffUntil,
    failureReason: next.failureReason,
    failureCategory: next.failureCategory,
    leaseOwner: null,
    leaseExpiresAt: null,
    pendingTrigger: null,
    runCount: { increment: 1 },
  };
  if ("lastSuccessAt" in next) {
    data.lastSuccessAt = next.lastSuccessAt;
    data.failurePattern = Prisma.DbNull;
  } else {
    data.lastFailureAt = next.lastFailureAt;
    data.failureHistory = next.failureHistory as unknown as Prisma.InputJsonValue;
    if (next.failurePattern) data.failurePattern = next.failurePattern as unknown as Prisma.InputJsonValue;
  }
  return data;
}

/**
 * The run's final log, the task's next state, its job events, the counters and the daily rollup: one
 * transaction, retried over a passing database hiccup. Returns false when the run had already been
 * closed (recovered as lost, or interrupted).
 */
export async function recordRun(db: Db, workerId: string, settings: TaskStateSettings, run: DoneRun): Promise<boolean> {
  const { task, logId, finishedAt } = run;
  const { outcome, status } = run.invoked;
  const durationMs = finishedAt.getTime() - run.startedAt.getTime();
  return withRetries(() =>
    db.$transaction(async (tx) => {
      const closed = await tx.executionLog.updateMany({
        where: { id: logId, status: "RUNNING" },
        data: {
          status,
          finishedAt,
          durationMs,
          result: outcome.result,
          dataSource: outcome.ok ? (outcome.dataSource ?? null) : null,
          errorMessage: outcome.ok ? (outcome.skipped ?? null) : outcome.message,
          errorCategory: outcome.ok ? null : outcome.category,
          retryable: outcome.ok ? null : outcome.retryable,
        },
      });
      if (closed.count === 0) return false;
      const current = await tx.task.findUnique({
        where: { id: task.id },
        select: {
          status: true,
          consecutiveFailures: true,
          attempt: true,
          coolOffCount: true,
          failureHistory: true,
          frequencyMinutes: true,
          cronExpression: true,
          cronTimeZone: true,
          leaseOwner: true,
        },
      });
      const extraEvents: Prisma.SchedulerEventCreateManyInput[] = [];
      // Only the lease holder moves the task on; a recovered lease belongs to someone else now.
      if (current && current.leaseOwner === workerId) {
        const schedule = {
          dueAt: task.nextRunAt,
          attempt: task.attempt,
          frequencyMinutes: current.frequencyMinutes,
          cronExpression: current.cronExpression,
          cronTimeZone: current.cronTimeZone,
        };
        const next = nextTaskState(
          current,
          runOutcome(run.invoked, {
            trigger: run.trigger,
            startedAt: run.startedAt,
            nextRegularRunAt: soonerOf(nextRegularRun(schedule, run.trigger, finishedAt), outcome, finishedAt),
          }),
          finishedAt,
          settings,
        );
        await tx.task.update({ where: { id: task.id }, data: taskUpdate(next) });
        // The outbox: the alert about this change is written with it.
        const needsYou = (status: string) => status === "NEEDS_INTERVENTION" || status === "FAILED";
        if (needsYou(next.status) && !needsYou(current.status)) await raiseTaskNeedsYou(tx, task, next, finishedAt);
        else if (next.lastOutcome === "SUCCESS") await resolveTasksRecovered(tx, [task.id], finishedAt);
        const event = transitionEvent(next, run.trigger);
        if (event)
          extraEvents.push({ ...event, occurredAt: finishedAt, userId: task.userId, taskId: task.id, workerId });
      }
      await tx.schedulerEvent.create({
        data: {
          type: outcome.ok ? "JOB_COMPLETED" : "JOB_FAILED",
          runStatus: status,
          occurredAt: finishedAt,
          userId: task.userId,
          taskId: task.id,
          executionLogId: logId,
          workerId,
          // A run asked for by hand (manual trigger, retry) is a one-time job; the schedule's are recurring.
          jobKind: run.trigger === "SCHEDULED" ? "RECURRING" : "ONE_TIME",
          durationMs,
          errorMessage: outcome.ok ? null : outcome.message.slice(0, 1000),
          data: { taskType: task.type, trigger: run.trigger, attempt: task.attempt + 1 },
        },
      });
      if (extraEvents.length) await tx.schedulerEvent.createMany({ data: extraEvents });
      await countRun(tx, { userId: task.userId, startedAt: run.startedAt, taskType: task.type, status, durationMs });
      await incrementCumulative(tx, engineOfDb(db), {
        jobsCompleted: outcome.ok ? 1 : 0,
        tasksSucceeded: status === "SUCCESS" ? 1 : 0,
        jobsFailed: outcome.ok ? 0 : 1,
        tasksTimedOut: status === "TIMED_OUT" ? 1 : 0,
      });
      return true;
    }),
  );
}

/** A run that finished, ready to be recorded. */
export type DoneRun = StartedRun & { logId: number; invoked: Invoked; finishedAt: Date };

/**
 * The run as the set-based path records it, or null when it takes the one-run path: the common case,
 * a success on a task that was ACTIVE when claimed, is recorded together with the others that finish
 * at the same moment; failures and state changes (a probe's success) take the one-run path.
 */
export function batchable(run: DoneRun): FinishedRun | null {
  const { task, invoked, finishedAt } = run;
  const { outcome } = invoked;
  if (!outcome.ok || task.status !== "ACTIVE") return null;
  return {
    logId: run.logId,
    taskId: task.id,
    userId: task.userId,
    taskType: task.type,
    trigger: run.trigger,
    attempt: task.attempt + 1,
    status: outcome.skipped ? "SKIPPED" : "SUCCESS",
    startedAt: run.startedAt,
    finishedAt,
    durationMs: finishedAt.getTime() - run.startedAt.getTime(),
    nextRunAt: soonerOf(
      nextRegularRun(
        {
          dueAt: task.nextRunAt,
          attempt: task.attempt,
          frequencyMinutes: task.frequencyMinutes,
          cronExpression: task.cronExpression,
          cronTimeZone: task.cronTimeZone,
        },
        run.trigger,
        finishedAt,
      ),
      outcome,
      finishedAt,
    ),
    result: outcome.result,
    dataSource: outcome.dataSource ?? null,
    skipped: outcome.skipped ?? null,
  };
}

/**
 * Queues finished runs to be recorded with the others that finish before the current write is done:
 * one transaction records all of them (recordFinishedRuns), so a burst of short runs costs a few
 * statements per batch instead of several per run. A second transaction may be in flight while the
 * first is, once half a batch is waiting: the database works on one while this process prepares the
 * next (their rows are distinct; the shared counters and rollup rows are locked last, in one order).
 */
export class RunBatcher {
  private static readonly BATCH = 500;
  private static readonly IN_FLIGHT = 2;
  private queue: { run: FinishedRun; done: (recorded: boolean) => void; failed: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private gathering = false;

  constructor(
    private readonly db: Db,
    private readonly engine: DbEngine,
    private readonly workerId: string,
    private readonly now: () => Date,
    private readonly hot: HotSql = hotSql(db),
  ) {}

  /** Resolves once its run is recorded: false when the run had already been closed. */
  record(run: FinishedRun): Promise<boolean> {
    return new Promise<boolean>((done, failed) => {
      this.queue.push({ run, done, failed });
      if (this.gathering) return;
      this.gathering = true;
      // Let the runs finishing now join before writing.
      setImmediate(() => {
        this.gathering = false;
        this.startWrites();
      });
    });
  }

  private startWrites() {
    while (
      this.queue.length > 0 &&
      (this.inFlight === 0 || (this.inFlight < RunBatcher.IN_FLIGHT && this.queue.length >= RunBatcher.BATCH / 2))
    ) {
      const batch = this.queue.splice(0, RunBatcher.BATCH);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.startWrites();
      });
    }
  }

  private async write(batch: RunBatcher["queue"]) {
    const runs = batch.map((b) => b.run);
    const succeeded = runs.filter((r) => r.userId && r.status === "SUCCESS").map((r) => r.taskId);
    try {
      const recorded = await withRetries(async () => {
        const now = this.now();
        // Tasks that ran well again close their "needs you" alerts: rare for a batch (its tasks were
        // ACTIVE), and written through Prisma, so only such a batch leaves the hot path.
        const alerted = await tasksAwaitingRecovery(this.hot.runner, this.engine, succeeded);
        if (alerted.length === 0)
          return this.hot.transaction((tx) => recordFinishedRuns(tx, this.engine, this.workerId, runs, now));
        return this.db.$transaction(async (tx) => {
          const done = await recordFinishedRuns(tx, this.engine, this.workerId, runs, now);
          const closing = new Set(runs.filter((r) => done.has(r.logId)).map((r) => r.taskId));
          await resolveTasksRecovered(
            tx,
            alerted.filter((id) => closing.has(id)),
            now,
          );
          return done;
        });
      });
      for (const b of batch) b.done(recorded.has(b.run.logId));
    } catch (error) {
      for (const b of batch) b.failed(error);
    }
  }
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

/** The CHECK_CYCLE event of one wake-up that found due work, and its counters, in one transaction. */
export async function recordCycle(
  db: Db,
  workerId: string,
  cycle: {
    cycleNumber: number;
    startedAt: Date;
    finishedAt: Date;
    claimed: ClaimedTask[];
    results: RunResult[];
    pollMs: number;
    activeRuns: () => number;
  },
): Promise<CycleSummary> {
  const { cycleNumber, startedAt, claimed, results } = cycle;
  const byType: Partial<Record<TaskType, number>> = {};
  for (const task of claimed) byType[task.type] = (byType[task.type] ?? 0) + 1;
  const skipped = results.filter((r) => r.status === "SKIPPED").length;
  const succeeded = results.filter((r) => r.status === "SUCCESS").length;
  const summary: CycleSummary = {
    cycleNumber,
    found: claimed.length,
    executed: claimed.length - skipped,
    succeeded,
    failed: claimed.length - skipped - succeeded,
    skipped,
    byType,
    durationMs: cycle.finishedAt.getTime() - startedAt.getTime(),
  };
  // Stamped when it is written (its runs' events came first), so the event log's ids and times agree.
  const finishedAt = new Date(startedAt.getTime() + summary.durationMs);
  await withRetries(() =>
    db.$transaction(async (tx) => {
      const event = await tx.schedulerEvent.create({
        data: {
          type: "CHECK_CYCLE",
          occurredAt: finishedAt,
          workerId,
          cycleNumber,
          checkIntervalMs: cycle.pollMs,
          tasksFound: summary.found,
          tasksExecuted: summary.executed,
          tasksFailed: summary.failed,
          tasksSkipped: summary.skipped,
          tasksByType: byType,
          durationMs: summary.durationMs,
          activeExecutions: cycle.activeRuns(),
        },
        select: { id: true },
      });
      await incrementCumulative(
        tx,
        engineOfDb(db),
        {
          totalCheckCycles: 1,
          tasksFound: summary.found,
          tasksExecuted: summary.executed,
          tasksFailed: summary.failed,
          tasksSkipped: summary.skipped,
        },
        { lastCheckCycleId: event.id, lastCheckCycleAt: finishedAt },
        finishedAt,
      );
    }),
  );
  return summary;
}

/**
 * Closes a run this worker gives up (shutdown): INTERRUPTED log, lease released, task due again.
 * Returns whether this closed the log (false when it was already closed, or never written).
 */
export async function recordInterrupted(db: Db, workerId: string, run: StartedRun, logId: number | null, now: Date) {
  const { task } = run;
  const durationMs = now.getTime() - run.startedAt.getTime();
  let closedLog = false;
  await db.$transaction(async (tx) => {
    if (logId !== null) {
      const closed = await tx.executionLog.updateMany({
        where: { id: logId, status: "RUNNING" },
        data: {
          status: "INTERRUPTED",
          finishedAt: now,
          durationMs,
          errorMessage: "interrupted: the worker shut down before the run finished",
        },
      });
      closedLog = closed.count === 1;
    }
    // nextRunAt is left as it was (due), so the next worker picks the task up at once.
    await tx.task.updateMany({
      where: { id: task.id, leaseOwner: workerId },
      data: { leaseOwner: null, leaseExpiresAt: null },
    });
    if (closedLog) {
      await tx.schedulerEvent.create({
        data: {
          type: "JOB_CANCELLED",
          runStatus: "INTERRUPTED",
          occurredAt: now,
          userId: task.userId,
          taskId: task.id,
          executionLogId: logId,
          workerId,
          jobKind: "RECURRING",
          data: { taskType: task.type, reason: "shutdown" },
        },
      });
      // The rollup before the counters, as every other writer does: two transactions never wait crosswise.
      await countRun(tx, {
        userId: task.userId,
        startedAt: run.startedAt,
        taskType: task.type,
        status: "INTERRUPTED",
        durationMs,
      });
      await incrementCumulative(tx, engineOfDb(db), { tasksInterrupted: 1 }, {}, now);
    }
  });
  return closedLog;
}
