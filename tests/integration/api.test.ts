import { TRPCError } from "@trpc/server";
import { countRun } from "@/server/scheduler/stats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, servedRouter } from "@/server/api/root";
import { adminProcedure, createCallerFactory, createInnerContext, createTRPCRouter } from "@/server/api/trpc";
import { features, parseEnv } from "@/server/config/env";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

/** Every procedure path in the router, read from the router itself so none can be forgotten. */
function allProcedurePaths(): string[] {
  return Object.keys(appRouter._def.procedures);
}

async function callPath(caller: Awaited<ReturnType<typeof callerFor>>, path: string, input?: unknown) {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe.each(testEngines())("tRPC API on %s", (engine) => {
  let t: TestDatabase;
  let alice: { id: string };
  let bob: { id: string };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    alice = await createTestUser(t.db, "USER");
    bob = await createTestUser(t.db, "USER");
    const now = Date.now();
    await t.db.task.createMany({
      data: [
        {
          userId: alice.id,
          type: "GSC_INSIGHTS",
          dedupeKey: "GSC_INSIGHTS:GSC",
          platform: "GSC",
          frequencyMinutes: 360,
          nextRunAt: new Date(now + 60_000),
        },
        {
          userId: alice.id,
          type: "WEBSITE_ANALYSIS",
          dedupeKey: "WEBSITE_ANALYSIS:https://a.example/",
          websiteUrl: "https://a.example/",
          websiteRole: "OWN",
          frequencyMinutes: 720,
          status: "NEEDS_INTERVENTION",
        },
        {
          userId: alice.id,
          type: "OAUTH_TOKEN_MONITORING",
          dedupeKey: "OAUTH_TOKEN_MONITORING:GSC",
          platform: "GSC",
          frequencyMinutes: 1440,
          status: "PAUSED",
        },
      ],
    });
    const task = await t.db.task.findFirstOrThrow({ where: { userId: alice.id, type: "GSC_INSIGHTS" } });
    const runs = [
      {
        taskId: task.id,
        userId: alice.id,
        taskType: "GSC_INSIGHTS" as const,
        status: "SUCCESS" as const,
        startedAt: new Date(now - 3_600_000),
        durationMs: 900,
      },
      {
        taskId: task.id,
        userId: alice.id,
        taskType: "GSC_INSIGHTS" as const,
        status: "SUCCESS" as const,
        startedAt: new Date(now - 2 * 86_400_000),
        durationMs: 800,
      },
      {
        taskId: task.id,
        userId: alice.id,
        taskType: "GSC_INSIGHTS" as const,
        status: "FAILED" as const,
        startedAt: new Date(now - 86_400_000),
        durationMs: 100,
        errorMessage: "HTTP 429",
      },
      // Outside a 14-day window: must not count.
      {
        taskId: task.id,
        userId: alice.id,
        taskType: "GSC_INSIGHTS" as const,
        status: "FAILED" as const,
        startedAt: new Date(now - 40 * 86_400_000),
        durationMs: 100,
      },
    ];
    await t.db.executionLog.createMany({ data: runs });
    // As the engine records them: each finished run also counted in the daily rollup.
    for (const run of runs) await t.db.$transaction((tx) => countRun(tx, run));
  });
  afterAll(async () => {
    await t.drop();
  });

  it("refuses every procedure to a signed-out caller with UNAUTHORIZED (but the public system ones)", async () => {
    const paths = allProcedurePaths().filter((p) => !["system.status", "system.health", "system.metrics"].includes(p));
    expect(paths.length).toBeGreaterThanOrEqual(5);
    const anonymous = await callerFor(t, null);
    for (const path of paths) {
      expect({ path, code: await codeOf(callPath(anonymous, path, undefined)) }).toEqual({
        path,
        code: "UNAUTHORIZED",
      });
    }
  });

  it("treats a session whose user no longer exists as signed out", async () => {
    const ghost = await callerFor(t, "no-such-user-id");
    expect(await codeOf(ghost.dashboard.overview())).toBe("UNAUTHORIZED");
  });

  it("counts the signed-in user's tasks by status and type, and runs in the window", async () => {
    const caller = await callerFor(t, alice.id);
    const overview = await caller.dashboard.overview({ days: 14 });
    expect(overview.totalTasks).toBe(3);
    expect(overview.tasksByStatus).toEqual({ ACTIVE: 1, PAUSED: 1, FAILED: 0, NEEDS_INTERVENTION: 1 });
    expect(overview.tasksByType).toMatchObject({
      GSC_INSIGHTS: 1,
      WEBSITE_ANALYSIS: 1,
      OAUTH_TOKEN_MONITORING: 1,
      BING_INSIGHTS: 0,
    });
    expect(overview.window).toMatchObject({ days: 14, runs: 3, succeeded: 2, failed: 1 });
    expect(overview.successRate).toBeCloseTo(2 / 3);
    expect(overview.runsPerDay).toHaveLength(14);
    expect(overview.runsPerDay.reduce((a, d) => a + d.success + d.failed, 0)).toBe(3);
    expect(overview.nextDueAt).toBeInstanceOf(Date);
  });

  it("shows user B none of user A's tasks or runs", async () => {
    const caller = await callerFor(t, bob.id);
    const overview = await caller.dashboard.overview({ days: 90 });
    expect(overview.totalTasks).toBe(0);
    expect(overview.window.runs).toBe(0);
    expect(overview.successRate).toBeNull();
    expect(await caller.tasks.list()).toEqual([]);
    expect((await caller.monitoring.executionLogs({ limit: 50 })).items).toEqual([]);
  });

  it("lets an admin see every user's tasks", async () => {
    const admin = await createTestUser(t.db, "ADMIN");
    const overview = await (await callerFor(t, admin.id)).dashboard.overview({ days: 14 });
    expect(overview.totalTasks).toBe(3);
  });

  it("answers bad input with BAD_REQUEST and the zod message", async () => {
    const caller = await callerFor(t, alice.id);
    const error = await caller.dashboard.overview({ days: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toContain("days must be at least 1");
    expect(await codeOf(caller.dashboard.overview({ days: "7" } as never))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.dashboard.overview({ days: 7, extra: 1 } as never))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.monitoring.executionLogs({ limit: 10_000 }))).toBe("BAD_REQUEST");
  });

  it("pages execution logs newest first with a cursor", async () => {
    const caller = await callerFor(t, alice.id);
    const first = await caller.monitoring.executionLogs({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await caller.monitoring.executionLogs({ limit: 3, cursor: first.nextCursor });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((l) => l.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("pauses and resumes the caller's own task, with an audit entry", async () => {
    const caller = await callerFor(t, alice.id);
    const task = await t.db.task.findFirstOrThrow({ where: { userId: alice.id, type: "GSC_INSIGHTS" } });
    expect(await caller.tasks.setPaused({ taskId: task.id, paused: true })).toMatchObject({
      status: "PAUSED",
      changed: true,
    });
    expect(await caller.tasks.setPaused({ taskId: task.id, paused: true })).toMatchObject({
      status: "PAUSED",
      changed: false,
    });
    const resumed = await caller.tasks.setPaused({ taskId: task.id, paused: false });
    expect(resumed).toMatchObject({ status: "ACTIVE", changed: true });
    // Resuming keeps the rhythm: a next run still ahead stays where it was...
    const row = await t.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(row.nextRunAt).toEqual(task.nextRunAt);
    // ...and one that passed while paused is due at once.
    await caller.tasks.setPaused({ taskId: task.id, paused: true });
    await t.db.task.update({ where: { id: task.id }, data: { nextRunAt: new Date(Date.now() - 3_600_000) } });
    await caller.tasks.setPaused({ taskId: task.id, paused: false });
    const overdue = await t.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(overdue.nextRunAt!.getTime()).toBeGreaterThan(Date.now() - 5_000);
    expect(overdue.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const audit = await t.db.auditLog.findMany({ where: { taskId: task.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["PAUSE", "RESUME", "PAUSE", "RESUME"]);
    expect(audit.every((a) => a.actorId === alice.id)).toBe(true);
  });

  it("answers another user's task id with NOT_FOUND and leaves it unchanged", async () => {
    const task = await t.db.task.findFirstOrThrow({ where: { userId: alice.id, type: "GSC_INSIGHTS" } });
    const before = await t.db.task.findUniqueOrThrow({ where: { id: task.id } });
    const bobCaller = await callerFor(t, bob.id);
    expect(await codeOf(bobCaller.tasks.setPaused({ taskId: task.id, paused: true }))).toBe("NOT_FOUND");
    expect(await codeOf(bobCaller.tasks.setPaused({ taskId: "does-not-exist", paused: true }))).toBe("NOT_FOUND");
    expect(await t.db.task.findUniqueOrThrow({ where: { id: task.id } })).toEqual(before);
  });

  it("refuses every mutation to a VIEWER with FORBIDDEN, but lets them read", async () => {
    const viewer = await createTestUser(t.db, "VIEWER");
    await t.db.task.create({
      data: {
        userId: viewer.id,
        type: "GSC_INSIGHTS",
        dedupeKey: "GSC_INSIGHTS:GSC",
        platform: "GSC",
        frequencyMinutes: 360,
      },
    });
    const caller = await callerFor(t, viewer.id);
    const [own] = await caller.tasks.list();
    expect(own).toBeDefined();
    const mutations = Object.entries(appRouter._def.procedures)
      .filter(([, p]) => (p as unknown as { _def: { type: string } })._def.type === "mutation")
      .map(([path]) => path);
    expect(mutations).toContain("tasks.setPaused");
    for (const path of mutations) {
      expect({ path, code: await codeOf(callPath(caller, path, { taskId: own!.id, paused: true })) }).toEqual({
        path,
        code: "FORBIDDEN",
      });
    }
    expect((await t.db.task.findUniqueOrThrow({ where: { id: own!.id } })).status).toBe("ACTIVE");
  });

  it("never returns token columns from platform.connections", async () => {
    await t.db.platformConnection.create({
      data: {
        userId: alice.id,
        platform: "GSC",
        accessTokenEnc: "v1:x:y:z:secret",
        refreshTokenEnc: "v1:x:y:z:secret2",
        siteUrls: ["https://a.example/"],
      },
    });
    const [connection] = await (await callerFor(t, alice.id)).platform.connections();
    expect(connection?.siteUrls).toEqual(["https://a.example/"]);
    expect(JSON.stringify(connection)).not.toContain("secret");
    expect(await (await callerFor(t, bob.id)).platform.connections()).toEqual([]);
  });
});

describe("admin guard", () => {
  it("refuses admin procedures to everyone but admins", async () => {
    const router = createTRPCRouter({ secret: adminProcedure.query(() => "admin data") });
    const t = await createTestDatabase("sqlite");
    try {
      const caller = (userId: string | null) =>
        createInnerContext({ db: t.db, engine: t.engine, sessionUserId: userId }).then(createCallerFactory(router));
      const [user, viewer, admin] = [
        await createTestUser(t.db, "USER"),
        await createTestUser(t.db, "VIEWER"),
        await createTestUser(t.db, "ADMIN"),
      ];
      expect(await codeOf((await caller(null)).secret())).toBe("UNAUTHORIZED");
      expect(await codeOf((await caller(user.id)).secret())).toBe("FORBIDDEN");
      expect(await codeOf((await caller(viewer.id)).secret())).toBe("FORBIDDEN");
      expect(await (await caller(admin.id)).secret()).toBe("admin data");
    } finally {
      await t.drop();
    }
  });
});

describe("feature flags", () => {
  it("mounts a sub-router only when its feature is on", () => {
    const env = parseEnv({
      AUTH_SECRET: "x".repeat(32),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64"),
      SCHEDULER_ENABLE_TASKS: "false",
      SCHEDULER_ENABLE_PLATFORM: "off",
    });
    const paths = Object.keys(servedRouter(features(env))._def.procedures);
    expect(paths.some((p) => p.startsWith("tasks."))).toBe(false);
    expect(paths.some((p) => p.startsWith("platform."))).toBe(false);
    expect(paths).toContain("dashboard.overview");
    expect(paths).toContain("system.me");
  });
});
