import { closeTaskAlertsByHand } from "@/server/scheduler/alerts/conditions";
import { rollupDay } from "@/server/scheduler/stats";
import { Prisma } from "@/generated/sqlite/client";
import type {
  AuditAction,
  ExecutionStatus,
  FailureCategory,
  Platform,
  TaskStatus,
  TaskType,
  TriggerKind,
} from "@/generated/sqlite/enums";
import { engineOfDb, type Db } from "@/server/db";
import { asDate, asDateOrNull, numberOrNull, Params, parsedJson } from "@/server/sql";
import { CLEARED_FAILURE_STATE } from "@/server/scheduler/failure";
import { VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import type {
  BulkTriggerInput,
  HistoryInput,
  InterventionListInput,
  ManualTriggerInput,
  RetryInput,
  SetGraceInput,
  SetPausedInput,
  UpdateScheduleInput,
} from "@/lib/validation/tasks";
import {
  describeSchedule,
  runsAfterChange,
  scheduleOf,
  scheduleProblem,
  usualGapMinutes,
  type Schedule,
} from "@/lib/schedule";
import { suggestedAction } from "./attention";
import type { TaskRunner } from "./runner";

export type { TaskRunner };
import { ownedBy, type Scope } from "./scope";
import { ConflictError, InvalidInputError, NotFoundError } from "@/server/errors";

const ENDED_MESSAGE =
  "This task has ended (its website was removed or its platform disconnected): add the website or connect the platform again to restart it";

export function listTasks(db: Db, scope: Scope) {
  return db.task.findMany({
    where: { ...ownedBy(scope), type: { in: VISIBLE_TASK_TYPES }, status: { not: "ENDED" } },
    orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      type: true,
      platform: true,
      websiteUrl: true,
      websiteRole: true,
      frequencyMinutes: true,
      cronExpression: true,
      cronTimeZone: true,
      status: true,
      nextRunAt: true,
      lastRunAt: true,
      lastOutcome: true,
      consecutiveFailures: true,
      failureReason: true,
    },
  });
}

/**
 * Sets how late a task's run may start before it counts as late (null: the default, a tenth of its
 * interval, at least 5 minutes), with an audit entry when it changes.
 */
export async function setGrace(db: Db, scope: Scope, input: SetGraceInput) {
  return db.$transaction(async (tx) => {
    const task = await tx.task.findFirst({
      where: { id: input.taskId, ...ownedBy(scope), type: { in: VISIBLE_TASK_TYPES } },
      select: { id: true, graceMinutes: true, frequencyMinutes: true },
    });
    if (!task) throw new NotFoundError("Task");
    if (task.graceMinutes === input.graceMinutes) return { ...task, changed: false };
    const updated = await tx.task.update({
      where: { id: task.id },
      data: { graceMinutes: input.graceMinutes },
      select: { id: true, graceMinutes: true, frequencyMinutes: true },
    });
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: "SET_GRACE",
        taskId: task.id,
        targetType: "Task",
        targetId: task.id,
        details: { from: task.graceMinutes, to: input.graceMinutes },
      },
    });
    return { ...updated, changed: true };
  });
}

/**
 * Pauses or resumes one of the caller's tasks, with an audit entry in the same transaction.
 * Resuming makes the task due no later than now (and wakes the engine). Idempotent: the same request twice changes nothing more.
 */
export async function setPaused(
  db: Db,
  scope: Scope,
  input: SetPausedInput,
  runner: TaskRunner | null = null,
  now = new Date(),
) {
  const result = await db.$transaction(async (tx) => {
    const task = await tx.task.findFirst({
      where: { id: input.taskId, ...ownedBy(scope), type: { in: VISIBLE_TASK_TYPES } },
      select: { id: true, status: true, nextRunAt: true },
    });
    if (!task) throw new NotFoundError("Task");
    if (task.status === "ENDED") throw new ConflictError(ENDED_MESSAGE);
    const target = input.paused ? "PAUSED" : "ACTIVE";
    if (input.paused ? task.status === "PAUSED" : task.status !== "PAUSED") {
      return { id: task.id, status: task.status, changed: false };
    }
    const updated = await tx.task.update({
      where: { id: task.id },
      data: input.paused
        ? { status: target }
        : // Resuming keeps the task's rhythm: it runs when it was due, or at once if that time passed while paused.
          { status: target, nextRunAt: task.nextRunAt && task.nextRunAt > now ? task.nextRunAt : now },
      select: { id: true, status: true },
    });
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: input.paused ? "PAUSE" : "RESUME",
        taskId: task.id,
        targetType: "Task",
        targetId: task.id,
        details: { from: task.status, to: target },
      },
    });
    return { ...updated, changed: true };
  });
  if (result.changed && !input.paused) runner?.wake(); // a resumed task may be due at once
  return result;
}

/** The columns a schedule is stored in (`frequencyMinutes` of a cron schedule is its usual gap). */
function scheduleColumns(schedule: Schedule, now: Date) {
  return schedule.kind === "interval"
    ? { frequencyMinutes: schedule.minutes, cronExpression: null, cronTimeZone: null }
    : {
        frequencyMinutes: usualGapMinutes(schedule, now),
        cronExpression: schedule.expression,
        cronTimeZone: schedule.timeZone,
      };
}

function sameSchedule(a: Schedule, b: Schedule): boolean {
  return a.kind === "interval"
    ? b.kind === "interval" && a.minutes === b.minutes
    : b.kind === "cron" && a.expression === b.expression && a.timeZone === b.timeZone;
}

/**
 * Changes a task's schedule (an interval or a cron expression in a time zone), within its kind's limits
 * (`scheduleProblem`: a refusal is a BAD_REQUEST saying why), with an audit entry of before and after in
 * the same transaction. A task waiting for its regular run is rescheduled at once: a cron task to the
 * expression's next time, an interval task to its last run plus the new interval (now, if that passed).
 * A task that is running, retrying or cooling off keeps its next time; the runs after it follow the new
 * schedule. Saving the same schedule again changes nothing.
 */
export async function updateSchedule(
  db: Db,
  scope: Scope,
  input: UpdateScheduleInput,
  runner: TaskRunner | null = null,
  now = new Date(),
) {
  const result = await db.$transaction(async (tx) => {
    const task = await tx.task.findFirst({
      where: { id: input.taskId, ...ownedBy(scope), type: { in: VISIBLE_TASK_TYPES } },
      select: {
        id: true,
        type: true,
        status: true,
        frequencyMinutes: true,
        cronExpression: true,
        cronTimeZone: true,
        nextRunAt: true,
        lastRunAt: true,
        attempt: true,
        leaseOwner: true,
        pendingTrigger: true,
      },
    });
    if (!task) throw new NotFoundError("Task");
    if (task.status === "ENDED") throw new ConflictError(ENDED_MESSAGE);
    const problem = scheduleProblem(task.type, input.schedule, now);
    if (problem) throw new InvalidInputError(problem);
    const before = scheduleOf(task);
    if (sameSchedule(before, input.schedule)) return { id: task.id, nextRunAt: task.nextRunAt, changed: false };

    const columns = scheduleColumns(input.schedule, now);
    const waitingForRegularRun =
      (task.status === "ACTIVE" || task.status === "PAUSED") &&
      task.attempt === 0 &&
      task.leaseOwner === null &&
      task.pendingTrigger === null;
    const nextRunAt = waitingForRegularRun ? runsAfterChange(input.schedule, task, now, 1)[0]! : task.nextRunAt;
    const updated = await tx.task.update({
      where: { id: task.id },
      data: { ...columns, nextRunAt },
      select: { id: true, nextRunAt: true },
    });
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: "SET_SCHEDULE",
        taskId: task.id,
        targetType: "Task",
        targetId: task.id,
        details: {
          from: { ...before, reading: describeSchedule(before) },
          to: { ...input.schedule, reading: describeSchedule(input.schedule) },
        },
      },
    });
    return { ...updated, changed: true };
  });
  if (result.changed) runner?.wake(); // an earlier next run may be due at once
  return result;
}

export interface TriggerResult {
  taskId: string;
  /** false: a run of this task was already queued or in flight, and no second one was asked for. */
  queued: boolean;
  /** The run to follow: the one just started here, or the one already in flight; null when a worker elsewhere will start it. */
  executionLogId: number | null;
}

const FAILURE_RESET = {
  ...CLEARED_FAILURE_STATE,
  failureHistory: Prisma.DbNull,
} satisfies Prisma.TaskUpdateManyMutationInput;

async function runningLogOf(db: Db, taskId: string): Promise<number | null> {
  const log = await db.executionLog.findFirst({
    where: { taskId, status: "RUNNING" },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return log?.id ?? null;
}

/**
 * Asks for a run of the task now (trigger MANUAL or RETRY), with an audit entry, in one transaction.
 * Idempotent while a run is queued or in flight: only one of any number of concurrent requests
 * queues a run (a guarded update), the others get `queued: false` and the run in flight.
 */
async function requestRun(
  db: Db,
  scope: Scope,
  { taskId, type }: { taskId: string; type?: TaskType },
  kind: "MANUAL" | "RETRY",
  prepare: (task: { status: TaskStatus; lastOutcome: ExecutionStatus | null }) => Prisma.TaskUpdateManyMutationInput,
  runner: TaskRunner | null,
  now: Date,
): Promise<TriggerResult> {
  const queued = await db.$transaction(async (tx) => {
    // A task of another type than the caller expects (the REST path names one) is as absent as another user's.
    const task = await tx.task.findFirst({
      where: { id: taskId, ...ownedBy(scope), type: type ?? { in: VISIBLE_TASK_TYPES } },
      select: { id: true, userId: true, status: true, lastOutcome: true },
    });
    if (!task) throw new NotFoundError("Task");
    if (task.status === "PAUSED") throw new ConflictError("Task is paused: resume it before running it");
    if (task.status === "ENDED") throw new ConflictError(ENDED_MESSAGE);
    const data = prepare(task);
    const won = await tx.task.updateMany({
      where: { id: task.id, pendingTrigger: null, leaseOwner: null },
      data: { ...data, pendingTrigger: kind, nextRunAt: now },
    });
    if (won.count === 0) return false;
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: kind === "MANUAL" ? "MANUAL_TRIGGER" : "RETRY",
        taskId: task.id,
        targetType: "Task",
        targetId: task.id,
        details: { from: task.status, lastOutcome: task.lastOutcome },
      },
    });
    await tx.schedulerEvent.create({
      data: {
        type: "JOB_SCHEDULED",
        occurredAt: now,
        userId: task.userId,
        taskId: task.id,
        jobKind: "ONE_TIME",
        data: { trigger: kind, by: scope.userId },
      },
    });
    if ((task.status === "NEEDS_INTERVENTION" || task.status === "FAILED") && data.status === "ACTIVE")
      await closeTaskAlertsByHand(tx, task.id, now);
    if (task.status === "NEEDS_INTERVENTION" && data.status === "ACTIVE") {
      await tx.schedulerEvent.create({
        data: {
          type: "TASK_RELEASED",
          occurredAt: now,
          userId: task.userId,
          taskId: task.id,
          data: { reason: kind === "MANUAL" ? "manual trigger" : "retry with reset", by: scope.userId },
        },
      });
    }
    return true;
  });
  if (!queued) return { taskId, queued: false, executionLogId: await runningLogOf(db, taskId) };
  const started = runner ? await runner.enqueueNow(taskId) : null;
  return { taskId, queued: true, executionLogId: started };
}

/**
 * Manual trigger: runs the task now, even while it is cooled off, and resets its failure counters.
 * Refused for a paused task (resume it first).
 */
export function manualTrigger(
  db: Db,
  scope: Scope,
  input: ManualTriggerInput,
  runner: TaskRunner | null = null,
  now = new Date(),
) {
  return requestRun(db, scope, input, "MANUAL", () => ({ ...FAILURE_RESET, status: "ACTIVE" }), runner, now);
}

/**
 * Retry: makes a failed task due now. Without `resetFailures` a cooled-off task stays cooled off
 * and the run is its probe (success releases it, failure extends the cool-off).
 */
export function retryTask(db: Db, scope: Scope, input: RetryInput, runner: TaskRunner | null = null, now = new Date()) {
  return requestRun(
    db,
    scope,
    input,
    "RETRY",
    (task) => {
      const failed =
        task.status === "FAILED" ||
        task.status === "NEEDS_INTERVENTION" ||
        ["FAILED", "TIMED_OUT", "INTERRUPTED"].includes(task.lastOutcome ?? "");
      if (!failed) throw new ConflictError("Task has not failed: use Run now to run it anyway");
      if (input.resetFailures) return { ...FAILURE_RESET, status: "ACTIVE" };
      return task.status === "FAILED" ? { status: "ACTIVE", attempt: 0 } : { attempt: 0 };
    },
    runner,
    now,
  );
}

/** The tasks of the scope that need intervention: cooled off (NEEDS_INTERVENTION) or stopped (FAILED). */
function interventionWhere(scope: Scope): Prisma.TaskWhereInput {
  return { ...ownedBy(scope), type: { in: VISIBLE_TASK_TYPES }, status: { in: ["NEEDS_INTERVENTION", "FAILED"] } };
}

function interventionCursorOf(t: { consecutiveFailures: number; lastFailureAt: Date | null; id: string }) {
  return `${t.consecutiveFailures}.${t.lastFailureAt ? t.lastFailureAt.getTime() : "n"}.${t.id}`;
}

interface InterventionRow {
  id: string;
  userId: string | null;
  type: TaskType;
  platform: Platform | null;
  websiteUrl: string | null;
  status: TaskStatus;
  consecutiveFailures: number | bigint;
  failureReason: string | null;
  failureCategory: FailureCategory | null;
  failurePattern: unknown;
  coolOffUntil: Date | string | null;
  lastFailureAt: Date | string | null;
  lastSuccessAt: Date | string | null;
  nextRunAt: Date | string | null;
}

/** `interventionWhere` as SQL, with the rows after a cursor (`afterInterventionCursor`'s keyset). */
function interventionSql(p: Params, scope: Scope, cursor: string | null | undefined): string {
  const own = ownedBy(scope);
  const where = [
    own.userId !== undefined ? `t."userId" = ${p.add(own.userId)}` : null,
    p.inList('t."type"', [...VISIBLE_TASK_TYPES]),
    `t."status" IN ('NEEDS_INTERVENTION', 'FAILED')`,
  ];
  if (cursor) {
    // The list's order, worst first: most failures in a row, then the oldest failure (never failed
    // last), then id; the rows after the cursor's (keyset: none skipped or repeated as the list changes).
    const [failures, failedAt, ...idParts] = cursor.split(".");
    const count = Number(failures);
    const at = failedAt === "n" ? null : new Date(Number(failedAt));
    // The schema checked the shape; numbers beyond any the list gives are not a cursor it gave either.
    if (!Number.isSafeInteger(count) || count > 2_147_483_647 || (at && Number.isNaN(at.getTime())))
      throw new InvalidInputError("cursor must be a nextCursor this list gave");
    // Written in the order the SQL reads them (SQLite's placeholders are positional).
    const same = () => `t."consecutiveFailures" = ${p.add(count)}`;
    const fewer = () => `t."consecutiveFailures" < ${p.add(count)}`;
    const id = idParts.join(".");
    where.push(
      at === null
        ? `(${fewer()} OR (${same()} AND t."lastFailureAt" IS NULL AND t."id" > ${p.add(id)}))`
        : `(${fewer()} OR (${same()} AND t."lastFailureAt" > ${p.add(at, "timestamp(3)")}) OR (${same()} AND t."lastFailureAt" IS NULL)` +
            ` OR (${same()} AND t."lastFailureAt" = ${p.add(at, "timestamp(3)")} AND t."id" > ${p.add(id)}))`,
    );
  }
  return where.filter((w): w is string => w !== null).join(" AND ");
}

/**
 * A page of the scope's tasks that need intervention, worst first, with what to do; keyset-paginated
 * (an admin's list covers every user's tasks). `total` is counted on the first page only. Two raw
 * statements (the Intervention page polls it); tests/integration/intervention-pages.test.ts holds the
 * pages to the order written out and the fields to Prisma's read.
 */
export async function needingIntervention(db: Db, scope: Scope, input: InterventionListInput = { limit: 50 }) {
  const engine = engineOfDb(db);
  const p = new Params(engine);
  const where = interventionSql(p, scope, input.cursor);
  const c = new Params(engine);
  const [rows, total] = await Promise.all([
    db.$queryRawUnsafe<InterventionRow[]>(
      `SELECT t."id", t."userId", t."type", t."platform", t."websiteUrl", t."status", t."consecutiveFailures",
         t."failureReason", t."failureCategory", t."failurePattern", t."coolOffUntil", t."lastFailureAt",
         t."lastSuccessAt", t."nextRunAt"
       FROM "Task" t WHERE ${where}
       ORDER BY t."consecutiveFailures" DESC, t."lastFailureAt" ASC NULLS LAST, t."id" ASC
       LIMIT ${p.add(input.limit + 1)}`,
      ...p.values,
    ),
    input.cursor
      ? Promise.resolve(null)
      : db
          .$queryRawUnsafe<{ n: bigint | number }[]>(
            `SELECT COUNT(*) AS "n" FROM "Task" t WHERE ${interventionSql(c, scope, null)}`,
            ...c.values,
          )
          .then(([row]) => Number(row?.n ?? 0)),
  ]);
  const hasMore = rows.length > input.limit;
  const items = (hasMore ? rows.slice(0, input.limit) : rows).map((row) => {
    const t = {
      ...row,
      consecutiveFailures: Number(row.consecutiveFailures),
      failurePattern: parsedJson(row.failurePattern),
      coolOffUntil: asDateOrNull(row.coolOffUntil),
      lastFailureAt: asDateOrNull(row.lastFailureAt),
      lastSuccessAt: asDateOrNull(row.lastSuccessAt),
      nextRunAt: asDateOrNull(row.nextRunAt),
    };
    return { ...t, target: t.websiteUrl ?? t.platform, suggestedAction: suggestedAction(t) };
  });
  return { items, nextCursor: hasMore && items.length ? interventionCursorOf(items.at(-1)!) : null, total };
}

/** How many of the scope's tasks need intervention, by type, how many critically, and since when: counted in SQL. */
export async function interventionSummary(db: Db, scope: Scope, now = new Date()) {
  const where = interventionWhere(scope);
  const [byTypeRows, critical, authErrors, oldest] = await Promise.all([
    db.task.groupBy({ by: ["type"], where, _count: { _all: true } }),
    db.task.count({ where: { ...where, consecutiveFailures: { gte: 5 } } }),
    db.task.count({ where: { ...where, failureCategory: "AUTH_ERROR" } }),
    db.task.aggregate({ where, _min: { lastFailureAt: true } }),
  ]);
  const byType: Record<string, number> = Object.fromEntries(byTypeRows.map((r) => [r.type, r._count._all]));
  const oldestAt = oldest._min.lastFailureAt;
  return {
    total: byTypeRows.reduce((n, r) => n + r._count._all, 0),
    byType,
    critical,
    oldestFailureAgeMs: oldestAt ? now.getTime() - oldestAt.getTime() : null,
    requiresImmediateAttention: critical > 0 || authErrors > 0,
  };
}

/**
 * Triggers every task matching the filter (by default: all needing intervention). Without
 * `confirm` it only reports how many would be triggered; paused tasks and runs in flight are skipped.
 */
export async function bulkTrigger(
  db: Db,
  scope: Scope,
  input: BulkTriggerInput,
  runner: TaskRunner | null = null,
  now = new Date(),
) {
  const where: Prisma.TaskWhereInput = {
    ...ownedBy(scope),
    type: input.filter.type ?? { in: VISIBLE_TASK_TYPES },
    status: input.filter.status ?? { notIn: ["PAUSED", "ENDED"] },
  };
  const matching = await db.task.findMany({ where, select: { id: true }, take: 1000 });
  if (!input.confirm) return { confirmed: false, matched: matching.length, queued: 0, skipped: 0 };
  let queued = 0;
  for (const task of matching) {
    try {
      if ((await manualTrigger(db, scope, { taskId: task.id }, null, now)).queued) queued++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error; // paused meanwhile: skipped
    }
  }
  if (queued > 0) runner?.wake();
  await db.auditLog.create({
    data: {
      actorId: scope.userId,
      action: "TRIGGER_ALL",
      targetType: "Task",
      details: { filter: input.filter, matched: matching.length, queued },
    },
  });
  return { confirmed: true, matched: matching.length, queued, skipped: matching.length - queued };
}

interface HistoryTaskRow {
  id: string;
  userId: string | null;
  type: TaskType;
  status: TaskStatus;
  runCount: number | bigint;
  platform: Platform | null;
  websiteUrl: string | null;
  frequencyMinutes: number | bigint;
  cronExpression: string | null;
  cronTimeZone: string | null;
  graceMinutes: number | bigint | null;
  nextRunAt: Date | string | null;
  lastRunAt: Date | string | null;
  lastOutcome: ExecutionStatus | null;
  consecutiveFailures: number | bigint;
  failureReason: string | null;
  failureCategory: FailureCategory | null;
  failurePattern: unknown;
  coolOffUntil: Date | string | null;
  alertsSnoozedUntil: Date | string | null;
  endedAt: Date | string | null;
  endedReason: string | null;
}

interface HistoryRunRow {
  id: number | bigint;
  status: ExecutionStatus;
  trigger: TriggerKind;
  attempt: number | bigint;
  startedAt: Date | string;
  finishedAt: Date | string | null;
  durationMs: number | bigint | null;
  errorMessage: string | null;
  errorCategory: FailureCategory | null;
}

/**
 * One task's runs (newest first, paginated) with its own success rate and daily duration trend, and
 * the audit trail of what people did to it. Four raw statements read at once (one round trip; a task's
 * page polls this, and a Prisma model query costs several times the CPU): the runs and audit entries
 * are read by the task's id and thrown away unless the task is the caller's, so nothing of another's is
 * ever returned. tests/integration/task-history-sql.test.ts holds it to Prisma's reads.
 */
export async function taskHistory(db: Db, scope: Scope, input: HistoryInput, now = new Date()) {
  const engine = engineOfDb(db);
  const since = new Date(now.getTime() - input.days * 86_400_000);
  const own = ownedBy(scope);
  const q = new Params(engine);
  const taskSql = `SELECT t."id", t."userId", t."type", t."status", t."runCount", t."platform", t."websiteUrl",
       t."frequencyMinutes", t."cronExpression", t."cronTimeZone", t."graceMinutes", t."nextRunAt", t."lastRunAt",
       t."lastOutcome", t."consecutiveFailures", t."failureReason", t."failureCategory", t."failurePattern",
       t."coolOffUntil", t."alertsSnoozedUntil", t."endedAt", t."endedReason"
     FROM "Task" t WHERE t."id" = ${q.add(input.taskId)}${own.userId !== undefined ? ` AND t."userId" = ${q.add(own.userId)}` : ""}
       AND ${q.inList('t."type"', [...VISIBLE_TASK_TYPES])}`;
  const r = new Params(engine);
  const runsSql = `SELECT l."id", l."status", l."trigger", l."attempt", l."startedAt", l."finishedAt", l."durationMs",
       l."errorMessage", l."errorCategory"
     FROM "ExecutionLog" l WHERE l."taskId" = ${r.add(input.taskId)}${input.cursor ? ` AND l."id" < ${r.add(input.cursor)}` : ""}
     ORDER BY l."id" DESC LIMIT ${r.add(input.limit + 1)}`;
  // One task's runs in the window: a range scan of the (taskId, startedAt) index.
  const w = new Params(engine);
  const windowSql = `SELECT l."status", l."startedAt", l."durationMs" FROM "ExecutionLog" l
     WHERE l."taskId" = ${w.add(input.taskId)} AND l."startedAt" >= ${w.add(since, "timestamp(3)")} AND l."status" <> 'RUNNING'`;
  // The audit trail of what people did to this task (manual runs, retries, pauses).
  const a = new Params(engine);
  const auditSql = `SELECT a."id", a."action", a."createdAt", a."details", u."email" FROM "AuditLog" a
     JOIN "User" u ON u."id" = a."actorId" WHERE a."taskId" = ${a.add(input.taskId)} ORDER BY a."id" DESC LIMIT 50`;
  const [[found], runRows, windowRows, auditRows] = await Promise.all([
    db.$queryRawUnsafe<HistoryTaskRow[]>(taskSql, ...q.values),
    db.$queryRawUnsafe<HistoryRunRow[]>(runsSql, ...r.values),
    db.$queryRawUnsafe<{ status: ExecutionStatus; startedAt: Date | string; durationMs: number | bigint | null }[]>(
      windowSql,
      ...w.values,
    ),
    db.$queryRawUnsafe<
      { id: number | bigint; action: AuditAction; createdAt: Date | string; details: unknown; email: string }[]
    >(auditSql, ...a.values),
  ]);
  const task = found
    ? {
        ...found,
        runCount: Number(found.runCount),
        frequencyMinutes: Number(found.frequencyMinutes),
        graceMinutes: numberOrNull(found.graceMinutes),
        nextRunAt: asDateOrNull(found.nextRunAt),
        lastRunAt: asDateOrNull(found.lastRunAt),
        consecutiveFailures: Number(found.consecutiveFailures),
        failurePattern: parsedJson(found.failurePattern),
        coolOffUntil: asDateOrNull(found.coolOffUntil),
        alertsSnoozedUntil: asDateOrNull(found.alertsSnoozedUntil),
        endedAt: asDateOrNull(found.endedAt),
      }
    : null;
  const runs = runRows.map((l) => ({
    id: Number(l.id),
    status: l.status,
    trigger: l.trigger,
    attempt: Number(l.attempt),
    startedAt: asDate(l.startedAt),
    finishedAt: asDateOrNull(l.finishedAt),
    durationMs: numberOrNull(l.durationMs),
    errorMessage: l.errorMessage,
    errorCategory: l.errorCategory,
  }));
  const window = windowRows.map((l) => ({
    status: l.status,
    startedAt: asDate(l.startedAt),
    durationMs: numberOrNull(l.durationMs),
  }));
  const audit = auditRows.map((row) => ({
    id: Number(row.id),
    action: row.action,
    createdAt: asDate(row.createdAt),
    actor: { email: row.email },
    details: parsedJson(row.details),
  }));
  if (!task) throw new NotFoundError("Task");
  const hasMore = runs.length > input.limit;
  const items = hasMore ? runs.slice(0, input.limit) : runs;
  const succeeded = window.filter((r) => r.status === "SUCCESS").length;
  const failed = window.filter((r) => r.status === "FAILED" || r.status === "TIMED_OUT").length;
  const byDay = new Map<string, { day: string; runs: number; avgDurationMs: number; total: number }>();
  for (const r of window) {
    const day = rollupDay(r.startedAt);
    const d = byDay.get(day) ?? { day, runs: 0, avgDurationMs: 0, total: 0 };
    d.runs++;
    d.total += r.durationMs ?? 0;
    d.avgDurationMs = Math.round(d.total / d.runs);
    byDay.set(day, d);
  }
  return {
    task,
    audit: audit.map((a) => ({
      id: a.id,
      action: a.action,
      createdAt: a.createdAt,
      actor: a.actor.email,
      details: a.details,
    })),
    items,
    nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null,
    successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
    durationTrend: [...byDay.values()]
      .sort((a, b) => a.day.localeCompare(b.day))
      .map(({ day, runs: n, avgDurationMs }) => ({ day, runs: n, avgDurationMs })),
  };
}
