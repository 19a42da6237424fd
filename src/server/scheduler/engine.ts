import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import type { ExecutionStatus, TaskType, TriggerKind } from "@/generated/sqlite/enums";
import { hotSql, type Db, type DbEngine, type HotSql } from "@/server/db";
import { liveBusFor, type LiveBus } from "@/server/live-bus";
import { logger } from "@/server/logger";
import { metrics } from "@/server/metrics";
import { openRuns } from "./batch";
import { claimDueTasks, earliestDue } from "./claim";
import { defaultEngineConfig, type EngineConfig } from "./config";
import {
  batchable,
  openRun,
  recordCycle,
  recordInterrupted,
  recordRun,
  RunBatcher,
  withRetries,
  type CycleSummary,
} from "./record";
import { recoverExpiredLeases, closeOrphanedRuns } from "./recovery";
import { invokeExecutor, type RunResult } from "./run";
import { systemClock, type ClaimedTask, type Clock, type ExecutorRegistry } from "./types";

export type { CycleSummary } from "./record";
export type { RunResult } from "./run";

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
 * The scheduler engine. `start()` runs a loop that wakes at the earliest due task (at most
 * `pollMs` apart), claims due work up to the global and per-type limits, runs each claim through
 * the executor registered for its type with a timeout (run.ts), and records every run (log, task
 * state, events, cumulative counters) in one transaction (record.ts). A heartbeat renews the leases
 * of runs in flight; expired leases of dead workers are recovered on start and periodically;
 * `stop()` drains.
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
  /** Successful runs of active tasks, recorded together. */
  private readonly batcher: RunBatcher;
  /** The claim, the RUNNING logs and the batches' transactions (on PostgreSQL straight on the pool). */
  private readonly hot: HotSql;
  /** Where runs starting and finishing are announced to the browsers (`live.events`). */
  private readonly live: LiveBus;
  /** Emits a task's id with its run when this process starts it (enqueueNow follows the loop's run). */
  private readonly started = new EventEmitter<Record<string, [Run]>>().setMaxListeners(0);
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
    this.hot = hotSql(this.db);
    this.batcher = new RunBatcher(this.db, this.dbEngine, this.workerId, () => this.clock.now(), this.hot);
    this.live = liveBusFor(this.db, this.dbEngine);
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
      const got = await claimDueTasks(this.hot.runner, this.dbEngine, {
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
      const got = await claimDueTasks(this.hot.runner, this.dbEngine, {
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
        this.hot.runner,
        this.dbEngine,
        this.workerId,
        claimed.map((t) => t.id),
        startedAt,
      ),
    );
    this.live.publish(
      claimed
        .filter((task) => opened.has(task.id))
        .map((task) => ({ kind: "run.started", userId: task.userId, taskId: task.id, logId: opened.get(task.id)! })),
    );
    const runs = claimed.map((task) => this.startRun(task, { logId: opened.get(task.id) ?? null, startedAt }));
    const done = Promise.all(runs.map((r) => r.result)).then(async (results) => {
      const summary = await recordCycle(this.db, this.workerId, {
        cycleNumber,
        startedAt,
        finishedAt: this.clock.now(),
        claimed,
        results,
        pollMs: this.config.pollMs,
        activeRuns: () => this.runs.size,
      });
      this.session.cycles++;
      this.session.found += summary.found;
      return summary;
    });
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
    this.started.emit(task.id, run); // an enqueueNow waiting for this task follows this run
    return run;
  }

  private async execute(
    run: Run,
    logReady: (id: number | null) => void,
    opened?: { logId: number | null },
  ): Promise<RunResult> {
    const { task } = run;
    // A run started alone (enqueueNow) writes its RUNNING log now, if its lease is still ours.
    const logId = opened
      ? opened.logId
      : await openRun(this.db, this.workerId, run, new Date(this.clock.now().getTime() + this.config.leaseMs));
    logReady(logId);
    if (logId === null) return { taskId: task.id, status: "SKIPPED", executionLogId: null };
    if (!opened) this.live.publish([{ kind: "run.started", userId: task.userId, taskId: task.id, logId }]);
    const invoked = await invokeExecutor(this.registry[task.type], task, {
      controller: run.controller,
      timeoutMs: this.config.timeoutMs,
      now: () => this.clock.now(),
    });
    const finishedAt = this.clock.now();
    const { status } = invoked;
    if (run.interrupted) return { taskId: task.id, status: "INTERRUPTED", executionLogId: logId };
    const done = { task, trigger: run.trigger, startedAt: run.startedAt, logId, invoked, finishedAt };
    const batched = batchable(done);
    const recorded = batched
      ? await this.batcher.record(batched)
      : await recordRun(this.db, this.workerId, { config: this.config, random: this.random }, done);
    if (recorded) {
      this.live.publish([{ kind: "run.finished", userId: task.userId, taskId: task.id, logId, status }]);
      this.countSession(status);
      metrics().runDuration.observe(
        { type: task.type, status },
        (finishedAt.getTime() - run.startedAt.getTime()) / 1000,
      );
    }
    return { taskId: task.id, status: recorded ? status : "INTERRUPTED", executionLogId: logId };
  }

  private countSession(status: ExecutionStatus) {
    // Every finished run, scheduled or asked for by hand, so executed = succeeded + failed + the rest.
    this.session.executed++;
    if (status === "SUCCESS") this.session.succeeded++;
    else if (status === "SKIPPED") this.session.skipped++;
    else if (status === "INTERRUPTED") this.session.interrupted++;
    else {
      this.session.failed++;
      if (status === "TIMED_OUT") this.session.timedOut++;
    }
  }

  /**
   * Starts a run of one queued task at once (a manual trigger or retry in this process), beyond the
   * concurrency limits, and returns its execution log id; null if another worker claimed it first.
   */
  async enqueueNow(taskId: string): Promise<number | null> {
    if (this.stateValue !== "running") return null;
    const inFlight = this.runs.get(taskId);
    if (inFlight) return inFlight.logId;
    const [task] = await claimDueTasks(this.hot.runner, this.dbEngine, {
      workerId: this.workerId,
      now: this.clock.now(),
      leaseMs: this.config.leaseMs,
      limit: 1,
      taskId,
    });
    if (task) return this.startRun(task).logId;
    // The loop of this process may have claimed it a moment earlier: follow that run once it starts.
    const run = this.runs.get(taskId) ?? (await this.startOf(taskId, 2000));
    return run ? run.logId : null;
  }

  /** The run of this task once this process starts it, or null after `timeoutMs`. */
  private startOf(taskId: string, timeoutMs: number): Promise<Run | null> {
    return new Promise((resolve) => {
      const onStart = (run: Run) => {
        clearTimeout(timer);
        resolve(run);
      };
      const timer = setTimeout(() => {
        this.started.off(taskId, onStart);
        resolve(null);
      }, timeoutMs);
      this.started.once(taskId, onStart);
    });
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

  /** Gives up a run (shutdown): aborts it, closes its log as INTERRUPTED and releases its lease. */
  private async interrupt(run: Run): Promise<void> {
    run.interrupted = true;
    run.controller.abort(new Error("scheduler shutting down"));
    const logId = await run.logId;
    const closedLog = await recordInterrupted(this.db, this.workerId, run, logId, this.clock.now());
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
      onRecovered: (task) => this.live.publish([{ kind: "changed", userId: task.userId, taskId: task.id }]),
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
