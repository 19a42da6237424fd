import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptToken, keyringFrom } from "@/server/crypto";
import { seedDemoData } from "@/demo/seed";
import { createUser, EmailTakenError, verifyCredentials } from "@/server/services/users";
import { callerFor, createTestDatabase, testEngines, type TestDatabase } from "../helpers/db";

const keyring = keyringFrom(Buffer.alloc(32, 9).toString("base64"));
const options = {
  keyring,
  admin: { email: "admin@example.com", password: "admin-password" },
  demo: { email: "demo@example.com", password: "demo-password" },
};

describe.each(testEngines())("demo seed and users on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("seeds a living dashboard once, with statistics that agree with its events", async () => {
    const first = await seedDemoData(t.db, options);
    expect(first.seeded).toBe(true);
    expect(await seedDemoData(t.db, options)).toEqual({ seeded: false });
    expect(await t.db.user.count()).toBe(2);

    const demo = await t.db.user.findUniqueOrThrow({ where: { email: "demo@example.com" } });
    const overview = await (await callerFor(t, demo.id)).dashboard.overview({ days: 14 });
    expect(overview.totalTasks).toBe(9);
    // Five daily tasks (two insights, three analyses) and weekly token checks: about 80 runs in 14 days.
    expect(overview.window.runs).toBeGreaterThan(5 * 14 - 5);
    expect(overview.successRate).toBeGreaterThan(0.7);
    expect(overview.tasksByStatus.NEEDS_INTERVENTION).toBe(2); // Bing's daily quota, the competitor that is down
    expect(overview.runsPerDay.filter((d) => d.success > 0)).toHaveLength(14);

    const stats = await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } });
    const cycles = await t.db.schedulerEvent.aggregate({
      where: { type: "CHECK_CYCLE" },
      _count: { _all: true },
      _sum: { tasksExecuted: true, tasksFailed: true },
    });
    expect(stats.totalCheckCycles).toBe(cycles._count._all);
    expect(stats.tasksExecuted).toBe(cycles._sum.tasksExecuted);
    expect(stats.tasksFailed).toBe(cycles._sum.tasksFailed);
    expect(stats.tasksExecuted).toBe(await t.db.executionLog.count());
  });

  it("gives seeded tasks needing attention the same failure pattern the engine writes", async () => {
    const demo = await t.db.user.findUniqueOrThrow({ where: { email: "demo@example.com" } });
    const bing = (await (await callerFor(t, demo.id)).tasks.needingIntervention()).items.find(
      (task) => task.platform === "BING",
    );
    expect(bing?.failurePattern).toMatchObject({
      consecutive: expect.any(Number),
      recent: expect.any(Number),
      windowDays: 7,
      category: "API_LIMIT",
      errorPatterns: expect.arrayContaining([
        expect.objectContaining({
          pattern: "HTTP <n>: Bing Webmaster API daily quota reached (resets at <n>:<n> UTC)",
          category: "API_LIMIT",
          count: expect.any(Number),
        }),
      ]),
      coolOffUntil: bing?.coolOffUntil?.toISOString(),
    });
    const pattern = bing?.failurePattern as { consecutive: number; recent: number; errorPatterns: { count: number }[] };
    expect(pattern.consecutive).toBe(bing?.consecutiveFailures);
    expect(pattern.consecutive).toBe(3);
    expect(pattern.recent).toBeGreaterThanOrEqual(pattern.consecutive);
    expect(pattern.errorPatterns[0]?.count).toBeGreaterThanOrEqual(3);
  });

  it("stores connection tokens encrypted, never in plain text", async () => {
    const connection = await t.db.platformConnection.findFirstOrThrow({
      where: { platform: "GSC", user: { email: "demo@example.com" } },
    });
    expect(connection.accessTokenEnc).toMatch(/^v1:/);
    const plain = decryptToken(connection.accessTokenEnc!, keyring);
    expect(plain).toMatch(/^lp_/); // the local provider's token format, for the offline demo
    expect(connection.accessTokenEnc).not.toContain(plain.slice(3, 20));
  });

  it("signs up with a hashed password, refuses a duplicate email, and verifies credentials", async () => {
    const user = await createUser(t.db, { name: "Carol", email: "Carol@Example.com ", password: "correct-horse" });
    expect(user.email).toBe("carol@example.com");
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(row.passwordHash).not.toContain("correct-horse");
    await expect(
      createUser(t.db, { name: "Again", email: "carol@example.com", password: "whatever-123" }),
    ).rejects.toBeInstanceOf(EmailTakenError);
    expect(await verifyCredentials(t.db, "CAROL@example.com", "correct-horse")).toMatchObject({
      id: user.id,
      role: "USER",
    });
    expect(await verifyCredentials(t.db, "carol@example.com", "wrong-password")).toBeNull();
    expect(await verifyCredentials(t.db, "nobody@example.com", "correct-horse")).toBeNull();
  });
});
