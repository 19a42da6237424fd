"use client";

import Link from "next/link";
import { formatSpan } from "@/lib/format";
import { TYPE_LABELS } from "@/lib/labels";
import { LATENESS_LABELS } from "@/lib/overdue";
import { plural, targetName } from "@/lib/states";
import { pollEvery } from "@/trpc/query-client";
import { api } from "@/trpc/react";
import { ToneChip } from "./ui/chips";
import { LoadError } from "./ui/query-state";
import { Time } from "./ui/time";
import { useMe } from "./use-me";

/**
 * Late and missed runs (`tasks.overdue`): tasks whose run did not start within their grace, and why
 * nothing starts when no worker is alive. `compact` (the overview) shows the counts and a link; the
 * Intervention page lists the tasks. Nothing is shown while every run starts on time.
 */
export function OverdueRuns({ compact = false }: { compact?: boolean }) {
  const { isAdmin } = useMe();
  const overdue = api.tasks.overdue.useQuery(undefined, { refetchInterval: pollEvery(30_000) });
  if (overdue.isPending) return null;
  if (overdue.isError)
    return <LoadError what="Late runs" error={overdue.error} onRetry={() => void overdue.refetch()} />;
  const { late, missed, atLeast, items, noLiveWorker } = overdue.data;
  if (late + missed === 0 && !noLiveWorker) return null;
  const more = atLeast ? "at least " : "";
  const counts = [
    late ? `${more}${plural(late, "task")} late` : null,
    missed ? `${plural(missed, "task")} missed a run` : null,
  ]
    .filter(Boolean)
    .join(", ");
  // Only an administrator can start a worker: others are told it is not theirs to fix.
  const remedy = isAdmin
    ? " Start one (npm run worker), or set SCHEDULER_ENABLED on a web instance."
    : " This is for the administrator to fix; your tasks run once a worker is back.";
  const workerNote = noLiveWorker
    ? noLiveWorker.forMs === null
      ? `No worker has ever run here, so nothing can start.${remedy}`
      : `No worker has been alive for ${formatSpan(noLiveWorker.forMs)}, so nothing can start.${remedy}`
    : null;
  return (
    <section
      aria-labelledby="overdue-heading"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
      data-testid="overdue-runs"
    >
      <h2 id="overdue-heading" className="font-semibold">
        {counts ? `Late runs: ${counts}` : "No live worker"}
      </h2>
      {workerNote ? <p className="mt-1">{workerNote}</p> : null}
      {compact ? (
        counts ? (
          <Link href="/dashboard/intervention" className="mt-1 inline-block underline">
            See which on Intervention
          </Link>
        ) : null
      ) : items.length ? (
        <ul className="mt-3 divide-y divide-amber-200">
          {items.map((task) => (
            <li
              key={task.id}
              className="flex flex-wrap items-center justify-between gap-2 py-2"
              data-testid="overdue-task"
            >
              <div>
                <Link href={`/dashboard/jobs/${task.id}`} className="font-medium underline">
                  {TYPE_LABELS[task.type]}
                </Link>{" "}
                <span className="break-all text-amber-900">{task.websiteUrl ?? targetName(task.platform)}</span>
                {task.ownerEmail ? <span className="text-xs text-amber-900"> · {task.ownerEmail}</span> : null}
                <p className="text-xs">
                  Due <Time value={task.nextRunAt} />, {formatSpan(task.overdueMs)} ago
                  {task.pendingTrigger ? " · a manual run is waiting too" : ""}
                </p>
              </div>
              <ToneChip tone={task.lateness === "MISSED" ? "bad" : "warn"}>{LATENESS_LABELS[task.lateness]}</ToneChip>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
