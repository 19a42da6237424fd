"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { plural } from "@/lib/states";
import type { JobsFilter } from "@/lib/validation/dashboard";
import { BULK_ACTIONS, type BulkActionName } from "@/lib/validation/tasks";
import { api } from "@/trpc/react";
import { Dialog } from "./ui/dialog";
import { useMe } from "./use-me";

const ACTION_NAMES = Object.keys(BULK_ACTIONS) as BulkActionName[];

/**
 * "With all matching: Pause… Resume… Run now… Retry…" on Jobs: the action applies to every job the
 * filter and search match, not only the rows loaded. Hidden from read-only viewers.
 */
export function BulkActions({ filter, described }: { filter: JobsFilter; described: string }) {
  const { canChange } = useMe();
  const [action, setAction] = useState<BulkActionName | null>(null);
  if (!canChange) return null;
  return (
    <div role="group" aria-label="With all matching jobs" className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-600">With all matching jobs:</span>
      {ACTION_NAMES.map((name) => (
        <button
          key={name}
          type="button"
          onClick={() => setAction(name)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50"
        >
          {BULK_ACTIONS[name].label}…
        </button>
      ))}
      {action ? (
        <BulkActionDialog action={action} filter={filter} described={described} onClose={() => setAction(null)} />
      ) : null}
    </div>
  );
}

interface Progress {
  done: number;
  changed: number;
  skipped: { taskId: string; reason: string }[];
  finished: boolean;
}

/** Why jobs were skipped, counted: "Already paused (3); Task has not failed: use Run now to run it anyway (1)". */
function skippedInWords(skipped: Progress["skipped"]): string {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${reason} (${n})`).join("; ");
}

function BulkActionDialog({
  action,
  filter,
  described,
  onClose,
}: {
  action: BulkActionName;
  filter: JobsFilter;
  described: string;
  onClose: () => void;
}) {
  const words = BULK_ACTIONS[action];
  const { isAdmin } = useMe();
  const queryClient = useQueryClient();
  const preview = api.tasks.bulkAction.useMutation();
  const step = api.tasks.bulkAction.useMutation();
  const [progress, setProgress] = useState<Progress | null>(null);
  const stopped = useRef(false);
  const previewRef = useRef(preview.mutate);
  const filterKey = JSON.stringify(filter);
  // The count first: what the action would change, before anything does (again if the filter changes).
  useEffect(() => {
    previewRef.current({ action, filter: JSON.parse(filterKey) as JobsFilter, confirm: false });
  }, [action, filterKey]);
  useEffect(() => () => void (stopped.current = true), []);

  async function run() {
    stopped.current = false;
    let after: string | null = null;
    const state: Progress = { done: 0, changed: 0, skipped: [], finished: false };
    setProgress({ ...state });
    try {
      do {
        const result = await step.mutateAsync({ action, filter, confirm: true, after });
        state.done += result.done;
        state.changed += result.changed;
        state.skipped.push(...result.skipped);
        setProgress({ ...state });
        after = result.next;
      } while (after !== null && !stopped.current);
      state.finished = true;
      setProgress({ ...state });
      toast.success(`${words.done} ${plural(state.changed, "job")}`, {
        description: state.skipped.length
          ? `Skipped ${state.skipped.length}: ${skippedInWords(state.skipped)}`
          : undefined,
      });
    } catch (error) {
      state.finished = true;
      setProgress({ ...state });
      toast.error(`${words.label} stopped`, { description: (error as Error).message });
    } finally {
      void queryClient.invalidateQueries();
    }
  }

  const total = preview.data?.matched ?? 0;
  const running = progress !== null && !progress.finished;

  return (
    <Dialog
      title={`${words.label}: every matching job`}
      onClose={() => {
        stopped.current = true; // a run in progress ends after the chunk in flight
        onClose();
      }}
    >
      <div className="space-y-3 text-sm" data-testid="bulk-action">
        <p className="text-slate-600">Filter: {described}</p>
        {preview.isPending ? <p>Counting the matching jobs…</p> : null}
        {preview.isError ? (
          <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
            {preview.error.message}
          </p>
        ) : null}
        {preview.data && progress === null ? (
          total === 0 ? (
            <p>No jobs match this filter: nothing to do.</p>
          ) : (
            <p>
              {words.label} {plural(total, "job")}? Each one is changed as its own button would, and is recorded in its
              audit trail; jobs the action does not fit are skipped.
              {isAdmin ? " As an admin you see every user's jobs: this changes the matching jobs of every user." : ""}
            </p>
          )
        ) : null}
        {progress ? (
          <div className="space-y-1">
            <progress
              value={progress.done}
              max={Math.max(total, progress.done, 1)}
              aria-label="Progress"
              className="w-full"
            />
            <p data-testid="bulk-progress" aria-live="polite">
              {progress.finished
                ? `${words.done} ${plural(progress.changed, "job")} of ${progress.done}.${progress.skipped.length ? ` Skipped ${progress.skipped.length}: ${skippedInWords(progress.skipped)}.` : ""}`
                : `${words.doing}… ${progress.done} of ${total}`}
            </p>
          </div>
        ) : null}
        <div className="flex justify-end gap-2">
          {progress === null && preview.data && total > 0 ? (
            <button
              type="button"
              data-autofocus
              onClick={() => void run()}
              className="rounded-md bg-indigo-700 px-3 py-1.5 text-white hover:bg-indigo-800"
            >
              {words.label} {plural(total, "job")}
            </button>
          ) : null}
          {running ? (
            <button
              type="button"
              onClick={() => (stopped.current = true)}
              className="rounded-md border border-slate-300 px-3 py-1.5"
            >
              Stop
            </button>
          ) : null}
        </div>
      </div>
    </Dialog>
  );
}
