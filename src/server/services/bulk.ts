import type { Db } from "@/server/db";
import { ConflictError, InvalidInputError } from "@/server/errors";
import type { BulkActionInput } from "@/lib/validation/tasks";
import { jobsWhere } from "./dashboard";
import type { Scope } from "./scope";
import { manualTrigger, retryTask, setPaused, type TaskRunner } from "./tasks";

/** Jobs one call acts on: a call stays short, and the page shows progress between calls. */
export const BULK_ACTION_CHUNK = 25;

/**
 * A bulk action on every job Jobs' filter and search match (`jobsWhere`), not only the rows on screen.
 * Without `confirm`: how many jobs match (the preview). With it: the next BULK_ACTION_CHUNK of them after
 * `after`, by id, each through the one-job action (`setPaused`, `manualTrigger`, `retryTask`), so each
 * job keeps its own rules and its own audit entry; a job the action does not fit (already paused, not
 * failed, running, ended) is skipped with the reason. `next` says where the following call goes on, null
 * when done. A filter that matches more than `cap` jobs is refused, before anything changes.
 */
export async function bulkAction(
  db: Db,
  scope: Scope,
  input: BulkActionInput,
  cap: number,
  runner: TaskRunner | null = null,
  now = new Date(),
) {
  const where = jobsWhere(scope, input.filter);
  const remaining = { ...where, ...(input.after ? { id: { gt: input.after } } : {}) };
  const matched = await db.task.count({ where: remaining, take: cap + 1 });
  if (matched > cap)
    throw new InvalidInputError(
      `This filter matches more than ${cap.toLocaleString("en")} jobs, the most one bulk action may change: narrow the filter or the search`,
    );
  if (!input.confirm) return { confirmed: false, matched, cap, done: 0, changed: 0, skipped: [], next: null };

  const chunk = await db.task.findMany({
    where: remaining,
    orderBy: { id: "asc" },
    take: BULK_ACTION_CHUNK,
    select: { id: true },
  });
  let changed = 0;
  const skipped: { taskId: string; reason: string }[] = [];
  for (const { id: taskId } of chunk) {
    try {
      const ok = await act(db, scope, input.action, taskId, now);
      if (ok) changed++;
      else skipped.push({ taskId, reason: SKIP_REASONS[input.action] });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      skipped.push({ taskId, reason: error.message });
    }
  }
  if (changed > 0 && (input.action === "runNow" || input.action === "retry" || input.action === "resume"))
    runner?.wake();
  return {
    confirmed: true,
    matched,
    cap,
    done: chunk.length,
    changed,
    skipped,
    next: chunk.length === BULK_ACTION_CHUNK ? chunk.at(-1)!.id : null,
  };
}

/** Why a job was left as it was when its action reports no change. */
const SKIP_REASONS: Record<BulkActionInput["action"], string> = {
  pause: "Already paused",
  resume: "Not paused",
  runNow: "Already running or about to run",
  retry: "Already running or about to run",
};

/** One job's action, as its own button does it: true when it changed something. */
async function act(db: Db, scope: Scope, action: BulkActionInput["action"], taskId: string, now: Date) {
  switch (action) {
    case "pause":
    case "resume":
      return (await setPaused(db, scope, { taskId, paused: action === "pause" }, null, now)).changed;
    case "runNow":
      return (await manualTrigger(db, scope, { taskId }, null, now)).queued;
    case "retry":
      return (await retryTask(db, scope, { taskId, resetFailures: false }, null, now)).queued;
  }
}
