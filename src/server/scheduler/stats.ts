import type { Prisma } from "@/generated/sqlite/client";
import type { Db, DbEngine, SqlRunner } from "@/server/db";
import { Params } from "@/server/sql";

type Tx = Prisma.TransactionClient;

/** The counters of the cumulative row that events determine. */
export const COUNTERS = [
  "totalCheckCycles",
  "tasksFound",
  "tasksExecuted",
  "tasksSucceeded",
  "tasksFailed",
  "tasksSkipped",
  "tasksTimedOut",
  "tasksInterrupted",
  "jobsCompleted",
  "jobsFailed",
  "leasesRecovered",
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

export const zeroCounters = (): Counters => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;

/**
 * Adds to the single cumulative row, inside the caller's transaction (the one writing the event): one
 * upsert, the same SQL on both engines, so the engine's hot path can run it on its own connection.
 */
export async function incrementCumulative(
  tx: SqlRunner,
  engine: DbEngine,
  delta: Partial<Counters>,
  extra: { lastCheckCycleId?: number; lastCheckCycleAt?: Date } = {},
  now: Date = new Date(),
) {
  const p = new Params(engine);
  const added = COUNTERS.filter((c) => delta[c]);
  const kept = (["lastCheckCycleId", "lastCheckCycleAt"] as const).filter((c) => extra[c] !== undefined);
  const columns = [...added, ...kept, "createdAt", "updatedAt"].map((c) => `"${c}"`).join(", ");
  const values = [
    ...added.map((c) => p.add(delta[c], "int")),
    ...kept.map((c) => p.add(extra[c], c === "lastCheckCycleAt" ? "timestamp(3)" : "int")),
  ];
  const stamps = [p.add(now, "timestamp(3)"), p.add(now, "timestamp(3)")]; // createdAt, updatedAt
  const sets = [
    ...added.map((c) => `"${c}" = "CumulativeStats"."${c}" + excluded."${c}"`),
    ...kept.map((c) => `"${c}" = excluded."${c}"`),
    `"updatedAt" = excluded."updatedAt"`,
  ].join(", ");
  await tx.$executeRawUnsafe(
    `INSERT INTO "CumulativeStats" ("id", ${columns}) VALUES (1, ${[...values, ...stamps].join(", ")})
     ON CONFLICT ("id") DO UPDATE SET ${sets}`,
    ...p.values,
  );
}

/**
 * What the events matching `where` contribute to the counters: the mapping from event to counter,
 * in one place. RETENTION_CLEANUP events carry what earlier clean-ups folded in.
 */
export async function countersFromEvents(
  db: Db | Tx,
  where: Prisma.SchedulerEventWhereInput = {},
  includeFolds = true,
): Promise<Counters> {
  const counters = zeroCounters();
  const groups = await db.schedulerEvent.groupBy({
    by: ["type", "runStatus"],
    where: {
      ...where,
      type: { in: ["CHECK_CYCLE", "JOB_COMPLETED", "JOB_FAILED", "JOB_CANCELLED", "LEASE_RECOVERED"] },
    },
    _count: { _all: true },
    _sum: { tasksFound: true, tasksExecuted: true, tasksFailed: true, tasksSkipped: true },
  });
  for (const g of groups) {
    const n = g._count._all;
    switch (g.type) {
      case "CHECK_CYCLE":
        counters.totalCheckCycles += n;
        counters.tasksFound += g._sum.tasksFound ?? 0;
        counters.tasksExecuted += g._sum.tasksExecuted ?? 0;
        counters.tasksFailed += g._sum.tasksFailed ?? 0;
        counters.tasksSkipped += g._sum.tasksSkipped ?? 0;
        break;
      case "JOB_COMPLETED":
        counters.jobsCompleted += n;
        if (g.runStatus !== "SKIPPED") counters.tasksSucceeded += n;
        break;
      case "JOB_FAILED":
        counters.jobsFailed += n;
        if (g.runStatus === "TIMED_OUT") counters.tasksTimedOut += n;
        break;
      case "JOB_CANCELLED":
        counters.tasksInterrupted += n;
        break;
      case "LEASE_RECOVERED":
        counters.leasesRecovered += n;
        break;
    }
  }
  if (!includeFolds) return counters;
  const folds = await db.schedulerEvent.findMany({
    where: { ...where, type: "RETENTION_CLEANUP" },
    select: { data: true },
  });
  for (const fold of folds) {
    const folded = (fold.data as { folded?: Partial<Counters> } | null)?.folded ?? {};
    for (const c of COUNTERS) counters[c] += Number(folded[c] ?? 0);
  }
  return counters;
}

export interface ReconcileReport {
  stored: Counters;
  recomputed: Counters;
  /** stored - recomputed, only for the counters that differ. */
  difference: Partial<Counters>;
  consistent: boolean;
  applied: boolean;
}

/**
 * Recomputes the cumulative counters from the events and reports how they differ from the stored
 * row. Only with `apply` is the row set to the recomputed values; clean-ups fold what they delete
 * into their RETENTION_CLEANUP event, so recomputing never loses history that retention removed.
 */
export async function reconcileCumulativeStats(db: Db, options: { apply?: boolean } = {}): Promise<ReconcileReport> {
  return db.$transaction(async (tx) => {
    const row = await tx.cumulativeStats.findUnique({ where: { id: 1 } });
    const stored = zeroCounters();
    if (row) for (const c of COUNTERS) stored[c] = row[c];
    const recomputed = await countersFromEvents(tx);
    const difference: Partial<Counters> = {};
    for (const c of COUNTERS) if (stored[c] !== recomputed[c]) difference[c] = stored[c] - recomputed[c];
    const consistent = Object.keys(difference).length === 0;
    const applied = Boolean(options.apply) && !consistent;
    if (applied)
      await tx.cumulativeStats.upsert({ where: { id: 1 }, create: { id: 1, ...recomputed }, update: recomputed });
    return { stored, recomputed, difference, consistent, applied };
  });
}

export interface CleanupResult {
  deleted: number;
  totalBefore: number;
  totalAfter: number;
  cutoff: Date;
}

const CLEANUP_BATCH = 5000;

/**
 * Deletes scheduler events older than `before` (RETENTION_CLEANUP events stay), in batches. Each
 * batch, in one transaction, deletes its events and adds what they contributed to the counters to
 * this clean-up's RETENTION_CLEANUP event, so recomputing the totals from events stays exact. The
 * cumulative row is not touched: retention never shrinks the totals.
 */
export async function cleanupSchedulerEvents(db: Db, before: Date, now: Date = new Date()): Promise<CleanupResult> {
  const totalBefore = await db.schedulerEvent.count();
  // Bounded by id so that events written meanwhile are neither counted nor deleted.
  const last = await db.schedulerEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  const doomed: Prisma.SchedulerEventWhereInput = {
    id: { lte: last?.id ?? 0 },
    occurredAt: { lt: before },
    type: { not: "RETENTION_CLEANUP" },
  };
  let deleted = 0;
  let foldId: number | null = null;
  for (;;) {
    const batch = await db.schedulerEvent.findMany({
      where: doomed,
      select: { id: true },
      orderBy: { id: "asc" },
      take: CLEANUP_BATCH,
    });
    if (batch.length === 0) break;
    const ids = { id: { in: batch.map((e) => e.id) } };
    foldId = await db.$transaction(async (tx) => {
      const counters = await countersFromEvents(tx, ids, false);
      const { count } = await tx.schedulerEvent.deleteMany({ where: ids });
      deleted += count;
      if (foldId === null) {
        const fold = await tx.schedulerEvent.create({
          data: {
            type: "RETENTION_CLEANUP",
            occurredAt: now,
            data: { deleted: count, cutoff: before.toISOString(), folded: counters },
          },
          select: { id: true },
        });
        return fold.id;
      }
      const fold = await tx.schedulerEvent.findUniqueOrThrow({ where: { id: foldId }, select: { data: true } });
      const previous = (fold.data as { folded: Counters; deleted: number }) ?? { folded: zeroCounters(), deleted: 0 };
      const folded = zeroCounters();
      for (const c of COUNTERS) folded[c] = Number(previous.folded[c] ?? 0) + counters[c];
      await tx.schedulerEvent.update({
        where: { id: foldId },
        data: { data: { deleted: previous.deleted + count, cutoff: before.toISOString(), folded } },
      });
      return foldId;
    });
  }
  const totalAfter = deleted === 0 ? totalBefore : totalBefore - deleted + 1;
  return { deleted, totalBefore, totalAfter, cutoff: before };
}

/**
 * The day of the daily rollup (RunStatDaily.day) a run counts in: the UTC day it started on, as
 * YYYY-MM-DD. The engine, the demo seed and the benchmark's data set all bucket runs with it.
 */
export function rollupDay(startedAt: Date): string {
  return startedAt.toISOString().slice(0, 10);
}

/** Counts one finished run into the daily rollup, inside the transaction that writes its final log. */
export async function countRun(
  tx: Tx,
  run: {
    userId: string | null;
    startedAt: Date;
    taskType: Prisma.RunStatDailyCreateInput["taskType"];
    status: Prisma.RunStatDailyCreateInput["status"];
    durationMs: number | null;
  },
) {
  if (!run.userId) return; // system tasks belong to no user's charts
  const key = {
    userId: run.userId,
    day: rollupDay(run.startedAt),
    taskType: run.taskType,
    status: run.status,
  };
  const duration = BigInt(Math.max(0, Math.round(run.durationMs ?? 0)));
  await tx.runStatDaily.upsert({
    where: { userId_day_taskType_status: key },
    create: { ...key, runs: 1, totalDurationMs: duration },
    update: { runs: { increment: 1 }, totalDurationMs: { increment: duration } },
  });
}
