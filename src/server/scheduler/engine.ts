import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ExecutionStatus, TaskType, TriggerKind } from "@/generated/sqlite/enums";
import { Prisma } from "@/generated/sqlite/client";
import type { Db, DbEngine } from "@/server/db";
import { logger } from "@/server/logger";
import { metrics } from "@/server/metrics";
import { claimDueTasks, earliestDue } from "./claim";
import { defaultEngineConfig, type EngineConfig } from "./config";
import { openRuns, recordFinishedRuns, type FinishedRun } from "./batch";
import { applyFailure, CLEARED_FAILURE_STATE, heldStatus } from "./failure";
import { recoverExpiredLeases, closeOrphanedRuns } from "./recovery";
import { countRun, incrementCumulative } from "./stats";
import { systemClock, type ClaimedTask, type Clock, type ExecutionOutcome, type ExecutorRegistry } from "./types";

export interface EngineOptions {
  db: Db;
  engine: DbEngine;
  registry: ExecutorRegistry;
  config?: Partial<EngineConfig>;
  clock?: Clock;
  workerId?: string;
  /** Where the engine runs: inside the web server or in `npm run worker`. */
  kind?: "web" | "worker";
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

export interface RunResult {
  taskId: string;
  status: ExecutionStatus;
  executionLogId: number | null;
}

interface Run {
  task: ClaimedTask;
  trigger: TriggerKind;
  controller: AbortController;
  /** Resolves with the RUNNING log's id once it is written (null if that failed). */
  logId: Promise<number | null>;
  startedAt: Date;
  result: Promise<RunResult>;
  interrupt: (result: RunResult) => void;
  interrupted: boolean;
}

export interface SessionStats {
  startedAt: Date | null;
  cycles: number;
  found: number;
  executed: number;
  succeeded: number;
  failed: number;
  skipped: number;
  timedOut: number;
  interrupted: number;
  leasesRecovered: number;
}

export type EngineState = "idle" | "running" | "stopping" | "stopped";

/**
 * Retries a database write with a growing pause (200 ms, 400 ms, ... at most 5 s apart) for up to
 * `budgetMs`: long enough to ride out a database restart, so a finished run is still recorded.
 */
async function withRetries<T>(write: () => Promise<T>, budgetMs = 60_000): Promise<T> {
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

/**
 * The scheduler engine. `start()` runs a loop that wakes at the earliest due task (at most
 * `pollMs` apart), claims due work up to the global and per-type limits, runs each claim through
 * the executor registered for its type with a timeout, and records every run (log, task state,
 * events, cumulative counters) in one transaction. A heartbeat renews the leases of runs in
 * flight; expired leases of dead workers are recovered on start and periodically; `stop()` drains.
 */
export class SchedulerEngine {
  readonly workerId: string;
  readonly config: EngineConfig;
  readonly kind: "web" | "worker";
  private readonly db: Db;
  private readonly dbEngine: DbEngine;
  private readonly registry: ExecutorRegistry;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly runs = new Map<string, Run>();
  private readonly pendingWrites = new Set<Promise<unknown>>();
  /** Successful runs waiting to be recorded together (see recordBatched). */
  private finished: { run: FinishedRun; done: (recorded: boolean) => void; failed: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private cycleNumber = 0;
  private stateValue: EngineState = "idle";
  private loopTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private wakeRequested = false;
  private nextRecoveryAt = 0;
  private stopping: Promise<void> | null = null;
  private consecutiveLoopErrors = 0;
  /** Since this process started; the cumulative row holds the all-time numbers. */
  readonly session: SessionStats = {
    startedAt: null,
    cycles: 0,
    found: 0,
    executed: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    timedOut: 0,
    interrupted: 0,
    leasesRecovered: 0,
  };

  constructor(options: EngineOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.config = { ...defaultEngineConfig, ...options.config };
    this.kind = options.kind ?? "worker";
    this.db = options.db;
    this.dbEngine = options.engine;
    this.registry = options.registry;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  get state(): EngineState {
    return this.stateValue;
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  /** The runs in flight in this process, for the dashboard's "active jobs". */
  inFlight() {
    return [...this.runs.values()].map((r) => ({
      taskId: r.task.id,
      userId: r.task.userId,
      type: r.task.type,
      trigger: r.trigger,
      startedAt: r.startedAt,
    }));
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  async start(): Promise<void> {
    if (this.stateValue !== "idle") return;
    this.stateValue = "running";
    const now = this.clock.now();
    this.session.startedAt = now;
    await this.db.worker.upsert({
      where: { id: this.workerId },
      create: {
        id: this.workerId,
        hostname: hostname(),
        pid: process.pid,
        kind: this.kind,
        startedAt: now,
        lastSeenAt: now,
      },
      update: { lastSeenAt: now, stoppedAt: null },
    });
    await this.db.schedulerEvent.create({
      data: {
        type: "START",
        occurredAt: now,
        workerId: this.workerId,
        data: { kind: this.kind, pid: process.pid, config: this.publicConfig() },
      },
    });
    await this.recover();
    this.heartbeatTimer = setInterval(
      () => void this.heartbeat().catch((error: unknown) => this.logError(error, "heartbeat failed")),
      this.config.heartbeatMs,
    );
    this.schedule(0);
    logger.info(
      { workerId: this.workerId, kind: this.kind, concurrency: this.config.concurrency },
      "scheduler started",
    );
  }

  /**
   * Graceful stop: claim nothing more, let runs in flight finish for up to `graceMs`, then abort the
   * rest, record them as INTERRUPTED and release their leases so another worker runs them at once.
   */
  stop(graceMs: number = this.config.shutdownGraceMs): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.stateValue !== "running") {
      this.stateValue = "stopped";
      return Promise.resolve();
    }
    this.stateValue = "stopping";
    this.stopping = this.drain(graceMs);
    return this.stopping;
  }

  private async drain(graceMs: number) {
    clearTimeout(this.loopTimer);
    clearInterval(this.heartbeatTimer);
    if (this.ticking) await this.ticking.catch(() => undefined);
    const inFlight = [...this.runs.values()];
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(inFlight.map((r) => r.result)),
      new Promise((resolve) => {
        graceTimer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(graceTimer);
    const left = [...this.runs.values()];
    await Promise.allSettled(left.map((run) => this.interrupt(run)));
    await Promise.allSettled([...this.pendingWrites]);
    const now = this.clock.now();
    try {
      await this.db.schedulerEvent.create({
        data: {
          type: "STOP",
          occurredAt: now,
          workerId: this.workerId,
          data: {
            interrupted: left.length,
            session: { ...this.session, startedAt: this.session.startedAt?.toISOString() },
          },
        },
      });
      await this.db.worker.updateMany({
        where: { id: this.workerId },
        data: { stoppedAt: now, lastSeenAt: now, activeRuns: 0 },
      });
    } catch (error) {
      this.logError(error, "recording the stop failed");
    }
    this.stateValue = "stopped";
    logger.info({ workerId: this.workerId, interrupted: left.length }, "scheduler stopped");
  }

  /** Look for due work now (a manual trigger, a retry, a freed slot) instead of at the next wake-up. */
  wake(): void {
    if (this.stateValue !== "running") return;
    if (this.ticking) this.wakeRequested = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number) {
    clearTimeout(this.loopTimer);
    if (this.stateValue !== "running") return;
    this.loopTimer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
      });
    }, delayMs);
  }

  /** One turn of the loop: recovery when it is time, claim and start due work, sleep until the next due time. */
  private async tick(): Promise<void> {
    let delay = this.config.pollMs;
    this.wakeRequested = false;
    try {
      if (this.clock.now().getTime() >= this.nextRecoveryAt) await this.recover();
      const started = await this.claimAndStart();
      if (started) this.track(started.done);
      delay = await this.nextDelay(started?.claimedAll ?? false);
      this.consecutiveLoopErrors = 0;
    } catch (error) {
      // The database may be briefly unreachable: back off (up to 30 s) and keep going.
      this.consecutiveLoopErrors++;
      delay = Math.min(30_000, this.config.pollMs * 2 ** this.consecutiveLoopErrors);
      this.logError(error, "scheduler loop failed");
    }
    if (this.wakeRequested) delay = 0;
    this.schedule(delay);
  }

  /** Until the earliest due task (0 if more is due and a slot is free), at most `pollMs`. */
  private async nextDelay(moreMayBeDue: boolean): Promise<number> {
    const full = this.fullTypes();
    if (full === "all") return this.config.pollMs; // a finishing run wakes the loop
    if (moreMayBeDue) return 0;
    const next = await earliestDue(this.db, full);
    if (!next) return this.config.pollMs;
    return Math.max(0, Math.min(this.config.pollMs, next.getTime() - this.clock.now().getTime()));
  }

  /** Types with no free slot ("all" when the global limit is reached). */
  private fullTypes(): TaskType[] | "all" {
    if (this.runs.size >= this.config.concurrency) return "all";
    const full: TaskType[] = [];
    for (const [type, limit] of Object.entries(this.config.typeConcurrency) as [TaskType, number][]) {
      if (this.inFlightOf(type) >= limit) full.push(type);
    }
    return full;
  }

  private inFlightOf(type: TaskType): number {
    let n = 0;
    for (const run of this.runs.values()) if (run.task.type === type) n++;
    return n;
  }

  private track(write: Promise<unknown>) {
    const tracked = write
      .catch((error: unknown) => this.logError(error, "recording a cycle failed"))
      .finally(() => this.pendingWrites.delete(tracked));
    this.pendingWrites.add(tracked);
  }

  // ---------------------------------------------------------------------------------------------
  // Claiming and running

  /** One wake-up run to completion: claim, run, record the CHECK_CYCLE event. Null when nothing was due. */
  async runCycle(): Promise<CycleSummary | null> {
    const started = await this.claimAndStart();
    return started ? started.done : null;
  }

  private async claimAndStart(): Promise<{ done: Promise<CycleSummary>; claimedAll: boolean } | null> {
    const startedAt = this.clock.now();
    let free = Math.min(this.config.concurrency - this.runs.size, this.config.claimBatch);
    if (free <= 0) return null;
    const claimed: ClaimedTask[] = [];
    const limited = Object.entries(this.config.typeConcurrency) as [TaskType, number][];
    let claimedAll = false;
    for (const [type, limit] of limited) {
      const slots = Math.min(free, limit - this.inFlightOf(type) - claimed.filter((t) => t.type === type).length);
      if (slots <= 0) continue;
      const got = await claimDueTasks(this.db, this.dbEngine, {
        workerId: this.workerId,
        now: startedAt,
        leaseMs: this.config.leaseMs,
        limit: slots,
        types: { in: [type] },
      });
      claimed.push(...got);
      free -= got.length;
      if (got.length === slots) claimedAll = true;
    }
    if (free > 0) {
      const got = await claimDueTasks(this.db, this.dbEngine, {
        workerId: this.workerId,
        now: startedAt,
        leaseMs: this.config.leaseMs,
        limit: free,
        types: { notIn: limited.map(([type]) => type) },
      });
      claimed.push(...got);
      if (got.length === free) claimedAll = true;
    }
    if (claimed.length === 0) return null; // a cycle is a wake-up that found due work
    const cycleNumber = ++this.cycleNumber;
    // Every RUNNING log of the claim in one statement, only for tasks whose lease is still ours.
    const opened = await withRetries(() =>
      openRuns(
        this.db,
        this.dbEngine,
        this.workerId,
        claimed.map((t) => t.id),
        startedAt,
      ),
    );
    const runs = claimed.map((task) => this.startRun(task, { logId: opened.get(task.id) ?? null, startedAt }));
    const done = Promise.all(runs.map((r) => r.result)).then((results) =>
      this.recordCycle(cycleNumber, startedAt, claimed, results),
    );
    return { done, claimedAll };
  }

  /** `opened`: the RUNNING log was already written with the claim (null: the lease was lost meanwhile). */
  private startRun(task: ClaimedTask, opened?: { logId: number | null; startedAt: Date }): Run {
    const controller = new AbortController();
    let interrupt!: (result: RunResult) => void;
    const interrupted = new Promise<RunResult>((resolve) => {
      interrupt = resolve;
    });
    let logReady!: (id: number | null) => void;
    const run: Run = {
      task,
      trigger: task.pendingTrigger ?? "SCHEDULED",
      controller,
      logId: new Promise((resolve) => {
        logReady = resolve;
      }),
      startedAt: opened?.startedAt ?? this.clock.now(),
      result: Promise.resolve({ taskId: task.id, status: "RUNNING", executionLogId: null }),
      interrupt,
      interrupted: false,
    };
    const executed = this.execute(run, logReady, opened).catch((error: unknown): RunResult => {
      // Only a database failure gets here; the lease then expires and recovery re-runs the task.
      logReady(null);
      this.logError(error, "recording a run failed", { taskId: task.id });
      return { taskId: task.id, status: "FAILED", executionLogId: null };
    });
    run.result = Promise.race([executed, interrupted]).finally(() => {
      this.runs.delete(task.id);
      this.wake(); // a slot is free
    });
    this.runs.set(task.id, run);
    return run;
  }

  private async execute(
    run: Run,
    logReady: (id: number | null) => void,
    opened?: { logId: number | null },
  ): Promise<RunResult> {
    const { task } = run;
    // The RUNNING log is written only while the lease is still ours (renewed here): a claim that
    // waited so long that its lease was recovered must not run a second time.
    const log = opened
      ? opened.logId === null
        ? null
        : { id: opened.logId }
      : await this.db.$transaction(async (tx) => {
          const held = await tx.task.updateMany({
            where: { id: task.id, leaseOwner: this.workerId },
            data: { leaseExpiresAt: new Date(this.clock.now().getTime() + this.config.leaseMs) },
          });
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
              workerId: this.workerId,
            },
            select: { id: true },
          });
        });
    logReady(log?.id ?? null);
    if (!log) return { taskId: task.id, status: "SKIPPED", executionLogId: null };
    const { outcome, timedOut } = await this.invoke(run);
    const finishedAt = this.clock.now();
    const status: ExecutionStatus = outcome.ok
      ? outcome.skipped
        ? "SKIPPED"
        : "SUCCESS"
      : timedOut
        ? "TIMED_OUT"
        : "FAILED";
    if (run.interrupted) return { taskId: task.id, status: "INTERRUPTED", executionLogId: log.id };
    // The common case, a success on an active task, is recorded together with the others that
    // finished at the same moment; failures and state changes take the one-run path with its rules.
    const recorded =
      outcome.ok && task.status === "ACTIVE"
        ? await this.recordBatched({
            logId: log.id,
            taskId: task.id,
            userId: task.userId,
            taskType: task.type,
            trigger: run.trigger,
            attempt: task.attempt + 1,
            status: outcome.skipped ? "SKIPPED" : "SUCCESS",
            startedAt: run.startedAt,
            finishedAt,
            durationMs: finishedAt.getTime() - run.startedAt.getTime(),
            nextRunAt: this.nextRegularRun(task, run.trigger, task.frequencyMinutes, finishedAt),
            result: outcome.result,
            dataSource: outcome.dataSource ?? null,
            skipped: outcome.skipped ?? null,
          })
        : await this.record(run, log.id, status, outcome, finishedAt);
    return { taskId: task.id, status: recorded ? status : "INTERRUPTED", executionLogId: log.id };
  }

  /** Runs the executor with the per-run timeout; a thrown error is an unknown, retryable failure. */
  private async invoke(run: Run): Promise<{ outcome: ExecutionOutcome; timedOut: boolean }> {
    const executor = this.registry[run.task.type];
    if (!executor) {
      return {
        outcome: {
          ok: false,
          category: "CONFIG_ERROR",
          message: `no executor registered for ${run.task.type}`,
          retryable: false,
        },
        timedOut: false,
      };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.config.timeoutMs);
    });
    try {
      const result = await Promise.race([
        executor(run.task, { signal: run.controller.signal, now: () => this.clock.now() }),
        timeout,
      ]);
      if (result === "timeout") {
        run.controller.abort(new Error("timed out"));
        return {
          outcome: {
            ok: false,
            category: "TIMEOUT",
            message: `timed out after ${this.config.timeoutMs} ms`,
            retryable: true,
          },
          timedOut: true,
        };
      }
      return { outcome: result, timedOut: false };
    } catch (error) {
      return {
        outcome: {
          ok: false,
          category: "UNKNOWN",
          message: (error as Error)?.message || String(error),
          retryable: true,
        },
        timedOut: false,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The run's final log, the task's next state, its job events and the counters: one transaction.
   * Returns false when the run had already been closed (recovered as lost, or interrupted).
   */
  private async record(
    run: Run,
    logId: number,
    status: ExecutionStatus,
    outcome: ExecutionOutcome,
    finishedAt: Date,
  ): Promise<boolean> {
    const { task } = run;
    const durationMs = finishedAt.getTime() - run.startedAt.getTime();
    // A finished run must not go unrecorded over a passing database hiccup: retry the transaction.
    const recorded = await withRetries(() =>
      this.db.$transaction(async (tx) => {
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
            leaseOwner: true,
          },
        });
        const extraEvents: Prisma.SchedulerEventCreateManyInput[] = [];
        // Only the lease holder moves the task on; a recovered lease belongs to someone else now.
        if (current && current.leaseOwner === this.workerId) {
          const common = {
            lastRunAt: run.startedAt,
            lastOutcome: status,
            leaseOwner: null,
            leaseExpiresAt: null,
            pendingTrigger: null,
            runCount: { increment: 1 },
          };
          let data: Prisma.TaskUpdateInput;
          if (outcome.ok) {
            data = {
              ...common,
              status: heldStatus(current.status) ?? "ACTIVE",
              lastSuccessAt: finishedAt,
              nextRunAt: this.nextRegularRun(task, run.trigger, current.frequencyMinutes, finishedAt),
              ...CLEARED_FAILURE_STATE,
            };
            if (current.status === "NEEDS_INTERVENTION") {
              extraEvents.push({
                type: "TASK_RELEASED",
                occurredAt: finishedAt,
                userId: task.userId,
                taskId: task.id,
                workerId: this.workerId,
                data: { reason: "probe succeeded", trigger: run.trigger },
              });
            }
          } else {
            const t = applyFailure(current, outcome, finishedAt, this.config, this.random);
            const regular =
              t.kind === "task_failure"
                ? this.nextRegularRun(task, run.trigger, current.frequencyMinutes, finishedAt)
                : null;
            data = {
              ...common,
              status: heldStatus(current.status) ?? t.status,
              lastFailureAt: finishedAt,
              failureReason: outcome.message.slice(0, 1000),
              failureCategory: outcome.category,
              // A failure that names when the API serves again (a quota's reset) is not run before it.
              nextRunAt: regular
                ? outcome.resumeAt && outcome.resumeAt > regular
                  ? outcome.resumeAt
                  : regular
                : t.nextRunAt,
              attempt: t.attempt,
              consecutiveFailures: t.consecutiveFailures,
              coolOffCount: t.coolOffCount,
              coolOffUntil: t.coolOffUntil,
              failureHistory: t.failureHistory as unknown as Prisma.InputJsonValue,
              failurePattern: t.failurePattern ? (t.failurePattern as unknown as Prisma.InputJsonValue) : undefined,
            };
            if (t.kind === "cooled_off" || t.kind === "cool_off_extended") {
              extraEvents.push({
                type: "TASK_COOLED_OFF",
                occurredAt: finishedAt,
                userId: task.userId,
                taskId: task.id,
                workerId: this.workerId,
                errorMessage: outcome.message.slice(0, 1000),
                data: {
                  kind: t.kind,
                  coolOffUntil: t.coolOffUntil?.toISOString() ?? null,
                  coolOffCount: t.coolOffCount,
                  consecutive: t.consecutiveFailures,
                  recent: t.failureHistory.length,
                },
              });
            }
          }
          await tx.task.update({ where: { id: task.id }, data });
        }
        await tx.schedulerEvent.create({
          data: {
            type: outcome.ok ? "JOB_COMPLETED" : "JOB_FAILED",
            runStatus: status,
            occurredAt: finishedAt,
            userId: task.userId,
            taskId: task.id,
            executionLogId: logId,
            workerId: this.workerId,
            // A run asked for by hand (manual trigger, retry) is a one-time job; the schedule's are recurring.
            jobKind: run.trigger === "SCHEDULED" ? "RECURRING" : "ONE_TIME",
            durationMs,
            errorMessage: outcome.ok ? null : outcome.message.slice(0, 1000),
            data: { taskType: task.type, trigger: run.trigger, attempt: task.attempt + 1 },
          },
        });
        if (extraEvents.length) await tx.schedulerEvent.createMany({ data: extraEvents });
        await countRun(tx, { userId: task.userId, startedAt: run.startedAt, taskType: task.type, status, durationMs });
        await incrementCumulative(tx, {
          jobsCompleted: outcome.ok ? 1 : 0,
          tasksSucceeded: status === "SUCCESS" ? 1 : 0,
          jobsFailed: outcome.ok ? 0 : 1,
          tasksTimedOut: status === "TIMED_OUT" ? 1 : 0,
        });
        return true;
      }),
    );
    if (recorded) {
      this.countSession(status);
      metrics().runDuration.observe({ type: task.type, status }, durationMs / 1000);
    }
    return recorded;
  }

  /**
   * Queues a finished run to be recorded with the others that finish before the current write is
   * done: one transaction records all of them (recordFinishedRuns), so a burst of short runs costs a
   * few statements per batch instead of several per run. Resolves once its run is recorded.
   */
  private recordBatched(run: FinishedRun): Promise<boolean> {
    return new Promise<boolean>((done, failed) => {
      this.finished.push({ run, done, failed });
      if (!this.flushing) this.flushing = this.flushFinished();
    }).then((recorded) => {
      if (recorded) {
        this.countSession(run.status);
        metrics().runDuration.observe({ type: run.taskType, status: run.status }, run.durationMs / 1000);
      }
      return recorded;
    });
  }

  private async flushFinished(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // let the runs finishing now join
    while (this.finished.length) {
      const batch = this.finished.splice(0, 500);
      try {
        const recorded = await withRetries(() =>
          this.db.$transaction((tx) =>
            recordFinishedRuns(
              tx,
              this.dbEngine,
              this.workerId,
              batch.map((b) => b.run),
              this.clock.now(),
            ),
          ),
        );
        for (const b of batch) b.done(recorded.has(b.run.logId));
      } catch (error) {
        for (const b of batch) b.failed(error);
      }
    }
    this.flushing = null;
  }

  /**
   * The next regular run keeps to the task's own rhythm (due time + frequency) so that small delays
   * do not add up; a run that was very late, or asked for by hand, restarts the rhythm from now.
   */
  private nextRegularRun(task: ClaimedTask, trigger: TriggerKind, frequencyMinutes: number, finishedAt: Date): Date {
    const step = frequencyMinutes * 60_000;
    const fromDue =
      trigger === "SCHEDULED" && task.attempt === 0 && task.nextRunAt ? task.nextRunAt.getTime() + step : 0;
    return new Date(fromDue > finishedAt.getTime() ? fromDue : finishedAt.getTime() + step);
  }

  private countSession(status: ExecutionStatus) {
    if (status === "SUCCESS") this.session.succeeded++;
    else if (status === "SKIPPED") this.session.skipped++;
    else if (status === "INTERRUPTED") this.session.interrupted++;
    else {
      this.session.failed++;
      if (status === "TIMED_OUT") this.session.timedOut++;
    }
  }

  /** The CHECK_CYCLE event and its counters, in one transaction. */
  private async recordCycle(
    cycleNumber: number,
    startedAt: Date,
    claimed: ClaimedTask[],
    results: RunResult[],
  ): Promise<CycleSummary> {
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
      durationMs: this.clock.now().getTime() - startedAt.getTime(),
    };
    // Stamped when it is written (its runs' events came first), so the event log's ids and times agree.
    const finishedAt = new Date(startedAt.getTime() + summary.durationMs);
    await withRetries(() =>
      this.db.$transaction(async (tx) => {
        const event = await tx.schedulerEvent.create({
          data: {
            type: "CHECK_CYCLE",
            occurredAt: finishedAt,
            workerId: this.workerId,
            cycleNumber,
            checkIntervalMs: this.config.pollMs,
            tasksFound: summary.found,
            tasksExecuted: summary.executed,
            tasksFailed: summary.failed,
            tasksSkipped: summary.skipped,
            tasksByType: byType,
            durationMs: summary.durationMs,
            activeExecutions: this.runs.size,
          },
          select: { id: true },
        });
        await incrementCumulative(
          tx,
          {
            totalCheckCycles: 1,
            tasksFound: summary.found,
            tasksExecuted: summary.executed,
            tasksFailed: summary.failed,
            tasksSkipped: summary.skipped,
          },
          { lastCheckCycleId: event.id, lastCheckCycleAt: finishedAt },
        );
      }),
    );
    this.session.cycles++;
    this.session.found += summary.found;
    this.session.executed += summary.executed;
    return summary;
  }

  /**
   * Starts a run of one queued task at once (a manual trigger or retry in this process), beyond the
   * concurrency limits, and returns its execution log id; null if another worker claimed it first.
   */
  async enqueueNow(taskId: string): Promise<number | null> {
    if (this.stateValue !== "running") return null;
    const inFlight = this.runs.get(taskId);
    if (inFlight) return inFlight.logId;
    const [task] = await claimDueTasks(this.db, this.dbEngine, {
      workerId: this.workerId,
      now: this.clock.now(),
      leaseMs: this.config.leaseMs,
      limit: 1,
      taskId,
    });
    if (task) return this.startRun(task).logId;
    // The loop of this process may have claimed it a moment earlier: follow that run.
    for (let waited = 0; waited < 2000; waited += 20) {
      const run = this.runs.get(taskId);
      if (run) return run.logId;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Leases: heartbeat, interruption, recovery

  /** Renews the leases of this worker's runs in flight and marks the worker as alive. */
  async heartbeat(): Promise<void> {
    const now = this.clock.now();
    const ids = [...this.runs.keys()];
    if (ids.length) {
      await this.db.task.updateMany({
        where: { id: { in: ids }, leaseOwner: this.workerId },
        data: { leaseExpiresAt: new Date(now.getTime() + this.config.leaseMs) },
      });
    }
    await this.db.worker.updateMany({
      where: { id: this.workerId },
      data: { lastSeenAt: now, activeRuns: ids.length, cycleNumber: this.cycleNumber },
    });
  }

  /** Closes a run this worker gives up (shutdown): INTERRUPTED log, lease released, task due again. */
  private async interrupt(run: Run): Promise<void> {
    run.interrupted = true;
    run.controller.abort(new Error("scheduler shutting down"));
    const logId = await run.logId;
    const now = this.clock.now();
    let closedLog = false;
    await this.db.$transaction(async (tx) => {
      if (logId !== null) {
        const closed = await tx.executionLog.updateMany({
          where: { id: logId, status: "RUNNING" },
          data: {
            status: "INTERRUPTED",
            finishedAt: now,
            durationMs: now.getTime() - run.startedAt.getTime(),
            errorMessage: "interrupted: the worker shut down before the run finished",
          },
        });
        closedLog = closed.count === 1;
      }
      // nextRunAt is left as it was (due), so the next worker picks the task up at once.
      await tx.task.updateMany({
        where: { id: run.task.id, leaseOwner: this.workerId },
        data: { leaseOwner: null, leaseExpiresAt: null },
      });
      if (closedLog) {
        await tx.schedulerEvent.create({
          data: {
            type: "JOB_CANCELLED",
            runStatus: "INTERRUPTED",
            occurredAt: now,
            userId: run.task.userId,
            taskId: run.task.id,
            executionLogId: logId,
            workerId: this.workerId,
            jobKind: "RECURRING",
            data: { taskType: run.task.type, reason: "shutdown" },
          },
        });
        await incrementCumulative(tx, { tasksInterrupted: 1 });
        await countRun(tx, {
          userId: run.task.userId,
          startedAt: run.startedAt,
          taskType: run.task.type,
          status: "INTERRUPTED",
          durationMs: now.getTime() - run.startedAt.getTime(),
        });
      }
    });
    if (closedLog) this.countSession("INTERRUPTED");
    run.interrupt({ taskId: run.task.id, status: "INTERRUPTED", executionLogId: logId });
  }

  /** Recovers the runs of dead workers (expired leases) and closes orphaned RUNNING logs. */
  async recover(): Promise<number> {
    const now = this.clock.now();
    this.nextRecoveryAt = now.getTime() + this.config.recoveryIntervalMs;
    const recovered = await recoverExpiredLeases(this.db, {
      now,
      config: this.config,
      random: this.random,
      recoveredBy: this.workerId,
    });
    await closeOrphanedRuns(this.db, { now, olderThanMs: this.config.leaseMs, recoveredBy: this.workerId });
    this.session.leasesRecovered += recovered;
    if (recovered > 0) logger.warn({ workerId: this.workerId, recovered }, "recovered the runs of a lost worker");
    return recovered;
  }

  private publicConfig() {
    return { ...this.config };
  }

  private logError(error: unknown, message: string, fields: Record<string, unknown> = {}) {
    logger.error({ ...fields, workerId: this.workerId, error: (error as Error)?.message ?? String(error) }, message);
  }
}
