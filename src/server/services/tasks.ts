import { Prisma } from "@/generated/sqlite/client";
import type { ExecutionStatus, TaskStatus } from "@/generated/sqlite/enums";
import type { Db } from "@/server/db";
import { TASK_TYPES } from "./dashboard";
import type { ManualTriggerInput, RetryInput, SetPausedInput } from "@/lib/validation/tasks";
import { ConflictError, NotFoundError, ownedBy, type Scope } from "./scope";

export function listTasks(db: Db, scope: Scope) {
  return db.task.findMany({
    where: { ...ownedBy(scope), type: { in: TASK_TYPES } },
    orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      type: true,
      platform: true,
      websiteUrl: true,
      websiteRole: true,
      frequencyMinutes: true,
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
 * Pauses or resumes one of the caller's tasks, with an audit entry in the same transaction.
 * Resuming makes the task due no later than now. Idempotent: the same request twice changes nothing more.
 */
export async function setPaused(db: Db, scope: Scope, input: SetPausedInput, now = new Date()) {
  return db.$transaction(async (tx) => {
    const task = await tx.task.findFirst({
      where: { id: input.taskId, ...ownedBy(scope), type: { in: TASK_TYPES } },
      select: { id: true, status: true, nextRunAt: true },
    });
    if (!task) throw new NotFoundError("Task");
    const target = input.paused ? "PAUSED" : "ACTIVE";
    if (input.paused ? task.status === "PAUSED" : task.status !== "PAUSED") {
      return { id: task.id, status: task.status, changed: false };
    }
    const updated = await tx.task.update({
      where: { id: task.id },
      data: input.paused
        ? { status: target }
        : { status: target, nextRunAt: task.nextRunAt && task.nextRunAt < now ? task.nextRunAt : now },
      select: { id: true, status: true },
    });
    await tx.auditLog.create({
      data: { actorId: scope.userId, action: input.paused ? "PAUSE" : "RESUME", taskId: task.id, targetType: "Task", targetId: task.id, details: { from: task.status, to: target } },
    });
    return { ...updated, changed: true };
  });
}

/** What starts a queued run at once in this process: the local scheduler engine. */
export interface TaskRunner {
  enqueueNow(taskId: string): Promise<number | null>;
}

export interface TriggerResult {
  taskId: string;
  /** false: a run of this task was already queued or in flight, and no second one was asked for. */
  queued: boolean;
  /** The run to follow: the one just started here, or the one already in flight; null when a worker elsewhere will start it. */
  executionLogId: number | null;
}

const FAILURE_RESET = {
  consecutiveFailures: 0,
  attempt: 0,
  coolOffUntil: null,
  coolOffCount: 0,
  failureReason: null,
  failureCategory: null,
  failurePattern: Prisma.DbNull,
  failureHistory: Prisma.DbNull,
} satisfies Prisma.TaskUpdateManyMutationInput;

async function runningLogOf(db: Db, taskId: string): Promise<number | null> {
  const log = await db.executionLog.findFirst({ where: { taskId, status: "RUNNING" }, orderBy: { id: "desc" }, select: { id: true } });
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
  taskId: string,
  kind: "MANUAL" | "RETRY",
  prepare: (task: { status: TaskStatus; lastOutcome: ExecutionStatus | null }) => Prisma.TaskUpdateManyMutationInput,
  runner: TaskRunner | null,
  now: Date,
): Promise<TriggerResult> {
  const queued = await db.$transaction(async (tx) => {
    const task = await tx.task.findFirst({
      where: { id: taskId, ...ownedBy(scope), type: { in: TASK_TYPES } },
      select: { id: true, userId: true, status: true, lastOutcome: true },
    });
    if (!task) throw new NotFoundError("Task");
    if (task.status === "PAUSED") throw new ConflictError("Task is paused: resume it before running it");
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
      data: { type: "JOB_SCHEDULED", occurredAt: now, userId: task.userId, taskId: task.id, jobKind: "ONE_TIME", data: { trigger: kind, by: scope.userId } },
    });
    if (task.status === "NEEDS_INTERVENTION" && data.status === "ACTIVE") {
      await tx.schedulerEvent.create({
        data: { type: "TASK_RELEASED", occurredAt: now, userId: task.userId, taskId: task.id, data: { reason: kind === "MANUAL" ? "manual trigger" : "retry with reset", by: scope.userId } },
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
export function manualTrigger(db: Db, scope: Scope, input: ManualTriggerInput, runner: TaskRunner | null = null, now = new Date()) {
  return requestRun(db, scope, input.taskId, "MANUAL", () => ({ ...FAILURE_RESET, status: "ACTIVE" }), runner, now);
}

/**
 * Retry: makes a failed task due now. Without `resetFailures` a cooled-off task stays cooled off
 * and the run is its probe (success releases it, failure extends the cool-off).
 */
export function retryTask(db: Db, scope: Scope, input: RetryInput, runner: TaskRunner | null = null, now = new Date()) {
  return requestRun(
    db,
    scope,
    input.taskId,
    "RETRY",
    (task) => {
      const failed = task.status === "FAILED" || task.status === "NEEDS_INTERVENTION" || ["FAILED", "TIMED_OUT", "INTERRUPTED"].includes(task.lastOutcome ?? "");
      if (!failed) throw new ConflictError("Task has not failed: use Run now to run it anyway");
      if (input.resetFailures) return { ...FAILURE_RESET, status: "ACTIVE" };
      return task.status === "FAILED" ? { status: "ACTIVE", attempt: 0 } : { attempt: 0 };
    },
    runner,
    now,
  );
}
