/**
 * Late and missed runs, defined once. A recurring task whose due time passed by more than its grace
 * without a run starting is late; once its next due time has passed too, a run was missed. The grace is
 * the task's own (`graceMinutes`) or a tenth of its interval, at least five minutes.
 */
export const MIN_GRACE_MINUTES = 5;

export type Lateness = "LATE" | "MISSED";

export const LATENESS_LABELS: Record<Lateness, string> = { LATE: "Late", MISSED: "Missed a run" };

interface Timing {
  nextRunAt: Date | null;
  frequencyMinutes: number;
  graceMinutes: number | null;
}

export function graceMinutesOf(task: Pick<Timing, "frequencyMinutes" | "graceMinutes">): number {
  return task.graceMinutes ?? Math.max(MIN_GRACE_MINUTES, Math.round(task.frequencyMinutes / 10));
}

/** Whether a task that is waiting for its run (active, not running) is late or missed at `now`, and by how much. */
export function latenessAt(task: Timing, now: Date): { state: Lateness; overdueMs: number } | null {
  if (!task.nextRunAt) return null;
  const overdueMs = now.getTime() - task.nextRunAt.getTime();
  if (overdueMs <= graceMinutesOf(task) * 60_000) return null;
  return { state: overdueMs > task.frequencyMinutes * 60_000 ? "MISSED" : "LATE", overdueMs };
}
