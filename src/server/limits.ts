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

/** What a request takes its point from: a limiter, or a shared one taken from in blocks (`BlockReservingLimiter`). */
export interface PointTaker {
  consume(key: string): Promise<unknown>;
}

/** The per-user limits every signed-in call takes a point from: changes, and reads (more generous). */
export interface RequestLimits {
  mutation: PointTaker;
  query: PointTaker;
}

export function createRequestLimits(
  perMinute: { mutations: number; reads: number },
  store: LimitStore = { kind: "memory" },
): RequestLimits {
  const limit = (keyPrefix: string, points: number): PointTaker => {
    const limiter = createLimiter(store, { keyPrefix, points, durationSeconds: 60 });
    return store.kind === "postgres" ? new BlockReservingLimiter(limiter) : limiter;
  };
  return { mutation: limit("mutations", perMinute.mutations), query: limit("reads", perMinute.reads) };
}

/** A reserved block is at most this share of what the key had left, and at most BLOCK_MAX points. */
const BLOCK_SHARE = 20;
const BLOCK_MAX = 100;

/**
 * A shared (PostgreSQL) limiter that takes a key's points from the database in blocks while the key is
 * far from its limit, and then hands them out from memory: a signed-in read otherwise costs a write
 * transaction (the counter's upsert and its commit) on top of the read itself. A block is counted in the
 * shared row when it is reserved, so all instances together never let more than the limit through; a
 * block's unused points are lost with its window or its process (the user gets a little less, never more).
 * A block is 1/20 of what the key had left at its last reservation, at most 100: one point at a time at
 * the start of a window and near the limit, where every point is counted in the shared row as before.
 */
export class BlockReservingLimiter implements PointTaker {
  private readonly blocks = new Map<string, { left: number; remaining: number; expiresAt: number }>();
  /** A key's reservation in flight: concurrent requests of one user wait for it rather than each reserving. */
  private readonly reserving = new Map<string, Promise<void>>();

  constructor(private readonly shared: Limiter) {}

  async consume(key: string): Promise<void> {
    for (;;) {
      const block = this.blocks.get(key);
      if (block && block.expiresAt > Date.now() && block.left > 0) {
        block.left--;
        return;
      }
      const inFlight = this.reserving.get(key);
      if (!inFlight) break;
      await inFlight.catch(() => undefined);
    }
    const reservation = this.reserve(key);
    this.reserving.set(key, reservation);
    try {
      await reservation;
    } finally {
      this.reserving.delete(key);
    }
  }

  /** Reserves a block in the shared row and keeps all of it but the caller's own point. */
  private async reserve(key: string): Promise<void> {
    const now = Date.now();
    const last = this.blocks.get(key);
    const current = last && last.expiresAt > now ? last : null;
    const size = current ? Math.min(BLOCK_MAX, Math.max(1, Math.floor(current.remaining / BLOCK_SHARE))) : 1;
    let reserved: RateLimiterRes;
    try {
      reserved = await this.shared.consume(key, size);
    } catch (refusal) {
      this.blocks.delete(key);
      if (size === 1 || !isRefusal(refusal)) throw refusal;
      // The block did not fit, one point may: give the block back and take a single point.
      await this.shared.reward(key, size);
      reserved = await this.shared.consume(key, 1);
      this.remember(key, { left: 0, remaining: reserved.remainingPoints, expiresAt: now + reserved.msBeforeNext });
      return;
    }
    this.remember(key, { left: size - 1, remaining: reserved.remainingPoints, expiresAt: now + reserved.msBeforeNext });
  }

  private remember(key: string, block: { left: number; remaining: number; expiresAt: number }) {
    // Keys are users; those whose window ended are dropped now and then, so the map stays the size of the active ones.
    if (this.blocks.size >= 10_000) {
      const now = Date.now();
      for (const [k, b] of this.blocks) if (b.expiresAt <= now) this.blocks.delete(k);
    }
    this.blocks.set(key, block);
  }
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
export async function takePoint(limiter: PointTaker, key: string): Promise<number | null> {
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
