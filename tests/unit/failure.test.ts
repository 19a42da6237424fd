import { describe, expect, it } from "vitest";
import { defaultEngineConfig } from "@/server/scheduler/config";
import { applyFailure, heldStatus, type TaskFailureState } from "@/server/scheduler/failure";

const HOUR = 3_600_000;
const at = new Date("2026-11-30T15:00:00Z");
const reset = new Date("2026-12-01T00:00:00Z"); // a daily quota's reset
const task = (over: Partial<TaskFailureState> = {}): TaskFailureState => ({
  status: "ACTIVE",
  consecutiveFailures: 0,
  attempt: 0,
  coolOffCount: 0,
  failureHistory: [],
  frequencyMinutes: 360,
  ...over,
});
const quota = {
  category: "API_LIMIT" as const,
  message: "HTTP 429: daily quota reached",
  retryable: false,
  resumeAt: reset,
};
const random = () => 0.5;

describe("the failure rules with a daily quota (resumeAt)", () => {
  it("a quota failure runs again at the reset, not on the regular schedule before it", () => {
    const t = applyFailure(task({ frequencyMinutes: 60 }), quota, at, defaultEngineConfig, random);
    expect(t).toMatchObject({ kind: "task_failure", status: "ACTIVE", consecutiveFailures: 1 });
    expect(t.nextRunAt).toEqual(reset);
    // A schedule that comes after the reset anyway is kept.
    expect(applyFailure(task({ frequencyMinutes: 24 * 60 }), quota, at, defaultEngineConfig, random).nextRunAt).toEqual(
      new Date(at.getTime() + 24 * HOUR),
    );
  });

  it("a quota failure that cools the task off cools it off until the reset, not for the usual hours or days", () => {
    const t = applyFailure(task({ consecutiveFailures: 2 }), quota, at, defaultEngineConfig, random);
    expect(t).toMatchObject({
      kind: "cooled_off",
      status: "NEEDS_INTERVENTION",
      coolOffUntil: reset,
      nextRunAt: reset,
    });
    expect(t.failurePattern?.coolOffUntil).toBe(reset.toISOString());
    // A failed probe after many cool-offs would double towards 7 days; a quota still waits only for its reset.
    const probe = applyFailure(
      task({ status: "NEEDS_INTERVENTION", consecutiveFailures: 9, coolOffCount: 6 }),
      quota,
      at,
      defaultEngineConfig,
      random,
    );
    expect(probe).toMatchObject({ kind: "cool_off_extended", coolOffUntil: reset });
    // Without a reset time, the usual cool-off.
    const usual = applyFailure(
      task({ consecutiveFailures: 2 }),
      { ...quota, resumeAt: null },
      at,
      defaultEngineConfig,
      random,
    );
    expect(usual.coolOffUntil!.getTime() - at.getTime()).toBe(defaultEngineConfig.coolOffMs);
  });

  it("a retryable failure with a resume time is not retried before it", () => {
    const t = applyFailure(task(), { ...quota, retryable: true }, at, defaultEngineConfig, random);
    expect(t.kind).toBe("retry");
    expect(t.nextRunAt.getTime()).toBeGreaterThanOrEqual(reset.getTime());
  });

  it("keeps each error pattern's latest message, for people to read", () => {
    const first = applyFailure(
      task(),
      { category: "NETWORK_ERROR", message: "HTTP 502 from https://a.example/", retryable: false },
      at,
      defaultEngineConfig,
      random,
    );
    const second = applyFailure(
      task({ consecutiveFailures: 1, failureHistory: first.failureHistory }),
      { category: "NETWORK_ERROR", message: "HTTP 503 from https://a.example/", retryable: false },
      new Date(at.getTime() + HOUR),
      defaultEngineConfig,
      random,
    );
    expect(second.failurePattern?.errorPatterns).toEqual([
      {
        pattern: "HTTP <n> from <url>",
        category: "NETWORK_ERROR",
        count: 2,
        example: "HTTP 503 from https://a.example/",
      },
    ]);
  });

  it("a run's outcome never overwrites a status a person or the task's end set", () => {
    expect([heldStatus("PAUSED"), heldStatus("ENDED"), heldStatus("ACTIVE"), heldStatus("NEEDS_INTERVENTION")]).toEqual(
      ["PAUSED", "ENDED", null, null],
    );
  });
});
