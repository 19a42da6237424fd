import type { TaskType } from "@/generated/sqlite/enums";
import { engineOfDb, type Db, type DbEngine, type SqlRunner } from "@/server/db";
import { asDate, Params } from "@/server/sql";
import type { ClaimedTask } from "./types";

/**
 * What makes a task claimable once due: not leased, and scheduled (ACTIVE), cooled off
 * (NEEDS_INTERVENTION, due at the end of its cool-off) or asked for (a manual trigger or retry, any
 * status). Migration 0021's partial index on "nextRunAt" has exactly this predicate, so the database
 * walks the claimable tasks in due order: keep the two the same.
 */
const CLAIMABLE = `"leaseOwner" IS NULL AND ("status" IN ('ACTIVE', 'NEEDS_INTERVENTION') OR "pendingTrigger" IS NOT NULL)`;

const CLAIMED_COLUMNS = `"id", "userId", "type", "status", "platform", "websiteUrl", "connectionId", "frequencyMinutes", "cronExpression", "cronTimeZone", "nextRunAt", "payload", "attempt", "pendingTrigger"`;

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
export async function claimDueTasks(db: SqlRunner, engine: DbEngine, options: ClaimOptions): Promise<ClaimedTask[]> {
  if (options.limit <= 0) return [];
  const leaseExpiresAt = new Date(options.now.getTime() + options.leaseMs);
  const pg = engine === "postgres";
  const p = new Params(engine);
  // Parameters are added in the order the SQL reads (SQLite's placeholders are positional).
  const set = `"leaseOwner" = ${p.add(options.workerId)}, "leaseExpiresAt" = ${p.add(leaseExpiresAt, "timestamp(3)")}, "updatedAt" = ${p.add(options.now, "timestamp(3)")}`;
  const due = `"nextRunAt" <= ${p.add(options.now, "timestamp(3)")}`;
  let filter = "";
  if (options.types && "in" in options.types) filter += ` AND ${p.inList(`"type"`, options.types.in)}`;
  else if (options.types && "notIn" in options.types && options.types.notIn.length > 0)
    filter += ` AND ${p.inList(`"type"`, options.types.notIn, true)}`;
  if (options.taskId) filter += ` AND "id" = ${p.add(options.taskId)}`;
  return db.$queryRawUnsafe<ClaimedTask[]>(
    `UPDATE "Task" SET ${set}
     WHERE "id" IN (
       SELECT "id" FROM "Task"
       WHERE ${due} AND ${CLAIMABLE}${filter}
       ORDER BY "nextRunAt" ASC
       LIMIT ${p.add(options.limit, "int")}${pg ? "\n       FOR UPDATE SKIP LOCKED" : ""})
     RETURNING ${CLAIMED_COLUMNS}`,
    ...p.values,
  );
}

/** When the next claimable task falls due (ignoring the given types, which have no free slot). */
export async function earliestDue(db: Db, excludeTypes: TaskType[]): Promise<Date | null> {
  const p = new Params(engineOfDb(db));
  const types = excludeTypes.length ? ` AND ${p.inList(`"type"`, excludeTypes, true)}` : "";
  const [next] = await db.$queryRawUnsafe<{ nextRunAt: Date | string }[]>(
    `SELECT "nextRunAt" FROM "Task" WHERE "nextRunAt" IS NOT NULL AND ${CLAIMABLE}${types} ORDER BY "nextRunAt" ASC LIMIT 1`,
    ...p.values,
  );
  return next ? asDate(next.nextRunAt) : null;
}
