import type { FailureCategory, TaskStatus, TaskType, TriggerKind } from "@/generated/sqlite/enums";
import type { Prisma } from "@/generated/sqlite/client";

/** Time is injected so the engine can be tested without sleeping. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What the engine hands an executor: the claimed task and a signal that fires on timeout or shutdown. */
export interface ClaimedTask {
  id: string;
  userId: string | null;
  type: TaskType;
  status: TaskStatus;
  platform: string | null;
  websiteUrl: string | null;
  connectionId: string | null;
  frequencyMinutes: number;
  /** A cron schedule (read in cronTimeZone) instead of the interval; see src/lib/schedule.ts. */
  cronExpression: string | null;
  cronTimeZone: string | null;
  nextRunAt: Date | null;
  payload: Prisma.JsonValue | null;
  /** Retries already made for this due time (0 on the first attempt). */
  attempt: number;
  pendingTrigger: TriggerKind | null;
}

/** The one outcome type every executor returns; the engine, not the executor, records it. */
export type ExecutionOutcome =
  | {
      ok: true;
      result?: Prisma.InputJsonValue;
      dataSource?: string;
      /** set when there was nothing to do, with why */ skipped?: string;
      /** The executor has work again at this time (a delivery's retry): the task runs then if that is sooner. */
      runAgainAt?: Date;
    }
  | {
      ok: false;
      category: FailureCategory;
      message: string;
      retryable: boolean;
      result?: Prisma.InputJsonValue;
      /** The API said when to come back (429 Retry-After): the retry waits at least this long. */
      retryAfterMs?: number | null;
      /** The API serves again at this time (a daily quota's reset): the task waits for it. */
      resumeAt?: Date | null;
    };

export interface ExecutorContext {
  signal: AbortSignal;
  now: () => Date;
}

export type Executor = (task: ClaimedTask, context: ExecutorContext) => Promise<ExecutionOutcome>;

export type ExecutorRegistry = Partial<Record<TaskType, Executor>>;
