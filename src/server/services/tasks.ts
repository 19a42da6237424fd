import type { Db } from "@/server/db";
import { TASK_TYPES } from "./dashboard";
import type { SetPausedInput } from "@/lib/validation/tasks";
import { NotFoundError, ownedBy, type Scope } from "./scope";

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
