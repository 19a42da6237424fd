/**
 * What a finished run does to its task, in one pure function: the engine's one-run path, its
 * set-based path (batch.ts) and the demo seed's simulated history all take the task's next state
 * from `nextTaskState`, so a success or a failure means the same thing wherever it is recorded.
 */
import type { ExecutionStatus, FailureCategory, TaskStatus, TriggerKind } from "@/generated/sqlite/enums";
import { nextCronRun, type ScheduleColumns } from "@/lib/schedule";
import type { EngineConfig } from "./config";
import {
  applyFailure,
  CLEARED_FAILURES,
  heldStatus,
  type Failure,
  type FailureEntry,
  type FailurePattern,
  type FailureTransition,
  type TaskFailureState,
} from "./failure";

/** The task as the run finds it when it is recorded. */
export type TaskBefore = TaskFailureState;

interface RunBase {
  trigger: TriggerKind;
  startedAt: Date;
  /** Where the task's rhythm brings it next (nextRegularRun): a success and a task failure go there. */
  nextRegularRunAt: Date;
}
export interface SucceededRun extends RunBase {
  status: Extract<ExecutionStatus, "SUCCESS" | "SKIPPED">;
}
export interface FailedRun extends RunBase {
  status: Extract<ExecutionStatus, "FAILED" | "TIMED_OUT">;
  failure: Failure;
}
/** A run's outcome as it bears on the task. */
export type RunOutcome = SucceededRun | FailedRun;

export interface TaskStateSettings {
  config: EngineConfig;
  /** The backoff's jitter. */
  random: () => number;
}

/** What every finished run sets (besides releasing its lease, clearing the trigger and counting the run). */
interface RunFields {
  status: TaskStatus;
  nextRunAt: Date;
  lastRunAt: Date;
  lastOutcome: ExecutionStatus;
  attempt: number;
  consecutiveFailures: number;
  coolOffCount: number;
  coolOffUntil: Date | null;
  failureReason: string | null;
  failureCategory: FailureCategory | null;
}
export interface SucceededState extends RunFields {
  /** "released": the success was a cooled-off task's probe (or a manual run of it), which ends the cool-off. */
  transition: "succeeded" | "released";
  lastSuccessAt: Date;
  failurePattern: null;
  // failureHistory is kept: the N-in-window rule still sees a flapping task.
}
export interface FailedState extends RunFields {
  transition: FailureTransition["kind"];
  lastFailureAt: Date;
  failureHistory: FailureEntry[];
  /** Undefined: kept (a retry is not a task failure yet, so the last task failure's pattern stays). */
  failurePattern: FailurePattern | undefined;
}
export type NextTaskState = SucceededState | FailedState;

/**
 * The next regular run keeps to the task's own rhythm (due time + frequency) so that small delays
 * do not add up; a run that was very late, a retry, or one asked for by hand restarts it from now.
 * A cron schedule is on the calendar already: its next time after the run finished (times missed
 * while a run was late are not made up). `schedule` is the task as it was claimed: its due time,
 * the retries made for it, and its schedule's columns.
 */
export function nextRegularRun(
  schedule: { dueAt: Date | null; attempt: number } & ScheduleColumns,
  trigger: TriggerKind,
  finishedAt: Date,
): Date {
  if (schedule.cronExpression) {
    const next = nextCronRun(schedule.cronExpression, schedule.cronTimeZone ?? "UTC", finishedAt);
    // An expression that no longer parses (edited in the database) falls back to the interval.
    if (next) return next;
  }
  const step = schedule.frequencyMinutes * 60_000;
  const fromDue =
    trigger === "SCHEDULED" && schedule.attempt === 0 && schedule.dueAt ? schedule.dueAt.getTime() + step : 0;
  return new Date(fromDue > finishedAt.getTime() ? fromDue : finishedAt.getTime() + step);
}

/**
 * The task's next state after a run that finished at `now`:
 * - a success (or a skip) clears the failure state and keeps the rhythm; on a cooled-off task it
 *   releases it (ACTIVE again);
 * - a failure goes through `applyFailure` (retry with backoff, task failure, cool-off after 3 in a
 *   row or 5 in the window, a longer cool-off after a failed probe); a task failure keeps the rhythm
 *   but never runs before the API serves again (a daily quota's reset);
 * - PAUSED and ENDED, set by a person or by the task's end while the run was in flight, are kept.
 * A success reads only the task's status (batch.ts knows no more of its tasks).
 */
export function nextTaskState(current: Pick<TaskBefore, "status">, outcome: SucceededRun, now: Date): SucceededState;
export function nextTaskState(
  current: TaskBefore,
  outcome: RunOutcome,
  now: Date,
  settings: TaskStateSettings,
): NextTaskState;
export function nextTaskState(
  current: Pick<TaskBefore, "status"> | TaskBefore,
  outcome: RunOutcome,
  now: Date,
  settings?: TaskStateSettings,
): NextTaskState {
  const ran = { lastRunAt: outcome.startedAt, lastOutcome: outcome.status };
  if (!("failure" in outcome)) {
    return {
      transition: current.status === "NEEDS_INTERVENTION" ? "released" : "succeeded",
      ...ran,
      ...CLEARED_FAILURES,
      status: heldStatus(current.status) ?? "ACTIVE",
      lastSuccessAt: now,
      nextRunAt: outcome.nextRegularRunAt,
    };
  }
  // The overloads give a failure the whole failure state and the settings.
  if (!settings || !("consecutiveFailures" in current)) throw new TypeError("a failure needs the task's failure state");
  const { failure } = outcome;
  const t = applyFailure(current, failure, now, settings.config, settings.random);
  const regular = outcome.nextRegularRunAt;
  return {
    transition: t.kind,
    ...ran,
    status: heldStatus(current.status) ?? t.status,
    lastFailureAt: now,
    failureReason: failure.message.slice(0, 1000),
    failureCategory: failure.category,
    nextRunAt:
      t.kind === "task_failure"
        ? failure.resumeAt && failure.resumeAt > regular
          ? failure.resumeAt
          : regular
        : t.nextRunAt,
    attempt: t.attempt,
    consecutiveFailures: t.consecutiveFailures,
    coolOffCount: t.coolOffCount,
    coolOffUntil: t.coolOffUntil,
    failureHistory: t.failureHistory,
    failurePattern: t.failurePattern ?? undefined,
  };
}

export interface TransitionEvent {
  type: "TASK_COOLED_OFF" | "TASK_RELEASED";
  errorMessage: string | null;
  data: Record<string, string | number | null>;
}

/** The event a transition writes besides the run's own (a cool-off, a release), or null. */
export function transitionEvent(next: NextTaskState, trigger: TriggerKind): TransitionEvent | null {
  if (next.transition === "released")
    return { type: "TASK_RELEASED", errorMessage: null, data: { reason: "probe succeeded", trigger } };
  if (next.transition === "cooled_off" || next.transition === "cool_off_extended")
    return {
      type: "TASK_COOLED_OFF",
      errorMessage: next.failureReason,
      data: {
        kind: next.transition,
        coolOffUntil: next.coolOffUntil?.toISOString() ?? null,
        coolOffCount: next.coolOffCount,
        consecutive: next.consecutiveFailures,
        recent: next.failureHistory.length,
      },
    };
  return null;
}
