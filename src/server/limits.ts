import pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { env, isPostgresUrl } from "@/server/config/env";

/** A per-key counter of points in a window (rate-limiter-flexible), in memory or in PostgreSQL. */
export type Limiter = RateLimiterAbstract;

/**
 * Where counters live. SQLite serves one instance, which counts in its memory. On PostgreSQL several
 * web instances share one database, so the counters live there (the `RateLimit` table, one atomic
 * upsert per point): a limit or a lockout holds across instances, not N times over.
 */
export type LimitStore = { kind: "memory" } | { kind: "postgres"; pool: pg.Pool };

/**
 * A limiter of `points` per `durationSeconds` under `keyPrefix`. In PostgreSQL it is insured by one in
 * memory: while the database cannot count (a restart, a read-only failover), this process counts alone
 * instead of failing the request that asked.
 */
export function createLimiter(
  store: LimitStore,
  options: { keyPrefix: string; points: number; durationSeconds: number },
): Limiter {
  const base = { keyPrefix: options.keyPrefix, points: options.points, duration: options.durationSeconds };
  if (store.kind === "memory") return new RateLimiterMemory(base);
  return new RateLimiterPostgres({
    ...base,
    storeClient: store.pool,
    tableName: "RateLimit", // created by the migrations (prisma/schema.prisma), not by the library
    tableCreated: true,
    insuranceLimiter: new RateLimiterMemory(base),
  });
}

/** The per-user limits every signed-in call takes a point from: changes, and reads (more generous). */
export interface RequestLimits {
  mutation: Limiter;
  query: Limiter;
}

export function createRequestLimits(
  perMinute: { mutations: number; reads: number },
  store: LimitStore = { kind: "memory" },
): RequestLimits {
  return {
    mutation: createLimiter(store, { keyPrefix: "mutations", points: perMinute.mutations, durationSeconds: 60 }),
    query: createLimiter(store, { keyPrefix: "reads", points: perMinute.reads, durationSeconds: 60 }),
  };
}

const holder = globalThis as typeof globalThis & { __limitStore?: LimitStore; __requestLimits?: RequestLimits };

/** This process's store for DATABASE_URL: a small pool of its own on PostgreSQL, so limits never wait behind queries. */
export function limitStore(): LimitStore {
  if (!holder.__limitStore) {
    const url = env().DATABASE_URL;
    holder.__limitStore = isPostgresUrl(url)
      ? { kind: "postgres", pool: new pg.Pool({ connectionString: url, max: 3, idleTimeoutMillis: 10_000 }) }
      : { kind: "memory" };
    // A dropped connection is the pool's to replace; the insurance counts meanwhile.
    if (holder.__limitStore.kind === "postgres") holder.__limitStore.pool.on("error", () => {});
  }
  return holder.__limitStore;
}

/** This process's limits, from RATE_LIMIT_MUTATIONS_PER_MINUTE and RATE_LIMIT_READS_PER_MINUTE. */
export function requestLimits(): RequestLimits {
  holder.__requestLimits ??= createRequestLimits(
    { mutations: env().RATE_LIMIT_MUTATIONS_PER_MINUTE, reads: env().RATE_LIMIT_READS_PER_MINUTE },
    limitStore(),
  );
  return holder.__requestLimits;
}

/** Takes one point for the key; resolves with the wait in seconds when the limit is reached, else null. */
export async function takePoint(limiter: Limiter, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (refusal) {
    if (isRefusal(refusal)) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
    throw refusal;
  }
}

/**
 * Whether a limiter's rejection is its answer "limit reached" (a RateLimiterRes) rather than a failure.
 * Not `instanceof`: the limiters live on globalThis, shared by every route bundle, and each bundle has its
 * own copy of the library's classes, so a limiter made by a page's bundle rejects with another
 * RateLimiterRes class than the tRPC route's (that answered 500 instead of 429).
 */
function isRefusal(value: unknown): value is Pick<RateLimiterRes, "msBeforeNext"> {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as { msBeforeNext?: unknown }).msBeforeNext === "number"
  );
}
