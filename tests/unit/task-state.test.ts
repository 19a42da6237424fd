import { describe, expect, it } from "vitest";
import { defaultEngineConfig } from "@/server/scheduler/config";
import type { Failure, FailureEntry } from "@/server/scheduler/failure";
import {
  nextRegularRun,
  nextTaskState,
  transitionEvent,
  type FailedRun,
  type SucceededRun,
  type TaskBefore,
} from "@/server/scheduler/task-state";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const due = new Date("2026-11-30T15:00:00.000Z");
const startedAt = new Date(due.getTime() + 200);
const now = new Date(startedAt.getTime() + 1_500); // the run's finish
const regular = new Date(due.getTime() + HOUR);
const settings = { config: defaultEngineConfig, random: () => 0.5 }; // 0.5: no jitter
const task = (over: Partial<TaskBefore> = {}): TaskBefore => ({
  status: "ACTIVE",
  consecutiveFailures: 0,
  attempt: 0,
  coolOffCount: 0,
  failureHistory: [],
  frequencyMinutes: 60,
  ...over,
});
const success = (over: Partial<SucceededRun> = {}): SucceededRun => ({
  status: "SUCCESS",
  trigger: "SCHEDULED",
  startedAt,
  nextRegularRunAt: regular,
  ...over,
});
const network: Failure = { category: "NETWORK_ERROR", message: "HTTP 503: upstream unavailable", retryable: true };
const auth: Failure = { category: "AUTH_ERROR", message: "HTTP 401: token revoked", retryable: false };
const failure = (f: Failure, over: Partial<FailedRun> = {}): FailedRun => ({
  status: "FAILED",
  trigger: "SCHEDULED",
  startedAt,
  nextRegularRunAt: regular,
  failure: f,
  ...over,
});
const history = (n: number, from: Date = now): FailureEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    at: new Date(from.getTime() - (n - i) * DAY).toISOString(),
    category: "AUTH_ERROR",
    message: "HTTP 401: token revoked",
  }));

describe("nextTaskState: a success", () => {
  it("after failures resets the failure state, keeps the rhythm and records the success", () => {
    const next = nextTaskState(
      task({ consecutiveFailures: 2, attempt: 1, failureHistory: history(2) }),
      success(),
      now,
    );
    expect(next).toEqual({
      transition: "succeeded",
      status: "ACTIVE",
      nextRunAt: regular,
      lastRunAt: startedAt,
      lastOutcome: "SUCCESS",
      lastSuccessAt: now,
      attempt: 0,
      consecutiveFailures: 0,
      coolOffCount: 0,
      coolOffUntil: null,
      failureReason: null,
      failureCategory: null,
      failurePattern: null,
    });
    // The N-in-window history is not part of it: kept, so a flapping task is still caught.
    expect(next).not.toHaveProperty("failureHistory");
    expect(next).not.toHaveProperty("lastFailureAt");
    expect(transitionEvent(next, "SCHEDULED")).toBeNull();
  });

  it("a skip is recorded as such and otherwise counts as a success", () => {
    expect(nextTaskState(task(), success({ status: "SKIPPED" }), now)).toMatchObject({
      transition: "succeeded",
      lastOutcome: "SKIPPED",
      lastSuccessAt: now,
    });
  });

  it("of a cooled-off task's probe releases it", () => {
    const next = nextTaskState(
      task({ status: "NEEDS_INTERVENTION", coolOffCount: 2, consecutiveFailures: 4 }),
      success(),
      now,
    );
    expect(next).toMatchObject({ transition: "released", status: "ACTIVE", coolOffCount: 0, coolOffUntil: null });
    expect(transitionEvent(next, "SCHEDULED")).toEqual({
      type: "TASK_RELEASED",
      errorMessage: null,
      data: { reason: "probe succeeded", trigger: "SCHEDULED" },
    });
  });

  it("never overwrites PAUSED or ENDED set while the run was in flight", () => {
    expect(nextTaskState(task({ status: "PAUSED" }), success(), now).status).toBe("PAUSED");
    expect(nextTaskState(task({ status: "ENDED" }), success(), now).status).toBe("ENDED");
  });

  it("reads only the task's status (the set-based path knows no more)", () => {
    expect(nextTaskState({ status: "ACTIVE" }, success(), now)).toEqual(
      nextTaskState(task({ consecutiveFailures: 2 }), success(), now),
    );
  });
});

describe("nextTaskState: a failure", () => {
  it("with attempts left is retried after a doubling backoff, and is not a task failure yet", () => {
    const first = nextTaskState(task(), failure(network), now, settings);
    expect(first).toMatchObject({
      transition: "retry",
      status: "ACTIVE",
      attempt: 1,
      consecutiveFailures: 0,
      lastRunAt: startedAt,
      lastOutcome: "FAILED",
      lastFailureAt: now,
      failureReason: network.message,
      failureCategory: "NETWORK_ERROR",
      coolOffUntil: null,
    });
    expect(first.nextRunAt.getTime() - now.getTime()).toBe(defaultEngineConfig.backoffBaseMs);
    expect(first).not.toHaveProperty("lastSuccessAt");
    // A retry leaves the last task failure's pattern as it is.
    expect(first).toHaveProperty("failurePattern", undefined);
    const second = nextTaskState(task({ attempt: 1 }), failure(network), now, settings);
    expect(second.nextRunAt.getTime() - now.getTime()).toBe(2 * defaultEngineConfig.backoffBaseMs);
    // A server's Retry-After is never cut short.
    const later = nextTaskState(task(), failure({ ...network, retryAfterMs: 10 * MIN }), now, settings);
    expect(later.nextRunAt.getTime() - now.getTime()).toBe(10 * MIN);
  });

  it("that timed out is recorded as TIMED_OUT and retried", () => {
    const timeout: Failure = { category: "TIMEOUT", message: "timed out after 300000 ms", retryable: true };
    expect(nextTaskState(task(), failure(timeout, { status: "TIMED_OUT" }), now, settings)).toMatchObject({
      transition: "retry",
      lastOutcome: "TIMED_OUT",
      failureCategory: "TIMEOUT",
    });
  });

  it("with no attempt left (or not retryable) is a task failure that keeps the rhythm", () => {
    for (const next of [
      nextTaskState(task({ attempt: 2 }), failure(network), now, settings),
      nextTaskState(task(), failure(auth), now, settings),
    ]) {
      expect(next).toMatchObject({ transition: "task_failure", status: "ACTIVE", attempt: 0, consecutiveFailures: 1 });
      expect(next.nextRunAt).toEqual(regular);
      expect(next.failurePattern).toMatchObject({ consecutive: 1, recent: 1 });
      expect(transitionEvent(next, "SCHEDULED")).toBeNull();
    }
  });

  it("3 in a row cools the task off (needs intervention) until its probe", () => {
    const next = nextTaskState(
      task({ consecutiveFailures: 2, failureHistory: history(2) }),
      failure(auth),
      now,
      settings,
    );
    const until = new Date(now.getTime() + defaultEngineConfig.coolOffMs);
    expect(next).toMatchObject({
      transition: "cooled_off",
      status: "NEEDS_INTERVENTION",
      consecutiveFailures: 3,
      coolOffCount: 1,
      coolOffUntil: until,
      nextRunAt: until,
    });
    expect(transitionEvent(next, "SCHEDULED")).toEqual({
      type: "TASK_COOLED_OFF",
      errorMessage: auth.message,
      data: {
        kind: "cooled_off",
        coolOffUntil: until.toISOString(),
        coolOffCount: 1,
        consecutive: 3,
        recent: 3,
      },
    });
  });

  it("5 within 7 days cools the task off even with successes between them", () => {
    const next = nextTaskState(
      task({ consecutiveFailures: 0, failureHistory: history(4) }),
      failure(auth),
      now,
      settings,
    );
    expect(next).toMatchObject({ transition: "cooled_off", status: "NEEDS_INTERVENTION", consecutiveFailures: 1 });
    // Failures older than the window do not count.
    const old = history(4, new Date(now.getTime() - 8 * DAY));
    expect(nextTaskState(task({ failureHistory: old }), failure(auth), now, settings).transition).toBe("task_failure");
  });

  it("of a probe extends the cool-off, doubling it", () => {
    const next = nextTaskState(
      task({ status: "NEEDS_INTERVENTION", consecutiveFailures: 3, coolOffCount: 1, failureHistory: history(3) }),
      failure(network),
      now,
      settings,
    );
    expect(next).toMatchObject({ transition: "cool_off_extended", status: "NEEDS_INTERVENTION", coolOffCount: 2 });
    expect(next.coolOffUntil!.getTime() - now.getTime()).toBe(2 * defaultEngineConfig.coolOffMs);
  });

  it("of a daily quota waits for the quota's reset", () => {
    const reset = new Date("2026-12-01T00:00:00.000Z");
    const quota: Failure = {
      category: "API_LIMIT",
      message: "HTTP 429: daily quota",
      retryable: false,
      resumeAt: reset,
    };
    // Not on the regular schedule before it ...
    expect(nextTaskState(task(), failure(quota), now, settings)).toMatchObject({
      transition: "task_failure",
      nextRunAt: reset,
    });
    // ... a schedule after it is kept ...
    const tomorrow = new Date(now.getTime() + DAY);
    expect(nextTaskState(task(), failure(quota, { nextRegularRunAt: tomorrow }), now, settings).nextRunAt).toEqual(
      tomorrow,
    );
    // ... and a cool-off lasts exactly until it.
    expect(nextTaskState(task({ consecutiveFailures: 2 }), failure(quota), now, settings)).toMatchObject({
      transition: "cooled_off",
      coolOffUntil: reset,
      nextRunAt: reset,
    });
  });

  it("keeps PAUSED even where it would cool the task off", () => {
    const next = nextTaskState(task({ status: "PAUSED", consecutiveFailures: 2 }), failure(auth), now, settings);
    expect(next).toMatchObject({ transition: "cooled_off", status: "PAUSED" });
  });
});

describe("a manual trigger's run", () => {
  it("restarts the rhythm from its finish, and its success releases a cooled-off task", () => {
    const manualRegular = nextRegularRun(
      { dueAt: due, attempt: 0, frequencyMinutes: 60, cronExpression: null, cronTimeZone: null },
      "MANUAL",
      now,
    );
    expect(manualRegular).toEqual(new Date(now.getTime() + HOUR));
    const next = nextTaskState(
      task({ status: "NEEDS_INTERVENTION", coolOffCount: 1 }),
      success({ trigger: "MANUAL", nextRegularRunAt: manualRegular }),
      now,
    );
    expect(next).toMatchObject({ transition: "released", status: "ACTIVE", nextRunAt: manualRegular });
    expect(transitionEvent(next, "MANUAL")?.data).toEqual({ reason: "probe succeeded", trigger: "MANUAL" });
  });

  it("that fails follows the failure rules like any run (the trigger cleared the counters before)", () => {
    const next = nextTaskState(task(), failure(auth, { trigger: "MANUAL" }), now, settings);
    expect(next).toMatchObject({ transition: "task_failure", consecutiveFailures: 1, nextRunAt: regular });
  });
});

describe("nextRegularRun", () => {
  const schedule = { dueAt: due, attempt: 0, frequencyMinutes: 60, cronExpression: null, cronTimeZone: null };
  it("keeps a scheduled run's rhythm (due + frequency), so small delays do not add up", () => {
    expect(nextRegularRun(schedule, "SCHEDULED", now)).toEqual(new Date(due.getTime() + HOUR));
  });
  it("restarts from the finish after a very late run, a retry or a run asked for by hand", () => {
    const late = new Date(due.getTime() + 2 * HOUR);
    expect(nextRegularRun(schedule, "SCHEDULED", late)).toEqual(new Date(late.getTime() + HOUR));
    expect(nextRegularRun({ ...schedule, attempt: 1 }, "SCHEDULED", now)).toEqual(new Date(now.getTime() + HOUR));
    expect(nextRegularRun(schedule, "RETRY", now)).toEqual(new Date(now.getTime() + HOUR));
    expect(nextRegularRun({ ...schedule, dueAt: null }, "SCHEDULED", now)).toEqual(new Date(now.getTime() + HOUR));
  });
});
