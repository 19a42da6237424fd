import type { TaskType } from "@/generated/sqlite/enums";
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
 * Claims up to `limit` due tasks for this worker by setting its lease, in one statement that returns
 * the claimed rows. Claimable: due (nextRunAt <= now) and not leased, and either scheduled (ACTIVE),
 * cooled off with the cool-off over (NEEDS_INTERVENTION, whose nextRunAt is the end of the cool-off:
 * the probe) or asked for by a manual trigger or retry (any status, even PAUSED). Expired leases are
 * not claimable here: recovery closes their runs first (see recovery.ts). Safe across processes:
 * - PostgreSQL: the UPDATE runs over a FOR UPDATE SKIP LOCKED sub-select, so concurrent claimers
 *   never wait on or take each other's rows;
 * - SQLite: writes are serialised, and the sub-select and the UPDATE are one statement, so no other
 *   claimer can take a row between them.
 */
export async function claimDueTasks(db: Db, engine: DbEngine, options: ClaimOptions): Promise<ClaimedTask[]> {
  if (options.limit <= 0) return [];
  const leaseExpiresAt = new Date(options.now.getTime() + options.leaseMs);
  const pg = engine === "postgres";
  const params: unknown[] = [];
  const param = (value: unknown, pgType?: string) => {
    params.push(value instanceof Date ? (pg ? value.toISOString() : value.toISOString().replace("Z", "+00:00")) : value);
    return pg ? `$${params.length}${pgType ? `::${pgType}` : ""}` : "?";
  };
  const list = (values: string[]) => (pg ? `ANY(${param(values, "text[]")})` : `(${values.map((v) => param(v)).join(", ")})`);
  const set = `"leaseOwner" = ${param(options.workerId)}, "leaseExpiresAt" = ${param(leaseExpiresAt, "timestamp(3)")}, "updatedAt" = ${param(options.now, "timestamp(3)")}`;
  // SQLite's placeholders are positional: parameters are added in the order the SQL reads.
  const due = `"nextRunAt" <= ${param(options.now, "timestamp(3)")}`;
  let filter = "";
  if (options.types && "in" in options.types) {
    filter += pg ? ` AND "type"::text = ${list(options.types.in)}` : ` AND "type" IN ${list(options.types.in)}`;
  } else if (options.types && "notIn" in options.types && options.types.notIn.length > 0) {
    filter += pg ? ` AND NOT ("type"::text = ${list(options.types.notIn)})` : ` AND "type" NOT IN ${list(options.types.notIn)}`;
  }
  if (options.taskId) filter += ` AND "id" = ${param(options.taskId)}`;
  return db.$queryRawUnsafe<ClaimedTask[]>(
    `UPDATE "Task" SET ${set}
     WHERE "id" IN (
       SELECT "id" FROM "Task"
       WHERE ${due} AND "leaseOwner" IS NULL
         AND ("status" IN ('ACTIVE', 'NEEDS_INTERVENTION') OR "pendingTrigger" IS NOT NULL)${filter}
       ORDER BY "nextRunAt" ASC
       LIMIT ${param(options.limit, "int")}${pg ? "\n       FOR UPDATE SKIP LOCKED" : ""})
     RETURNING ${CLAIMED_COLUMNS}`,
    ...params,
  );
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
