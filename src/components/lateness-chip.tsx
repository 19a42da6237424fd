"use client";

import { LATENESS_LABELS, latenessAt } from "@/lib/overdue";
import { formatSpan } from "@/lib/format";
import { ToneChip } from "./ui/chips";
import { useNow } from "./ui/time";

/**
 * "Late" or "Missed a run" beside a task's next run, by the one definition (`latenessAt`), for a task that
 * waits for its run (active, not running); nothing otherwise. The same "now" on the server and in the browser.
 */
export function LatenessChip({
  task,
}: {
  task: { nextRunAt: Date | null; frequencyMinutes: number; graceMinutes: number | null; status: string };
}) {
  const now = useNow();
  if (task.status !== "ACTIVE") return null;
  const late = latenessAt(task, now);
  if (!late) return null;
  return (
    <span title={`Due ${formatSpan(late.overdueMs)} ago, past its grace`} className="ml-1">
      <ToneChip tone={late.state === "MISSED" ? "bad" : "warn"} testId="lateness">
        {LATENESS_LABELS[late.state]}
      </ToneChip>
    </span>
  );
}
