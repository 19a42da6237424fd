import { Prisma } from "@/generated/sqlite/client";
import type { FailureCategory, TaskStatus } from "@/generated/sqlite/enums";
import type { EngineConfig } from "./config";

/** One task failure, kept on the task for the N-in-window rule and the failure pattern. */
export interface FailureEntry {
  at: string;
  category: FailureCategory;
  message: string;
}

export interface FailurePattern {
  consecutive: number;
  recent: number;
  windowDays: number;
  reason: string;
  category: FailureCategory;
  /** Up to 3 distinct error patterns, most frequent first, each with its latest message (shown to people). */
  errorPatterns: { pattern: string; category: FailureCategory; count: number; example: string }[];
  lastFailureAt: string;
  coolOffUntil?: string;
}

/** The part of a task's row the failure rules read. */
export interface TaskFailureState {
  status: TaskStatus;
  consecutiveFailures: number;
  attempt: number;
  coolOffCount: number;
  failureHistory: unknown;
  frequencyMinutes: number;
}

export interface Failure {
  category: FailureCategory;
  message: string;
  retryable: boolean;
  /** A server-imposed wait (Retry-After): a retry never comes sooner. */
  retryAfterMs?: number | null;
  /** When the API will serve again (a daily quota's reset): nothing runs before it, and a cool-off lasts until it. */
  resumeAt?: Date | null;
}

/** What a failure does to the task; the engine writes it in the run's transaction. */
export interface FailureTransition {
  kind: "retry" | "task_failure" | "cooled_off" | "cool_off_extended";
  status: TaskStatus;
  nextRunAt: Date;
  attempt: number;
  consecutiveFailures: number;
  coolOffCount: number;
  coolOffUntil: Date | null;
  failureHistory: FailureEntry[];
  failurePattern: FailurePattern | null;
}

/**
 * A task's failure state cleared: after a success (the N-in-window history is kept, so a flapping
 * task is still caught) and, with the history too, on a manual trigger.
 */
export const CLEARED_FAILURES = {
  consecutiveFailures: 0,
  attempt: 0,
  coolOffUntil: null,
  coolOffCount: 0,
  failureReason: null,
  failureCategory: null,
  failurePattern: null,
} as const;

/** CLEARED_FAILURES as a Prisma update (a JSON column is cleared with DbNull). */
export const CLEARED_FAILURE_STATE = {
  ...CLEARED_FAILURES,
  failurePattern: Prisma.DbNull,
} satisfies Prisma.TaskUpdateManyMutationInput;

/**
 * A status set by a person (PAUSED) or by the end of the task's purpose (ENDED) outlives a run that
 * was in flight when it was set: the run's outcome never overwrites it. Null for the others.
 */
export function heldStatus(status: TaskStatus): "PAUSED" | "ENDED" | null {
  return status === "PAUSED" || status === "ENDED" ? status : null;
}

/** Retry delay before attempt n + 1 after n failed attempts (n >= 1): base * 2^(n-1), capped, ±20 % jitter. */
export function backoffMs(n: number, baseMs: number, capMs: number, random: () => number): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.max(0, n - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** Cool-off for the n-th cool-off in a row (n >= 1): doubles each time, capped. */
export function coolOffMs(n: number, config: Pick<EngineConfig, "coolOffMs" | "coolOffCapMs">): number {
  return Math.min(config.coolOffCapMs, config.coolOffMs * 2 ** Math.max(0, n - 1));
}

/** Digits, ids and quoted parts vary between otherwise equal errors; they are masked to group them. */
export function errorPattern(message: string): string {
  return message
    .replace(/https?:\/\/\S+/g, "<url>")
    .replace(/"[^"]*"|'[^']*'/g, "<str>")
    .replace(/\b[0-9a-f]{8,}\b/gi, "<id>")
    .replace(/\d+/g, "<n>")
    .trim()
    .slice(0, 120);
}

function parseHistory(value: unknown): FailureEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is FailureEntry =>
      typeof e === "object" &&
      e !== null &&
      typeof (e as FailureEntry).at === "string" &&
      typeof (e as FailureEntry).message === "string",
  );
}

const HISTORY_LIMIT = 50;

export function failurePattern(
  history: FailureEntry[],
  consecutive: number,
  windowMs: number,
  last: FailureEntry,
): FailurePattern {
  const groups = new Map<string, { pattern: string; category: FailureCategory; count: number; example: string }>();
  for (const entry of history) {
    const pattern = errorPattern(entry.message);
    const key = `${entry.category}:${pattern}`;
    const group = groups.get(key) ?? { pattern, category: entry.category, count: 0, example: entry.message };
    group.count++;
    group.example = entry.message; // the history is oldest first: the latest message wins
    groups.set(key, group);
  }
  return {
    consecutive,
    recent: history.length,
    windowDays: Math.round((windowMs / 86_400_000) * 10) / 10,
    reason: last.message.slice(0, 500),
    category: last.category,
    errorPatterns: [...groups.values()].sort((a, b) => b.count - a.count).slice(0, 3),
    lastFailureAt: last.at,
  };
}

/**
 * The failure rules, in one place:
 * - a retryable failure with attempts left is retried after a backoff (not yet a task failure);
 * - otherwise it is a task failure: the task keeps its schedule, unless it reached
 *   `interventionConsecutive` in a row or `interventionRecent` within the window, which cools it off;
 * - a failed probe (a run while cooled off) extends the cool-off, doubling it up to the cap;
 * - a failure that names when the API serves again (`resumeAt`, a daily quota's reset) waits for it:
 *   the next run is not before it, and a cool-off lasts exactly until it.
 * `retryDelayMs` overrides the backoff (lease recovery makes the task due at once).
 */
export function applyFailure(
  task: TaskFailureState,
  failure: Failure,
  at: Date,
  config: EngineConfig,
  random: () => number,
  retryDelayMs?: number,
): FailureTransition {
  const entry: FailureEntry = {
    at: at.toISOString(),
    category: failure.category,
    message: failure.message.slice(0, 500),
  };
  const windowStart = at.getTime() - config.interventionWindowMs;
  const keep = (history: FailureEntry[]) =>
    history.filter((e) => Date.parse(e.at) >= windowStart).slice(-HISTORY_LIMIT);
  const previous = keep(parseHistory(task.failureHistory));
  const probing = task.status === "NEEDS_INTERVENTION";

  const attemptsMade = task.attempt + 1;
  if (!probing && failure.retryable && attemptsMade < config.maxAttempts) {
    const delay =
      retryDelayMs ??
      Math.max(
        backoffMs(attemptsMade, config.backoffBaseMs, config.backoffCapMs, random),
        failure.retryAfterMs ?? 0,
        failure.resumeAt ? failure.resumeAt.getTime() - at.getTime() : 0,
      );
    return {
      kind: "retry",
      status: task.status,
      nextRunAt: new Date(at.getTime() + delay),
      attempt: attemptsMade,
      consecutiveFailures: task.consecutiveFailures,
      coolOffCount: task.coolOffCount,
      coolOffUntil: null,
      failureHistory: previous,
      failurePattern: null,
    };
  }

  const history = [...previous, entry];
  const consecutive = task.consecutiveFailures + 1;
  const pattern = failurePattern(history, consecutive, config.interventionWindowMs, entry);
  const coolOff =
    probing || consecutive >= config.interventionConsecutive || history.length >= config.interventionRecent;
  const resumeAt = failure.resumeAt && failure.resumeAt > at ? failure.resumeAt : null;
  if (coolOff) {
    const count = probing ? task.coolOffCount + 1 : 1;
    const until = resumeAt ?? new Date(at.getTime() + coolOffMs(count, config));
    return {
      kind: probing ? "cool_off_extended" : "cooled_off",
      status: "NEEDS_INTERVENTION",
      nextRunAt: until, // the probe run
      attempt: 0,
      consecutiveFailures: consecutive,
      coolOffCount: count,
      coolOffUntil: until,
      failureHistory: history,
      failurePattern: { ...pattern, coolOffUntil: until.toISOString() },
    };
  }
  const scheduled = new Date(at.getTime() + task.frequencyMinutes * 60_000);
  return {
    kind: "task_failure",
    status: task.status,
    nextRunAt: resumeAt && resumeAt > scheduled ? resumeAt : scheduled,
    attempt: 0,
    consecutiveFailures: consecutive,
    coolOffCount: 0,
    coolOffUntil: null,
    failureHistory: history,
    failurePattern: pattern,
  };
}
