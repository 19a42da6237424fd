/**
 * An administrator's overview reads RunStatDailyAll (every user's daily rollup summed per day, type and
 * outcome), which triggers on RunStatDaily keep (migration 0023). On both engines, after each of a
 * random sequence of the writes RunStatDaily gets (the engine's batched upsert, one run's Prisma
 * upsert, bulk inserts as the seed makes them, updates, deletes, a user deleted with everything of
 * theirs), the sums must equal RunStatDaily's rows grouped, and the admin's overview must count the
 * same runs per day and all time as the users' rows say.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import type { ExecutionStatus, TaskType } from "@/generated/sqlite/enums";
import { VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { countRun } from "@/server/scheduler/stats";
import { getOverview } from "@/server/services/dashboard";
import { Params } from "@/server/sql";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

const STATUSES: ExecutionStatus[] = ["SUCCESS", "FAILED", "TIMED_OUT", "SKIPPED", "INTERRUPTED"];
const DAY = 86_400_000;
const rollupDay = (d: Date) => d.toISOString().slice(0, 10);

type Sum = { day: string; taskType: string; status: string; runs: number; totalDurationMs: number };
const key = (s: Sum) => `${s.day} ${s.taskType} ${s.status}`;
const sorted = (rows: Sum[]) =>
  rows.filter((r) => r.runs !== 0 || r.totalDurationMs !== 0).sort((a, b) => (key(a) < key(b) ? -1 : 1));

/** RunStatDaily's rows summed per day, type and outcome (the oracle), and what RunStatDailyAll holds. */
async function sums(db: Db) {
  const perUser = await db.runStatDaily.groupBy({
    by: ["day", "taskType", "status"],
    _sum: { runs: true, totalDurationMs: true },
  });
  const all = await db.runStatDailyAll.findMany();
  return {
    expected: sorted(
      perUser.map((r) => ({
        day: r.day,
        taskType: r.taskType,
        status: r.status,
        runs: r._sum.runs ?? 0,
        totalDurationMs: Number(r._sum.totalDurationMs ?? 0),
      })),
    ),
    actual: sorted(all.map((r) => ({ ...r, totalDurationMs: Number(r.totalDurationMs) }))),
  };
}

describe.each(testEngines())("the administrators' rollup (RunStatDailyAll) on %s", (engine) => {
  let t: TestDatabase;
  const r = prng(2023);
  const now = new Date();
  const users: string[] = [];
  const someDay = () => rollupDay(new Date(now.getTime() - r.int(0, 9) * DAY));
  const someType = () => r.pick<TaskType>([...VISIBLE_TASK_TYPES]);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    for (let i = 0; i < 4; i++) users.push((await createTestUser(t.db)).id);
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** The engine's batched write (batch.ts): one upsert of many rows, some new, some existing. */
  async function batchUpsert(n: number) {
    const p = new Params(engine);
    const rows = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const row = [r.pick(users), someDay(), someType(), r.pick(STATUSES)] as const;
      const k = row.join(" ");
      if (rows.has(k)) continue;
      const [userId, day, taskType, status] = row;
      rows.set(
        k,
        `(${p.add(userId)}, ${p.add(day)}, ${p.add(taskType, '"TaskType"')}, ${p.add(status, '"ExecutionStatus"')}, ${p.add(r.int(1, 5), "int")}, ${p.add(r.int(0, 9_000), "bigint")})`,
      );
    }
    await t.db.$executeRawUnsafe(
      `INSERT INTO "RunStatDaily" ("userId", "day", "taskType", "status", "runs", "totalDurationMs") VALUES ${[...rows.values()].join(", ")}
       ON CONFLICT ("userId", "day", "taskType", "status") DO UPDATE SET "runs" = "RunStatDaily"."runs" + excluded."runs", "totalDurationMs" = "RunStatDaily"."totalDurationMs" + excluded."totalDurationMs"`,
      ...p.values,
    );
  }

  it("equals the users' rows summed after every kind of write, and the admin's overview counts the same runs", async () => {
    const writes: Record<string, () => Promise<unknown>> = {
      batch: () => batchUpsert(r.int(1, 30)),
      oneRun: () =>
        t.db.$transaction((tx) =>
          countRun(tx, {
            userId: r.pick(users),
            startedAt: new Date(now.getTime() - r.int(0, 9) * DAY),
            taskType: someType(),
            status: r.pick(STATUSES),
            durationMs: r.int(0, 5_000),
          }),
        ),
      seed: async () => {
        const user = (await createTestUser(t.db)).id;
        users.push(user);
        await t.db.runStatDaily.createMany({
          data: [0, 1, 2].map((d) => ({
            userId: user,
            day: rollupDay(new Date(now.getTime() - d * DAY)),
            taskType: someType(),
            status: r.pick(STATUSES),
            runs: r.int(1, 50),
            totalDurationMs: BigInt(r.int(0, 90_000)),
          })),
        });
      },
      update: () =>
        t.db.runStatDaily.updateMany({
          where: { userId: r.pick(users), day: someDay() },
          data: { runs: { increment: 2 }, totalDurationMs: { increment: 100 } },
        }),
      deleteDay: () => t.db.runStatDaily.deleteMany({ where: { day: someDay() } }),
      deleteUser: async () => {
        if (users.length < 3) return;
        const [gone] = users.splice(r.int(0, users.length - 1), 1);
        await t.db.user.delete({ where: { id: gone! } });
      },
    };
    const names = Object.keys(writes);
    for (let step = 0; step < 60; step++) {
      const name = step < names.length ? names[step]! : r.pick(names);
      await writes[name]!();
      const { expected, actual } = await sums(t.db);
      expect(actual, `step ${step}: ${name}`).toEqual(expected);
    }
    const { expected } = await sums(t.db);
    expect(expected.length).toBeGreaterThan(10);

    // The admin's overview: runs per day of the window and all time, as the users' rows say.
    const admin = await createTestUser(t.db, "ADMIN");
    const overview = await getOverview(t.db, { userId: admin.id, role: "ADMIN" }, 7, null, now);
    const window = new Set(Array.from({ length: 7 }, (_, d) => rollupDay(new Date(now.getTime() - d * DAY))));
    for (const day of overview.runsPerDay) {
      const of = (pick: (s: string) => boolean) =>
        expected.filter((e) => e.day === day.day && pick(e.status)).reduce((a, e) => a + e.runs, 0);
      expect(day, day.day).toEqual({
        day: day.day,
        success: of((s) => s === "SUCCESS"),
        failed: of((s) => s === "FAILED" || s === "TIMED_OUT"),
        other: of((s) => s !== "SUCCESS" && s !== "FAILED" && s !== "TIMED_OUT"),
      });
    }
    expect(overview.runsPerDay.map((d) => d.day).sort()).toEqual([...window].sort());
    expect(overview.window.runs).toBe(expected.filter((e) => window.has(e.day)).reduce((a, e) => a + e.runs, 0));
  });
});
