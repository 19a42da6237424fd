import { RateLimiterMemory } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { createLimiter, takePoint } from "@/server/limits";

describe("taking a point from a limiter", () => {
  it("answers the wait in whole seconds once the limit is reached, null before", async () => {
    const limiter = createLimiter({ kind: "memory" }, { keyPrefix: "t", points: 2, durationSeconds: 60 });
    expect(await takePoint(limiter, "u")).toBeNull();
    expect(await takePoint(limiter, "u")).toBeNull();
    const wait = await takePoint(limiter, "u");
    expect(wait).toBeGreaterThanOrEqual(59);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await takePoint(limiter, "another")).toBeNull();
  });

  it("recognises the refusal of a limiter made by another bundle (another copy of the library's classes)", async () => {
    // In a Next.js server each route bundle has its own copy of rate-limiter-flexible, and the limiters are
    // shared on globalThis: the refusal is then another class's instance. It is still a refusal, not a 500.
    class ForeignRateLimiterRes {
      msBeforeNext = 4_200;
      remainingPoints = 0;
      consumedPoints = 3;
      isFirstInDuration = false;
    }
    const foreign = new RateLimiterMemory({ points: 1, duration: 60 });
    foreign.consume = () => Promise.reject(new ForeignRateLimiterRes());
    expect(await takePoint(foreign, "u")).toBe(5);
  });

  it("passes a real failure of the store on (an Error is not a refusal)", async () => {
    const broken = new RateLimiterMemory({ points: 1, duration: 60 });
    broken.consume = () => Promise.reject(Object.assign(new Error("connection refused"), { msBeforeNext: 1 }));
    await expect(takePoint(broken, "u")).rejects.toThrow("connection refused");
  });
});
