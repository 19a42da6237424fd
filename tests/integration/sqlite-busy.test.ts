/**
 * SQLite allows one writer at a time. A web process and a worker process write the same file: the
 * engine's run records in one, users' pauses, resumes and triggers in the other. Each connection
 * waits for the lock (busy timeout) instead of failing, so no user ever sees SQLITE_BUSY and every
 * run is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { createDb } from "@/server/db";
import { createRequestLimits } from "@/server/limits";
import { SchedulerEngine } from "@/server/scheduler/engine";
import type { Executor } from "@/server/scheduler/types";
import { createTestDatabase, createTestUser, type TestDatabase } from "../helpers/db";

describe("SQLite under concurrent web and engine writes", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await t.drop();
  });

  it("retries on the write lock: 2,000 engine runs and 400 user mutations at once, no error, nothing lost", async () => {
    const user = await createTestUser(t.db);
    const now = Date.now();
    await t.db.task.createMany({
      data: Array.from({ length: 2000 }, (_, i) => ({
        userId: user.id,
        type: "GSC_INSIGHTS" as const,
        dedupeKey: `busy:${i}`,
        frequencyMinutes: 1440,
        nextRunAt: new Date(now - 1000),
      })),
    });
    const userTasks = await t.db.task.findMany({
      where: { userId: user.id },
      select: { id: true },
      take: 100,
      orderBy: { id: "asc" },
    });

    // The worker: its own connection to the same file, recording runs in batches.
    const workerDb = createDb(t.url);
    const noop: Executor = async () => ({ ok: true, result: { noop: true } });
    const engine = new SchedulerEngine({
      db: workerDb,
      engine: "sqlite",
      registry: { GSC_INSIGHTS: noop },
      config: { concurrency: 500, claimBatch: 250, typeConcurrency: {} },
    });
    const engineWork = (async () => {
      for (let cycle = 0; cycle < 50; cycle++) if (!(await engine.runCycle())) break;
    })();

    // The web process: another connection, users pausing, resuming and triggering meanwhile.
    const caller = createCaller(
      await createInnerContext({
        db: t.db,
        engine: "sqlite",
        sessionUserId: user.id,
        limits: createRequestLimits({ mutations: 1_000_000, reads: 1_000_000 }),
      }),
    );
    const errors: string[] = [];
    const webWork = Promise.all(
      userTasks.map(async ({ id }) => {
        for (const call of [
          () => caller.tasks.pause({ taskId: id }),
          () => caller.tasks.resume({ taskId: id }),
          () => caller.tasks.manualTrigger({ taskId: id }),
          () => caller.tasks.history({ taskId: id }),
        ]) {
          await call().catch((error: unknown) => {
            // A trigger may find its task running or already queued: CONFLICT is an answer, not a failure.
            if (!(error instanceof TRPCError && error.code === "CONFLICT")) errors.push(String(error));
          });
        }
      }),
    );
    await Promise.all([engineWork, webWork]);
    await workerDb.$disconnect();

    expect(errors).toEqual([]);
    const recorded = await t.db.executionLog.count({ where: { status: "SUCCESS" } });
    expect(recorded).toBeGreaterThanOrEqual(1900); // each task once; the ones paused meanwhile may have been skipped
    expect(await t.db.executionLog.count({ where: { status: "RUNNING" } })).toBe(0);
    expect(await t.db.schedulerEvent.count({ where: { type: "JOB_COMPLETED" } })).toBe(recorded);
    expect((await t.db.cumulativeStats.findUniqueOrThrow({ where: { id: 1 } })).jobsCompleted).toBe(recorded);
    expect(await t.db.auditLog.count({ where: { actorId: user.id, action: { in: ["PAUSE", "RESUME"] } } })).toBe(200); // every pause and resume went through
  }, 120_000);
});
