import type { Db, DbEngine } from "@/server/db";
import type { ClaimedTask } from "./types";

const CLAIMED_COLUMNS = `"id", "userId", "type", "platform", "websiteUrl", "connectionId", "frequencyMinutes", "nextRunAt", "payload"`;

export interface ClaimOptions {
  workerId: string;
  now: Date;
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` due tasks for this worker by setting its lease. A task is due when ACTIVE,
 * nextRunAt <= now and not leased (or its lease expired). Safe across processes:
 * - PostgreSQL: one UPDATE over a FOR UPDATE SKIP LOCKED sub-select, so concurrent claimers never
 *   wait on or take each other's rows;
 * - SQLite: a guarded UPDATE per candidate that only one claimer can win (writes are serialised).
 */
export async function claimDueTasks(db: Db, engine: DbEngine, options: ClaimOptions): Promise<ClaimedTask[]> {
  if (options.limit <= 0) return [];
  const leaseExpiresAt = new Date(options.now.getTime() + options.leaseMs);
  if (engine === "postgres") {
    return db.$queryRawUnsafe<ClaimedTask[]>(
      `UPDATE "Task" SET "leaseOwner" = $1, "leaseExpiresAt" = $2, "updatedAt" = $3
       WHERE "id" IN (
         SELECT "id" FROM "Task"
         WHERE "status" = 'ACTIVE' AND "nextRunAt" <= $3
           AND ("leaseOwner" IS NULL OR "leaseExpiresAt" < $3)
         ORDER BY "nextRunAt" ASC
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING ${CLAIMED_COLUMNS}`,
      options.workerId,
      leaseExpiresAt,
      options.now,
      options.limit,
    );
  }
  const free = { status: "ACTIVE" as const, nextRunAt: { lte: options.now }, OR: [{ leaseOwner: null }, { leaseExpiresAt: { lt: options.now } }] };
  // The claimed columns are read with the candidates: only the lease changes when a claim is won.
  const candidates = await db.task.findMany({
    where: free,
    orderBy: { nextRunAt: "asc" },
    take: options.limit,
    select: { id: true, userId: true, type: true, platform: true, websiteUrl: true, connectionId: true, frequencyMinutes: true, nextRunAt: true, payload: true },
  });
  const claimed: ClaimedTask[] = [];
  for (const task of candidates) {
    const won = await db.task.updateMany({ where: { id: task.id, ...free }, data: { leaseOwner: options.workerId, leaseExpiresAt } });
    if (won.count === 1) claimed.push(task); // 0: another claimer got it first
  }
  return claimed;
}
