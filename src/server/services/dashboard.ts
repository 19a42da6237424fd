import { subDays, startOfDay, format, addDays } from "date-fns";
import { Prisma } from "@/generated/sqlite/client";
import type { ExecutionStatus, TaskStatus, TaskType } from "@/generated/sqlite/enums";
import type { Db, DbEngine } from "@/server/db";
import { ownedBy, type Scope } from "./scope";

export const TASK_TYPES: TaskType[] = ["OAUTH_TOKEN_MONITORING", "GSC_INSIGHTS", "BING_INSIGHTS", "WEBSITE_ANALYSIS"];
export const TASK_STATUSES: TaskStatus[] = ["ACTIVE", "PAUSED", "FAILED", "NEEDS_INTERVENTION"];

export interface RunsPerDay {
  day: string; // YYYY-MM-DD (UTC)
  success: number;
  failed: number;
  other: number;
}

/** Runs per UTC day in the window, split by outcome; one grouped query over the (owner, time) index. */
export async function runsPerDay(db: Db, engine: DbEngine, scope: Scope, days: number, now = new Date()): Promise<RunsPerDay[]> {
  const since = startOfDay(subDays(now, days - 1));
  const owner = ownedBy(scope).userId;
  const ownerFilter = owner === undefined ? Prisma.empty : Prisma.sql`AND "userId" = ${owner}`;
  // The day expression is the only engine-specific part (SQLite stores DateTime as ISO-8601 text).
  const dayExpr =
    engine === "postgres" ? Prisma.sql`to_char("startedAt", 'YYYY-MM-DD')` : Prisma.sql`substr("startedAt", 1, 10)`;
  const rows = await db.$queryRaw<{ day: string; status: ExecutionStatus; n: bigint | number }[]>`
    SELECT ${dayExpr} AS "day", "status", COUNT(*) AS "n"
    FROM "ExecutionLog"
    WHERE "startedAt" >= ${since} ${ownerFilter}
    GROUP BY 1, 2`;
  const byDay = new Map<string, RunsPerDay>();
  for (let d = 0; d < days; d++) {
    const day = format(addDays(since, d), "yyyy-MM-dd");
    byDay.set(day, { day, success: 0, failed: 0, other: 0 });
  }
  for (const row of rows) {
    const bucket = byDay.get(row.day);
    if (!bucket) continue;
    const n = Number(row.n);
    if (row.status === "SUCCESS") bucket.success += n;
    else if (row.status === "FAILED" || row.status === "TIMED_OUT") bucket.failed += n;
    else bucket.other += n;
  }
  return [...byDay.values()];
}

export async function getOverview(db: Db, engine: DbEngine, scope: Scope, days: number, now = new Date()) {
  const where = ownedBy(scope);
  const [byStatusType, stats, perDay, nextDue] = await Promise.all([
    db.task.groupBy({ by: ["type", "status"], where: { ...where, type: { in: TASK_TYPES } }, _count: { _all: true } }),
    db.cumulativeStats.findUnique({ where: { id: 1 } }),
    runsPerDay(db, engine, scope, days, now),
    db.task.findFirst({
      where: { ...where, status: "ACTIVE", nextRunAt: { not: null }, type: { in: TASK_TYPES } },
      orderBy: { nextRunAt: "asc" },
      select: { nextRunAt: true },
    }),
  ]);

  const tasksByStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  const tasksByType = Object.fromEntries(TASK_TYPES.map((t) => [t, 0])) as Record<TaskType, number>;
  let totalTasks = 0;
  for (const row of byStatusType) {
    tasksByStatus[row.status] += row._count._all;
    tasksByType[row.type] += row._count._all;
    totalTasks += row._count._all;
  }
  const succeeded = perDay.reduce((a, d) => a + d.success, 0);
  const failed = perDay.reduce((a, d) => a + d.failed, 0);
  const finished = succeeded + failed;

  return {
    totalTasks,
    tasksByStatus,
    tasksByType,
    window: { days, runs: perDay.reduce((a, d) => a + d.success + d.failed + d.other, 0), succeeded, failed },
    successRate: finished === 0 ? null : succeeded / finished,
    runsPerDay: perDay,
    nextDueAt: nextDue?.nextRunAt ?? null,
    cumulative: stats
      ? {
          totalCheckCycles: stats.totalCheckCycles,
          tasksFound: stats.tasksFound,
          tasksExecuted: stats.tasksExecuted,
          tasksFailed: stats.tasksFailed,
          tasksSkipped: stats.tasksSkipped,
          lastCheckCycleAt: stats.lastCheckCycleAt,
        }
      : null,
    lastUpdated: now,
  };
}
export type Overview = Awaited<ReturnType<typeof getOverview>>;
