"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { cleanupEventLogsInput, EVENT_TYPE_VALUES, RETENTION_POLICY } from "@/lib/validation/monitoring";
import { describeEvent } from "@/lib/event-text";
import { formatDuration } from "@/lib/labels";
import { pollEvery } from "@/trpc/query-client";
import { api, type RouterOutputs } from "@/trpc/react";
import { Dialog } from "./ui/dialog";
import { ExportLinks } from "./ui/export-links";
import { Empty, ErrorState, Loading } from "./ui/query-state";
import { Time, useZone } from "./ui/time";
import { useMe } from "./use-me";

type EventRow = RouterOutputs["monitoring"]["eventHistory"]["items"][number];

function CleanupDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [days, setDays] = useState(String(RETENTION_POLICY.recommendedDays));
  const [problem, setProblem] = useState<string | null>(null);
  // Its errors show in the dialog.
  const cleanup = api.monitoring.cleanupEventLogs.useMutation({ meta: { errorShown: true } });
  const [preview, setPreview] = useState<{ wouldDelete: number; days: number } | null>(null);

  /** The same schema as the server's: a bad number is explained here, before any request. */
  function parsed() {
    const result = cleanupEventLogsInput.safeParse({
      olderThanDays: days.trim() === "" ? undefined : Number(days),
      dryRun: true,
    });
    setProblem(result.success ? null : (result.error.issues[0]?.message ?? "Enter a number of days"));
    return result.success ? result.data.olderThanDays : null;
  }
  function dryRun(event: FormEvent) {
    event.preventDefault();
    const olderThanDays = parsed();
    if (olderThanDays === null) return;
    cleanup.mutate(
      { olderThanDays, dryRun: true },
      { onSuccess: (result) => setPreview({ wouldDelete: result.wouldDelete, days: olderThanDays }) },
    );
  }
  function confirm() {
    if (!preview) return;
    cleanup.mutate(
      { olderThanDays: preview.days, dryRun: false },
      {
        onSuccess: (result) => {
          toast.success(`Deleted ${result.deleted.toLocaleString("en")} events older than ${preview.days} days`, {
            description: "The cumulative statistics are unchanged.",
          });
          void queryClient.invalidateQueries();
          onClose();
        },
      },
    );
  }
  const error = problem ?? cleanup.error?.message ?? null;
  return (
    <Dialog title="Clean up the event log" onClose={onClose} testId="cleanup-dialog">
      <form onSubmit={dryRun} noValidate>
        <p className="mt-1 text-sm text-slate-600">
          Deletes scheduler events older than the age below. All-time statistics are kept.
        </p>
        <label htmlFor="cleanup-days" className="mt-4 block text-sm">
          Keep the last (days, {RETENTION_POLICY.minimumDays}–{RETENTION_POLICY.maximumDays})
        </label>
        <input
          id="cleanup-days"
          type="number"
          inputMode="numeric"
          min={RETENTION_POLICY.minimumDays}
          max={RETENTION_POLICY.maximumDays}
          value={days}
          data-autofocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "cleanup-error" : undefined}
          onChange={(e) => {
            setDays(e.target.value);
            setPreview(null);
            setProblem(null);
          }}
          className="mt-1 w-28 rounded-md border border-slate-300 px-2 py-1"
        />
        {error ? (
          <p id="cleanup-error" role="alert" className="mt-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        {preview ? (
          <p className="mt-3 rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="cleanup-preview">
            {preview.wouldDelete.toLocaleString("en")} event{preview.wouldDelete === 1 ? "" : "s"} older than{" "}
            {preview.days} days would be deleted.
          </p>
        ) : null}
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Cancel
          </button>
          {preview ? (
            <button
              type="button"
              onClick={confirm}
              disabled={cleanup.isPending || preview.wouldDelete === 0}
              className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-50"
            >
              Delete {preview.wouldDelete.toLocaleString("en")}
            </button>
          ) : (
            <button
              type="submit"
              disabled={cleanup.isPending}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white"
            >
              Count first
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

export function Events() {
  const { isAdmin } = useMe();
  const [type, setType] = useState<string>("");
  const [days, setDays] = useState(7);
  const [cleaning, setCleaning] = useState(false);
  const events = api.monitoring.eventHistory.useInfiniteQuery(
    { type: (type || undefined) as (typeof EVENT_TYPE_VALUES)[number] | undefined, days, limit: 50 },
    { getNextPageParam: (last) => last.nextCursor, refetchInterval: pollEvery(15_000) },
  );
  const stats = api.monitoring.eventLogStats.useQuery(undefined, {
    enabled: isAdmin,
    refetchInterval: pollEvery(60_000),
  });
  const items: EventRow[] = events.data?.pages.flatMap((p) => p.items) ?? [];
  const zone = useZone();

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold">Event history</h1>
        {isAdmin ? (
          <button
            type="button"
            onClick={() => setCleaning(true)}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
          >
            Clean up…
          </button>
        ) : null}
      </div>
      {isAdmin && stats.data ? (
        <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-5" aria-label="Event log statistics">
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Events</dt>
            <dd className="text-lg font-semibold" data-testid="event-total">
              {stats.data.total}
            </dd>
          </div>
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Last 24 h</dt>
            <dd className="text-lg font-semibold">{stats.data.ageDistribution.last24h}</dd>
          </div>
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Older than 90 d</dt>
            <dd className="text-lg font-semibold">{stats.data.ageDistribution.olderThan90d}</dd>
          </div>
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Avg cycle</dt>
            <dd className="text-lg font-semibold">{formatDuration(stats.data.averageCycleDurationMs)}</dd>
          </div>
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Oldest</dt>
            <dd className="text-sm">
              <Time value={stats.data.oldest} />
            </dd>
          </div>
        </dl>
      ) : null}
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-wrap gap-3 text-sm" role="group" aria-label="Filters">
          <label>
            Event{" "}
            <select
              value={type}
              onChange={(e) => setType(e.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1"
            >
              <option value="">All</option>
              {EVENT_TYPE_VALUES.map((t) => (
                <option key={t} value={t}>
                  {t.toLowerCase().replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          <label>
            Days{" "}
            <select
              value={days}
              onChange={(e) => setDays(Number(e.target.value))}
              className="rounded-md border border-slate-300 px-2 py-1"
            >
              {[1, 7, 30, 90].map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ExportLinks kind="events" what="these events" filter={{ type: type || undefined, days }} />
      </div>
      {events.isPending ? (
        <Loading what="events" />
      ) : events.isError ? (
        <ErrorState message={events.error.message} onRetry={() => void events.refetch()} />
      ) : items.length === 0 ? (
        <Empty>No events in this period.</Empty>
      ) : (
        <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {items.map((e) => (
            <li
              key={e.id}
              className="flex flex-col gap-x-4 gap-y-0.5 px-4 py-2 text-sm sm:flex-row"
              data-testid="event-row"
            >
              <Time value={e.occurredAt} className="shrink-0 whitespace-nowrap text-slate-500 sm:w-40" />
              <span className="shrink-0 text-xs font-medium uppercase tracking-wide text-slate-500 sm:w-36">
                {e.type.toLowerCase().replace(/_/g, " ")}
              </span>
              <span className={`min-w-0 flex-1 break-words ${e.type === "JOB_FAILED" ? "text-red-800" : ""}`}>
                {describeEvent(e, zone)}
                {e.taskId || e.executionLogId ? (
                  <span className="ml-2 whitespace-nowrap text-xs">
                    {e.taskId ? (
                      <Link href={`/dashboard/jobs/${e.taskId}`} className="text-indigo-700 underline">
                        task
                      </Link>
                    ) : null}
                    {e.taskId && e.executionLogId ? " · " : null}
                    {e.executionLogId ? (
                      <Link href={`/dashboard/logs?run=${e.executionLogId}`} className="text-indigo-700 underline">
                        run #{e.executionLogId}
                      </Link>
                    ) : null}
                  </span>
                ) : null}
              </span>
              {isAdmin ? (
                <span className="shrink-0 truncate text-xs text-slate-500 sm:w-44" data-testid="event-user">
                  {e.userEmail ?? "system"}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {events.hasNextPage ? (
        <button
          type="button"
          onClick={() => void events.fetchNextPage()}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        >
          Load older events
        </button>
      ) : null}
      {cleaning ? <CleanupDialog onClose={() => setCleaning(false)} /> : null}
    </div>
  );
}
