import { RateLimiterMemory } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { BlockReservingLimiter, createLimiter, takePoint } from "@/server/limits";

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

describe("a shared limiter taken from in blocks (BlockReservingLimiter)", () => {
  /** A store shared by "instances" (here in memory), counting how often it is written to. */
  function sharedStore(points: number, durationSeconds = 60) {
    const store = new RateLimiterMemory({ points, duration: durationSeconds });
    const writes = { n: 0 };
    const consume = store.consume.bind(store);
    store.consume = (key, taken) => {
      writes.n++;
      return consume(key, taken);
    };
    return { store, writes };
  }
  const served = async (limiter: BlockReservingLimiter, key = "u") => (await takePoint(limiter, key)) === null;

  it("lets exactly the limit through one point at a time when the limit is small (two instances alternating)", async () => {
    const { store } = sharedStore(30);
    const instances = [new BlockReservingLimiter(store), new BlockReservingLimiter(store)];
    const answers: boolean[] = [];
    for (let i = 0; i < 40; i++) answers.push(await served(instances[i % 2]!));
    expect(answers).toEqual([...Array(30).fill(true), ...Array(10).fill(false)]);
  });

  it("never lets more than the limit through across instances, loses little, and writes the store far less", async () => {
    const { store, writes } = sharedStore(5_000);
    const instances = [0, 1, 2].map(() => new BlockReservingLimiter(store));
    let passed = 0;
    let writesForFirst4500: number | null = null;
    // Random interleaving, several requests of the user in flight at once on each instance.
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 700; round++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => served(instances[Math.floor(random() * instances.length)]!)),
      );
      passed += answers.filter(Boolean).length;
      if (passed >= 4_500 && writesForFirst4500 === null) writesForFirst4500 = writes.n;
    }
    expect(passed).toBeLessThanOrEqual(5_000);
    expect(passed).toBeGreaterThanOrEqual(4_800); // unused blocks cost the user at most a few percent
    // Far from the limit, a write per ten requests at most, against one per request (a refusal still costs one).
    expect(writesForFirst4500).not.toBeNull();
    expect(writesForFirst4500!).toBeLessThan(450);
    expect(await served(instances[0]!, "another user")).toBe(true); // a key of its own
  });

  it("starts over with the store's next window", async () => {
    const { store } = sharedStore(100, 1);
    const limiter = new BlockReservingLimiter(store);
    let passed = 0;
    for (let i = 0; i < 150; i++) if (await served(limiter)) passed++;
    expect(passed).toBeLessThanOrEqual(100);
    expect(passed).toBeGreaterThanOrEqual(90);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await served(limiter)).toBe(true);
  });
});
