import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/config/env";
import { DEFAULT_TYPE_CONCURRENCY, schedulerEnvSchema } from "@/server/config/scheduler";
import { defaultEngineConfig, engineConfigFromEnv } from "@/server/scheduler/config";
import { applyFailure, type Failure, type TaskFailureState } from "@/server/scheduler/failure";

const valid = { AUTH_SECRET: "s".repeat(40), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") };
const typeConcurrency = (setting?: string) =>
  engineConfigFromEnv(parseEnv({ ...valid, SCHEDULER_TYPE_CONCURRENCY: setting })).typeConcurrency;

describe("SCHEDULER_TYPE_CONCURRENCY", () => {
  it("is the engine's default per-type limits when unset", () => {
    expect(typeConcurrency()).toEqual({ WEBSITE_ANALYSIS: 3 });
    expect(typeConcurrency("")).toEqual({ WEBSITE_ANALYSIS: 3 });
  });

  it("merges over the defaults: a type it does not name keeps its default limit", () => {
    expect(typeConcurrency("GSC_INSIGHTS=4")).toEqual({ WEBSITE_ANALYSIS: 3, GSC_INSIGHTS: 4 });
    expect(typeConcurrency(" BING_INSIGHTS = 2 , GSC_INSIGHTS=5 ")).toEqual({
      WEBSITE_ANALYSIS: 3,
      BING_INSIGHTS: 2,
      GSC_INSIGHTS: 5,
    });
  });

  it("changes a default limit when it names the type", () => {
    expect(typeConcurrency("WEBSITE_ANALYSIS=1")).toEqual({ WEBSITE_ANALYSIS: 1 });
    expect(typeConcurrency("GSC_INSIGHTS=4,WEBSITE_ANALYSIS=8")).toEqual({ WEBSITE_ANALYSIS: 8, GSC_INSIGHTS: 4 });
  });

  it("leaves the defaults themselves untouched", () => {
    typeConcurrency("WEBSITE_ANALYSIS=9");
    expect(DEFAULT_TYPE_CONCURRENCY).toEqual({ WEBSITE_ANALYSIS: 3 });
    expect(defaultEngineConfig.typeConcurrency).toEqual({ WEBSITE_ANALYSIS: 3 });
  });

  it("keeps one default: the schema's merge base is the engine's default", () => {
    expect(DEFAULT_TYPE_CONCURRENCY).toEqual(defaultEngineConfig.typeConcurrency);
  });

  it("still refuses an unknown type or a bad limit, naming the variable", () => {
    for (const bad of ["NOPE=2", "WEBSITE_ANALYSIS=0", "GSC_INSIGHTS=x", "GSC_INSIGHTS"]) {
      expect(schedulerEnvSchema.safeParse({ SCHEDULER_TYPE_CONCURRENCY: bad }).success, bad).toBe(false);
      expect(() => parseEnv({ ...valid, SCHEDULER_TYPE_CONCURRENCY: bad })).toThrow(/SCHEDULER_TYPE_CONCURRENCY: /);
    }
  });
});

describe("SCHEDULER_MAX_ATTEMPTS", () => {
  const failure: Failure = { category: "NETWORK_ERROR", message: "connection reset", retryable: true };
  const task = (attempt: number): TaskFailureState => ({
    status: "ACTIVE",
    consecutiveFailures: 0,
    attempt,
    coolOffCount: 0,
    failureHistory: [],
    frequencyMinutes: 360,
  });
  /** How many times a due time's run is retried when every attempt fails. */
  const retries = (maxAttempts: string | undefined) => {
    const config = engineConfigFromEnv(parseEnv({ ...valid, SCHEDULER_MAX_ATTEMPTS: maxAttempts }));
    let attempt = 0;
    while (applyFailure(task(attempt), failure, new Date(), config, () => 0.5).kind === "retry") attempt++;
    return attempt;
  };

  it("counts attempts, not retries: the default 3 is the first run and two retries; 1 is no retry", () => {
    expect(engineConfigFromEnv(parseEnv(valid)).maxAttempts).toBe(3);
    expect(retries(undefined)).toBe(2);
    expect(retries("1")).toBe(0);
    expect(retries("5")).toBe(4);
    expect(() => parseEnv({ ...valid, SCHEDULER_MAX_ATTEMPTS: "0" })).toThrow(/SCHEDULER_MAX_ATTEMPTS/);
  });
});
