import type { TaskType } from "@/generated/sqlite/enums";
import type { Prisma } from "@/generated/sqlite/client";
import type { Db, DbEngine } from "@/server/db";
import type { ClaimedTask } from "./types";

const CLAIMED_COLUMNS = `"id", "userId", "type", "status", "platform", "websiteUrl", "connectionId", "frequencyMinutes", "nextRunAt", "payload", "attempt", "pendingTrigger"`;

export interface ClaimOptions {
  workerId: string;
  now: Date;
  leaseMs: number;
  limit: number;
  /** Only these types, or all types except these. */
  types?: { in: TaskType[] } | { notIn: TaskType[] };
  /** Only this task (a manual trigger run at once in this process). */
  taskId?: string;
}

/**
 * Which tasks can be claimed: due (nextRunAt <= now) and not leased, and either scheduled
 * (ACTIVE), cooled off with the cool-off over (NEEDS_INTERVENTION, whose nextRunAt is the end of
 * the cool-off: the probe) or asked for by a manual trigger or retry (any status, even PAUSED).
 * Expired leases are not claimable here: recovery closes their runs first (see recovery.ts).
 */
export function claimableWhere(now: Date): Prisma.TaskWhereInput {
  return {
    nextRunAt: { lte: now },
    leaseOwner: null,
    OR: [{ status: { in: ["ACTIVE", "NEEDS_INTERVENTION"] } }, { pendingTrigger: { not: null } }],
  };
}

/**
 * Claims up to `limit` due tasks for this worker by setting its lease. Safe across processes:
 * - PostgreSQL: one UPDATE over a FOR UPDATE SKIP LOCKED sub-select, so concurrent claimers never
 *   wait on or take each other's rows;
 * - SQLite: a guarded UPDATE per candidate that only one claimer can win (writes are serialised).
 */
export async function claimDueTasks(db: Db, engine: DbEngine, options: ClaimOptions): Promise<ClaimedTask[]> {
  if (options.limit <= 0) return [];
  const leaseExpiresAt = new Date(options.now.getTime() + options.leaseMs);
  if (engine === "postgres") {
    const params: unknown[] = [options.workerId, leaseExpiresAt, options.now, options.limit];
    let filter = "";
    if (options.types && "in" in options.types) {
      params.push(options.types.in);
      filter += ` AND "type"::text = ANY($${params.length}::text[])`;
    } else if (options.types && "notIn" in options.types && options.types.notIn.length > 0) {
      params.push(options.types.notIn);
      filter += ` AND NOT ("type"::text = ANY($${params.length}::text[]))`;
    }
    if (options.taskId) {
      params.push(options.taskId);
      filter += ` AND "id" = $${params.length}`;
    }
    return db.$queryRawUnsafe<ClaimedTask[]>(
      `UPDATE "Task" SET "leaseOwner" = $1, "leaseExpiresAt" = $2, "updatedAt" = $3
       WHERE "id" IN (
         SELECT "id" FROM "Task"
         WHERE "nextRunAt" <= $3 AND "leaseOwner" IS NULL
           AND ("status" IN ('ACTIVE', 'NEEDS_INTERVENTION') OR "pendingTrigger" IS NOT NULL)${filter}
         ORDER BY "nextRunAt" ASC
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING ${CLAIMED_COLUMNS}`,
      ...params,
    );
  }
  const free: Prisma.TaskWhereInput = { ...claimableWhere(options.now) };
  if (options.types) free.type = options.types;
  if (options.taskId) free.id = options.taskId;
  // The claimed columns are read with the candidates: only the lease changes when a claim is won.
  const candidates = await db.task.findMany({
    where: free,
    orderBy: { nextRunAt: "asc" },
    take: options.limit,
    select: {
      id: true,
      userId: true,
      type: true,
      status: true,
      platform: true,
      websiteUrl: true,
      connectionId: true,
      frequencyMinutes: true,
      nextRunAt: true,
      payload: true,
      attempt: true,
      pendingTrigger: true,
    },
  });
  const claimed: ClaimedTask[] = [];
  for (const task of candidates) {
    const won = await db.task.updateMany({ where: { ...free, id: task.id }, data: { leaseOwner: options.workerId, leaseExpiresAt } });
    if (won.count === 1) claimed.push(task); // 0: another claimer got it first
  }
  return claimed;
}

/** When the next claimable task falls due (ignoring the given types, which have no free slot). */
export async function earliestDue(db: Db, excludeTypes: TaskType[]): Promise<Date | null> {
  const next = await db.task.findFirst({
    where: {
      nextRunAt: { not: null },
      leaseOwner: null,
      OR: [{ status: { in: ["ACTIVE", "NEEDS_INTERVENTION"] } }, { pendingTrigger: { not: null } }],
      ...(excludeTypes.length ? { type: { notIn: excludeTypes } } : {}),
    },
    orderBy: { nextRunAt: "asc" },
    select: { nextRunAt: true },
  });
  return next?.nextRunAt ?? null;
}
