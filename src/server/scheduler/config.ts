import type { TaskType } from "@/generated/sqlite/enums";
import { DEFAULT_TYPE_CONCURRENCY, type SchedulerEnv } from "@/server/config/scheduler";

/** Every knob of the engine, with the defaults a production instance runs with. */
export interface EngineConfig {
  /** Runs in flight at once in this process, across all task types. */
  concurrency: number;
  /**
   * Most tasks one claim takes. Below `concurrency`, the next claim (and its RUNNING logs) overlaps
   * with the recording of the runs claimed before.
   */
  claimBatch: number;
  /** Runs in flight at once in this process for one task type (types not listed: only the global limit). */
  typeConcurrency: Partial<Record<TaskType, number>>;
  /** How long a claim is valid; renewed by the heartbeat while the run lasts. */
  leaseMs: number;
  heartbeatMs: number;
  /** How often expired leases (dead workers) are looked for. */
  recoveryIntervalMs: number;
  /** The longest the loop sleeps; it wakes earlier for the earliest due task or a trigger. */
  pollMs: number;
  /** A run that takes longer ends as TIMED_OUT. */
  timeoutMs: number;
  /** On SIGTERM/SIGINT: how long in-flight runs may finish before they are interrupted. */
  shutdownGraceMs: number;
  /** Attempts per due time for retryable failures (1 = no retry). */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** A task needs intervention after this many task failures in a row ... */
  interventionConsecutive: number;
  /** ... or this many within the window. */
  interventionRecent: number;
  interventionWindowMs: number;
  /** First cool-off; each failed probe doubles it, up to the cap. */
  coolOffMs: number;
  coolOffCapMs: number;
}

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

export const defaultEngineConfig: EngineConfig = {
  concurrency: 10,
  claimBatch: 500,
  typeConcurrency: { ...DEFAULT_TYPE_CONCURRENCY },
  leaseMs: 60_000,
  heartbeatMs: 20_000,
  recoveryIntervalMs: 15_000,
  pollMs: 1_000,
  timeoutMs: 5 * 60_000,
  shutdownGraceMs: 10_000,
  maxAttempts: 3,
  backoffBaseMs: 30_000,
  backoffCapMs: HOUR,
  interventionConsecutive: 3,
  interventionRecent: 5,
  interventionWindowMs: 7 * DAY,
  coolOffMs: 6 * HOUR,
  coolOffCapMs: 7 * DAY,
};

export function engineConfigFromEnv(e: SchedulerEnv): EngineConfig {
  const leaseMs = e.SCHEDULER_LEASE_MS ?? defaultEngineConfig.leaseMs;
  return {
    concurrency: e.SCHEDULER_CONCURRENCY ?? defaultEngineConfig.concurrency,
    claimBatch: e.SCHEDULER_CLAIM_BATCH ?? defaultEngineConfig.claimBatch,
    typeConcurrency: e.SCHEDULER_TYPE_CONCURRENCY ?? defaultEngineConfig.typeConcurrency,
    leaseMs,
    // Heartbeat and recovery follow a shortened lease unless set on their own.
    heartbeatMs: e.SCHEDULER_HEARTBEAT_MS ?? Math.min(defaultEngineConfig.heartbeatMs, Math.floor(leaseMs / 3)),
    recoveryIntervalMs:
      e.SCHEDULER_RECOVERY_INTERVAL_MS ?? Math.min(defaultEngineConfig.recoveryIntervalMs, Math.floor(leaseMs / 2)),
    pollMs: e.SCHEDULER_POLL_MS ?? defaultEngineConfig.pollMs,
    timeoutMs: e.SCHEDULER_TIMEOUT_MS ?? defaultEngineConfig.timeoutMs,
    shutdownGraceMs: e.SCHEDULER_SHUTDOWN_GRACE_MS ?? defaultEngineConfig.shutdownGraceMs,
    maxAttempts: e.SCHEDULER_MAX_ATTEMPTS ?? defaultEngineConfig.maxAttempts,
    backoffBaseMs: e.SCHEDULER_BACKOFF_BASE_MS ?? defaultEngineConfig.backoffBaseMs,
    backoffCapMs: e.SCHEDULER_BACKOFF_CAP_MS ?? defaultEngineConfig.backoffCapMs,
    interventionConsecutive: e.SCHEDULER_INTERVENTION_CONSECUTIVE ?? defaultEngineConfig.interventionConsecutive,
    interventionRecent: e.SCHEDULER_INTERVENTION_RECENT ?? defaultEngineConfig.interventionRecent,
    interventionWindowMs: e.SCHEDULER_INTERVENTION_WINDOW_MS ?? defaultEngineConfig.interventionWindowMs,
    coolOffMs: e.SCHEDULER_COOLOFF_MS ?? defaultEngineConfig.coolOffMs,
    coolOffCapMs: e.SCHEDULER_COOLOFF_CAP_MS ?? defaultEngineConfig.coolOffCapMs,
  };
}
