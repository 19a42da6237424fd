/**
 * Set-based writes for the engine's hot path, so the cost of a run does not grow with the number of
 * statements an ORM call makes: the RUNNING logs of a whole claim in one INSERT … SELECT, and the
 * successful runs that finished together recorded in one transaction (logs, tasks, job events, daily
 * rollup, counters). The same SQL runs on SQLite (3.35+: RETURNING, UPDATE … FROM) and PostgreSQL;
 * only placeholders and casts differ.
 */
import type { ExecutionStatus, TaskType, TriggerKind } from "@/generated/sqlite/enums";
import type { DbEngine, SqlRunner } from "@/server/db";
import { Params } from "@/server/sql";
import { incrementCumulative, rollupDay } from "./stats";
import { nextTaskState } from "./task-state";

/**
 * Writes the RUNNING log of every claimed task that this worker still holds, in one statement: a
 * claim whose lease was lost in between (recovered by another worker) gets no log and is not run.
 * Returns the log id per task id.
 */
export async function openRuns(
  db: SqlRunner,
  engine: DbEngine,
  workerId: string,
  taskIds: string[],
  startedAt: Date,
): Promise<Map<string, number>> {
  if (taskIds.length === 0) return new Map();
  const p = new Params(engine);
  const rows = await db.$queryRawUnsafe<{ id: number | bigint; taskId: string }[]>(
    `INSERT INTO "ExecutionLog" ("taskId", "userId", "taskType", "status", "trigger", "attempt", "scheduledFor", "startedAt", "workerId")
     SELECT "id", "userId", "type", ${p.enumLiteral("RUNNING", "ExecutionStatus")}, COALESCE("pendingTrigger", ${p.enumLiteral("SCHEDULED", "TriggerKind")}), "attempt" + 1, "nextRunAt", ${p.add(startedAt, "timestamp(3)")}, ${p.add(workerId)}
     FROM "Task" WHERE ${p.inList(`"id"`, taskIds)} AND "leaseOwner" = ${p.add(workerId)}
     RETURNING "id", "taskId"`,
    ...p.values,
  );
  return new Map(rows.map((r) => [r.taskId, Number(r.id)]));
}

/** A successful (or skipped) run of an ACTIVE task, ready to be recorded with others. */
export interface FinishedRun {
  logId: number;
  taskId: string;
  userId: string | null;
  taskType: TaskType;
  trigger: TriggerKind;
  attempt: number;
  status: Extract<ExecutionStatus, "SUCCESS" | "SKIPPED">;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  /** Where the task's rhythm brings it next (nextRegularRun). */
  nextRunAt: Date;
  result: unknown;
  dataSource: string | null;
  skipped: string | null;
}

/**
 * Records finished runs in the caller's transaction, as the one-run path does for each: closes each
 * RUNNING log (a run already closed by recovery or interruption is left alone and reported as not
 * recorded), moves each task still leased by this worker to its next state (nextTaskState: the next
 * run, the failure state cleared), writes the JOB_COMPLETED events and adds the runs to the daily
 * rollup and the counters. The "needs you" alerts these runs close are the caller's (RunBatcher: those
 * of a task that has one, in the same transaction).
 * Returns the log ids that were recorded.
 */
export async function recordFinishedRuns(
  tx: SqlRunner,
  engine: DbEngine,
  workerId: string,
  runs: FinishedRun[],
  now: Date,
): Promise<Set<number>> {
  if (runs.length === 0) return new Set();
  const logs = new Params(engine);
  const logValues = logs.rowSet(
    ["int", `"ExecutionStatus"`, "timestamp(3)", "int", "jsonb", "text", "text"],
    runs.map((r) => [r.logId, r.status, r.finishedAt, r.durationMs, r.result ?? null, r.dataSource, r.skipped]),
  );
  const closed = await tx.$queryRawUnsafe<{ id: number | bigint }[]>(
    `WITH v("id", "status", "finishedAt", "durationMs", "result", "dataSource", "errorMessage") AS (${logValues})
     UPDATE "ExecutionLog" SET "status" = v."status", "finishedAt" = v."finishedAt", "durationMs" = v."durationMs", "result" = v."result", "dataSource" = v."dataSource", "errorMessage" = v."errorMessage"
     FROM v WHERE "ExecutionLog"."id" = v."id" AND "ExecutionLog"."status" = ${logs.enumLiteral("RUNNING", "ExecutionStatus")}
     RETURNING "ExecutionLog"."id"`,
    ...logs.values,
  );
  const recorded = new Set(closed.map((row) => Number(row.id)));
  const done = runs.filter((r) => recorded.has(r.logId));
  if (done.length === 0) return recorded;

  // Only the lease holder moves a task on; a recovered lease belongs to someone else now. Each
  // task's next state is nextTaskState's (these runs' tasks were ACTIVE when claimed), written for
  // all of them in one statement.
  const tasks = new Params(engine);
  const taskValues = tasks.rowSet(
    [
      "text",
      `"TaskStatus"`,
      "timestamp(3)",
      `"ExecutionStatus"`,
      "timestamp(3)",
      "timestamp(3)",
      "int",
      "int",
      "int",
      "timestamp(3)",
      "text",
      `"FailureCategory"`,
      "jsonb",
    ],
    done.map((r) => {
      const next = nextTaskState(
        { status: "ACTIVE" },
        { status: r.status, trigger: r.trigger, startedAt: r.startedAt, nextRegularRunAt: r.nextRunAt },
        r.finishedAt,
      );
      return [
        r.taskId,
        next.status,
        next.lastRunAt,
        next.lastOutcome,
        next.lastSuccessAt,
        next.nextRunAt,
        next.attempt,
        next.consecutiveFailures,
        next.coolOffCount,
        next.coolOffUntil,
        next.failureReason,
        next.failureCategory,
        next.failurePattern,
      ];
    }),
  );
  await tx.$executeRawUnsafe(
    `WITH v("id", "status", "lastRunAt", "lastOutcome", "lastSuccessAt", "nextRunAt", "attempt", "consecutiveFailures", "coolOffCount", "coolOffUntil", "failureReason", "failureCategory", "failurePattern") AS (${taskValues})
     UPDATE "Task" SET
       "status" = CASE WHEN "Task"."status" IN (${tasks.enumLiteral("PAUSED", "TaskStatus")}, ${tasks.enumLiteral("ENDED", "TaskStatus")}) THEN "Task"."status" ELSE v."status" END,
       "lastRunAt" = v."lastRunAt", "lastOutcome" = v."lastOutcome", "lastSuccessAt" = v."lastSuccessAt", "nextRunAt" = v."nextRunAt",
       "attempt" = v."attempt", "consecutiveFailures" = v."consecutiveFailures", "coolOffCount" = v."coolOffCount", "coolOffUntil" = v."coolOffUntil",
       "failureReason" = v."failureReason", "failureCategory" = v."failureCategory", "failurePattern" = v."failurePattern",
       "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "pendingTrigger" = NULL, "runCount" = "Task"."runCount" + 1,
       "updatedAt" = ${tasks.add(now, "timestamp(3)")}
     FROM v WHERE "Task"."id" = v."id" AND "Task"."leaseOwner" = ${tasks.add(workerId, "text")}`,
    ...tasks.values,
  );

  const events = new Params(engine);
  const eventValues = events.rowSet(
    [
      `"SchedulerEventType"`,
      `"ExecutionStatus"`,
      "timestamp(3)",
      "text",
      "text",
      "int",
      "text",
      `"JobKind"`,
      "int",
      "jsonb",
    ],
    done.map((r) => [
      "JOB_COMPLETED",
      r.status,
      r.finishedAt,
      r.userId,
      r.taskId,
      r.logId,
      workerId,
      r.trigger === "SCHEDULED" ? "RECURRING" : "ONE_TIME",
      r.durationMs,
      { taskType: r.taskType, trigger: r.trigger, attempt: r.attempt },
    ]),
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "SchedulerEvent" ("type", "runStatus", "occurredAt", "userId", "taskId", "executionLogId", "workerId", "jobKind", "durationMs", "data") ${eventValues}`,
    ...events.values,
  );

  // The daily rollup: one row per user, day, type and outcome, whatever the number of runs.
  const buckets = new Map<
    string,
    { userId: string; day: string; taskType: TaskType; status: ExecutionStatus; runs: number; totalDurationMs: number }
  >();
  for (const r of done) {
    if (!r.userId) continue; // system tasks belong to no user's charts
    const day = rollupDay(r.startedAt);
    const key = `${r.userId}|${day}|${r.taskType}|${r.status}`;
    const bucket = buckets.get(key) ?? {
      userId: r.userId,
      day,
      taskType: r.taskType,
      status: r.status,
      runs: 0,
      totalDurationMs: 0,
    };
    bucket.runs++;
    bucket.totalDurationMs += Math.max(0, Math.round(r.durationMs));
    buckets.set(key, bucket);
  }
  if (buckets.size) {
    const rollup = new Params(engine);
    // In key order, so that two transactions adding to the same rows lock them in the same order.
    const rollupValues = rollup.rowSet(
      ["text", "text", `"TaskType"`, `"ExecutionStatus"`, "int", "bigint"],
      [...buckets.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, b]) => [b.userId, b.day, b.taskType, b.status, b.runs, b.totalDurationMs]),
    );
    await tx.$executeRawUnsafe(
      `INSERT INTO "RunStatDaily" ("userId", "day", "taskType", "status", "runs", "totalDurationMs") ${rollupValues}
       ON CONFLICT ("userId", "day", "taskType", "status") DO UPDATE SET "runs" = "RunStatDaily"."runs" + excluded."runs", "totalDurationMs" = "RunStatDaily"."totalDurationMs" + excluded."totalDurationMs"`,
      ...rollup.values,
    );
  }
  await incrementCumulative(
    tx,
    engine,
    { jobsCompleted: done.length, tasksSucceeded: done.filter((r) => r.status === "SUCCESS").length },
    {},
    now,
  );
  return recorded;
}
