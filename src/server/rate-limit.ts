import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/server/config/env";

export type MutationLimiter = RateLimiterMemory;

export function createMutationLimiter(perMinute: number): MutationLimiter {
  return new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: "mutations" });
}

const holder = globalThis as typeof globalThis & { __mutationLimiter?: MutationLimiter };

/** This process's limiter (per user, per instance: a burst against one instance is what it guards against). */
export function mutationLimiter(): MutationLimiter {
  holder.__mutationLimiter ??= createMutationLimiter(env().RATE_LIMIT_MUTATIONS_PER_MINUTE);
  return holder.__mutationLimiter;
}

/** Takes one point for the user; resolves with the wait in seconds when the limit is reached, else null. */
export async function takeMutationPoint(limiter: MutationLimiter, userId: string): Promise<number | null> {
  try {
    await limiter.consume(userId);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}
