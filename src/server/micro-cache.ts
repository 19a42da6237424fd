import { LRUCache } from "lru-cache";

/**
 * Results shared for a moment by every request that asks for the same thing: concurrent callers of
 * one key share one load (no stampede), and the result is reused for `ttlMs`. For data a dashboard
 * polls (aggregates, the session's user), where a second of staleness is invisible and recomputing
 * for each of many open tabs is not.
 */
export class MicroCache<V extends NonNullable<unknown>> {
  private readonly cache: LRUCache<string, V, () => Promise<V>>;
  private readonly maxStaleMs: number;

  /**
   * `staleWhileRevalidate`: after `ttlMs`, callers get the last result while one of them reloads it,
   * but only for another `ttlMs`: a result older than that is never served (the caller waits for a
   * fresh one), so a page opened after a quiet minute never shows what was true a minute ago.
   */
  constructor(options: { ttlMs: number; max?: number; staleWhileRevalidate?: boolean }) {
    this.maxStaleMs = options.ttlMs;
    this.cache = new LRUCache<string, V, () => Promise<V>>({
      max: options.max ?? 10_000,
      ttl: options.ttlMs,
      allowStale: options.staleWhileRevalidate ?? false,
      // A failed load is not cached: the next caller tries again.
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    // Expired longer ago than the stale window allows: drop it, so this caller loads afresh.
    if (this.cache.getRemainingTTL(key) < -this.maxStaleMs) this.cache.delete(key);
    const value = await this.cache.fetch(key, { context: load });
    return value as V; // fetchMethod never resolves undefined: `load` returns a V
  }

  /** Drops one key (the next caller waits for a fresh load), or every key that starts with `prefix:` (a user's entries after their own change). */
  forget(key: string, { prefix = false } = {}) {
    if (!prefix) {
      this.cache.delete(key);
      return;
    }
    for (const k of this.cache.keys()) if (k.startsWith(`${key}:`)) this.cache.delete(k);
  }
}
