import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { MicroCache } from "@/server/micro-cache";

describe("MicroCache", () => {
  it("shares one load between concurrent callers and reuses it until it expires", async () => {
    const cache = new MicroCache<{ n: number }>({ ttlMs: 30 });
    let loads = 0;
    const load = async () => {
      loads++;
      await sleep(5);
      return { n: loads };
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get("k", load)));
    expect(loads).toBe(1);
    expect(results.every((r) => r.n === 1)).toBe(true);
    expect((await cache.get("k", load)).n).toBe(1);
    await sleep(40);
    expect((await cache.get("k", load)).n).toBe(2);
  });

  it("does not keep a failed load, and forgets a key or a user's keys on demand", async () => {
    const cache = new MicroCache<{ v: string }>({ ttlMs: 60_000 });
    await expect(cache.get("a:x", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect((await cache.get("a:x", async () => ({ v: "up" }))).v).toBe("up");
    await cache.get("a:y", async () => ({ v: "1" }));
    await cache.get("b:y", async () => ({ v: "1" }));
    cache.forget("a", { prefix: true });
    expect((await cache.get("a:y", async () => ({ v: "2" }))).v).toBe("2");
    expect((await cache.get("b:y", async () => ({ v: "2" }))).v).toBe("1");
  });

  it("serves the last result while reloading it, when asked to", async () => {
    const cache = new MicroCache<{ n: number }>({ ttlMs: 20, staleWhileRevalidate: true });
    let n = 0;
    const load = async () => {
      await sleep(10);
      return { n: ++n };
    };
    expect((await cache.get("k", load)).n).toBe(1);
    await sleep(30);
    expect((await cache.get("k", load)).n).toBe(1); // stale, at once; a reload started
    await sleep(20);
    expect((await cache.get("k", load)).n).toBe(2);
    // After a quiet spell longer than the stale window, the old result is not served: a fresh load is awaited.
    await sleep(80);
    expect((await cache.get("k", load)).n).toBe(3);
  });
});
