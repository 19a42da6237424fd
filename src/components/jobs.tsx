"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { formatDistanceStrict, formatDistanceToNowStrict } from "date-fns";
import Link from "next/link";
import { useEffect, useState } from "react";
import { TASK_STATUS_VALUES, TASK_TYPE_VALUES, type JobsInput } from "@/lib/validation/dashboard";
import { STATUS_LABELS, TYPE_LABELS } from "@/lib/labels";
import { pollEvery } from "@/trpc/query-client";
import { useTRPC } from "@/trpc/react";
import { OutcomeChip, Spinner, StatusChip } from "./ui/chips";
import { useMe } from "./use-me";
import { useSetPaused } from "./use-set-paused";
import { useRunActions } from "./use-run-actions";

function frequency(minutes: number) {
  if (minutes % 1440 === 0) return minutes === 1440 ? "daily" : `every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "hourly" : `every ${minutes / 60} h`;
  return `every ${minutes} min`;
}

/** "in 3 min" that counts down by itself. */
function Countdown({ at }: { at: Date | null }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!at) return <span className="text-slate-500">—</span>;
  const due = at.getTime() <= now.getTime();
  return <span title={at.toLocaleString()}>{due ? "due now" : `in ${formatDistanceStrict(at, now)}`}</span>;
}

export function Jobs() {
  const trpc = useTRPC();
  const { canChange } = useMe();
  const [filter, setFilter] = useState<Pick<JobsInput, "type" | "status" | "sort" | "order">>({ sort: "nextRunAt", order: "asc" });
  const jobs = useInfiniteQuery(
    trpc.dashboard.jobs.infiniteQueryOptions({ ...filter, limit: 50 }, { getNextPageParam: (last) => last.nextCursor, refetchInterval: pollEvery(10_000, (d) => d.pages.some((p) => p.items.some((job) => job.running))) }),
  );
  const setPaused = useSetPaused();
  const { busy, run } = useRunActions();
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Jobs</h1>
      <div className="flex flex-wrap gap-3 text-sm" role="group" aria-label="Filters">
        <label>
          Type{" "}
          <select value={filter.type ?? ""} onChange={(e) => setFilter((f) => ({ ...f, type: (e.target.value || undefined) as JobsInput["type"] }))} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">All</option>
            {TASK_TYPE_VALUES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{" "}
          <select value={filter.status ?? ""} onChange={(e) => setFilter((f) => ({ ...f, status: (e.target.value || undefined) as JobsInput["status"] }))} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">All</option>
            {TASK_STATUS_VALUES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by{" "}
          <select value={`${filter.sort}:${filter.order}`} onChange={(e) => { const [sort, order] = e.target.value.split(":"); setFilter((f) => ({ ...f, sort: sort as JobsInput["sort"], order: order as JobsInput["order"] })); }} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="nextRunAt:asc">Next run, soonest</option>
            <option value="lastRunAt:desc">Last run, latest</option>
            <option value="type:asc">Type</option>
            <option value="status:asc">Status</option>
          </select>
        </label>
      </div>
      {jobs.isPending ? (
        <p aria-busy="true" className="text-sm text-slate-500">Loading jobs…</p>
      ) : jobs.isError ? (
        <p role="alert" className="text-sm text-red-700">{jobs.error.message}</p>
      ) : items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">No jobs match. Connect a platform or add a website on the Connections page to create some.</p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Type</th>
                <th scope="col" className="px-3 py-2 font-medium">Target</th>
                <th scope="col" className="px-3 py-2 font-medium">Frequency</th>
                <th scope="col" className="px-3 py-2 font-medium">Next run</th>
                <th scope="col" className="px-3 py-2 font-medium">Last run</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                {canChange ? <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((job) => (
                <tr key={job.id} data-testid="job-row">
                  <td className="px-3 py-2">
                    <Link href={`/dashboard/jobs/${job.id}`} className="text-indigo-800 hover:underline">{TYPE_LABELS[job.type]}</Link>
                  </td>
                  <td className="max-w-64 truncate px-3 py-2" title={job.target ?? undefined}>{job.target}</td>
                  <td className="px-3 py-2">{frequency(job.frequencyMinutes)}</td>
                  <td className="px-3 py-2">{job.paused ? <span className="text-slate-500">paused</span> : job.running ? <span className="text-sky-700">running</span> : <Countdown at={job.nextRunAt} />}</td>
                  <td className="px-3 py-2">
                    <OutcomeChip outcome={job.lastOutcome} /> {job.lastRunAt ? <span className="text-xs text-slate-500">{formatDistanceToNowStrict(job.lastRunAt, { addSuffix: true })}</span> : null}
                  </td>
                  <td className="px-3 py-2"><StatusChip status={job.status} /></td>
                  {canChange ? (
                    <td className="whitespace-nowrap px-3 py-2 text-right">
                      <button type="button" onClick={() => void run("trigger", job)} disabled={busy[job.id] !== undefined || job.paused} className="mr-2 inline-flex items-center gap-1 rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-50">
                        {busy[job.id] ? <Spinner label="Running" /> : null} Run now
                      </button>
                      <button type="button" onClick={() => setPaused.mutate({ taskId: job.id, paused: !job.paused })} className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50">
                        {job.paused ? "Resume" : "Pause"}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {jobs.hasNextPage ? (
        <button type="button" onClick={() => void jobs.fetchNextPage()} disabled={jobs.isFetchingNextPage} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Load more
        </button>
      ) : null}
    </div>
  );
}
