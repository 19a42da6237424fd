"use client";

import Link from "next/link";
import { jobsInput, TASK_STATUS_VALUES, TASK_TYPE_VALUES, type JobsInput } from "@/lib/validation/dashboard";
import { STATUS_LABELS, TYPE_LABELS } from "@/lib/labels";
import { describeSchedule, scheduleOf } from "@/lib/schedule";
import { targetName } from "@/lib/states";
import { describeViewQuery, JOB_SORT_LABELS, JOB_SORTS, VIEW_PAGES, viewQueryOf } from "@/lib/views";
import { pollEvery } from "@/trpc/query-client";
import { api } from "@/trpc/react";
import { OutcomeChip, Spinner, StatusChip, ToneChip } from "./ui/chips";
import { DataTable, QueryList } from "./ui/table";
import { LatenessChip } from "./lateness-chip";
import { SaveView } from "./save-view";
import { Time } from "./ui/time";
import { useMe } from "./use-me";
import { useRunActions } from "./use-run-actions";
import { useSetPaused } from "./use-set-paused";
import { BulkActions } from "./bulk-actions";
import { SearchBox } from "./search-box";
import { useUrlState } from "./use-url-state";

const SORTS = JOB_SORTS.map((value) => ({ value, label: JOB_SORT_LABELS[value] }));

export function Jobs() {
  const { canChange, isAdmin } = useMe();
  // Filters and sort live in the URL (as on Logs): shareable, and kept across a reload or a sign-in.
  const [params, setParams] = useUrlState(VIEW_PAGES.jobs.params);
  const [sortKey, order] = (JOB_SORTS.find((s) => s === params.sort) ?? JOB_SORTS[0]).split(":");
  // The same schema as the server's: a URL it does not take (a shared link, an old bookmark) is said, not sent,
  // and nothing acts on a filter other than the one described.
  const parsed = jobsInput.safeParse({
    type: params.type,
    status: params.status,
    search: params.q,
    sort: sortKey,
    order,
    limit: 50,
  });
  const filter: JobsInput = parsed.success ? parsed.data : { sort: "nextRunAt", order: "asc", limit: 50 };
  const problem = parsed.success ? null : (parsed.error.issues[0]?.message ?? "These filters cannot be used");
  const jobs = api.dashboard.jobs.useInfiniteQuery(
    {
      type: filter.type,
      status: filter.status,
      search: filter.search,
      sort: filter.sort,
      order: filter.order,
      limit: 50,
    },
    {
      enabled: problem === null,
      getNextPageParam: (last) => last.nextCursor,
      refetchInterval: pollEvery(10_000, (d) => d.pages.some((p) => p.items.some((job) => job.running))),
    },
  );
  const setPaused = useSetPaused();
  const { busy, run } = useRunActions();
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  const select = "rounded-md border border-slate-300 bg-white px-2 py-1";

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Jobs</h1>
      <div className="flex flex-wrap gap-3 text-sm" role="group" aria-label="Filters">
        <SearchBox
          value={params.q}
          onSearch={(q) => setParams({ q })}
          label="Search jobs"
          placeholder="Search sites, platforms, failures…"
        />
        <label>
          Type{" "}
          <select value={filter.type ?? ""} onChange={(e) => setParams({ type: e.target.value })} className={select}>
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
          <select
            value={filter.status ?? ""}
            onChange={(e) => setParams({ status: e.target.value })}
            className={select}
          >
            <option value="">All current</option>
            {/* FAILED is a status the engine no longer gives (a failing task stays active and shows its last outcome). */}
            {TASK_STATUS_VALUES.filter((s) => s !== "FAILED").map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by{" "}
          <select
            value={`${filter.sort}:${filter.order}`}
            onChange={(e) => setParams({ sort: e.target.value === JOB_SORTS[0] ? "" : e.target.value })}
            className={select}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <SaveView page="jobs" query={viewQueryOf("jobs", params)} />
      </div>
      {problem ? (
        <p role="alert" className="rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {problem} — change the filters or the search.
        </p>
      ) : (
        <BulkActions
          filter={{ type: filter.type, status: filter.status, search: filter.search }}
          described={describeViewQuery("jobs", viewQueryOf("jobs", { ...params, sort: undefined }))}
        />
      )}
      {filter.status === "ENDED" ? (
        <p className="text-sm text-slate-600">
          Tasks whose website was removed or whose platform was disconnected. They never run; adding the website or
          connecting the platform again restarts them.
        </p>
      ) : null}
      {problem ? null : (
        <QueryList
          query={jobs}
          what="jobs"
          count={items.length}
          empty={
            filter.search ? (
              `No jobs match “${filter.search}” with these filters.`
            ) : filter.type || filter.status ? (
              "No jobs match these filters."
            ) : (
              <>
                No jobs yet.{" "}
                <Link href="/dashboard/connections" className="text-indigo-700 underline">
                  Connect a platform or add a website
                </Link>{" "}
                to create some.
              </>
            )
          }
        >
          <DataTable
            columns={[
              { label: "Type" },
              { label: "Target" },
              { label: "Schedule" },
              { label: "Next run" },
              { label: "Last run" },
              { label: "Status" },
              { label: "Owner", when: isAdmin },
              { label: "Actions", hidden: true, when: canChange },
            ]}
          >
            {items.map((job) => {
              const ended = job.status === "ENDED";
              return (
                <tr key={job.id} data-testid="job-row">
                  <td className="px-3 py-2">
                    <Link href={`/dashboard/jobs/${job.id}`} className="text-indigo-800 hover:underline">
                      {TYPE_LABELS[job.type]}
                    </Link>
                  </td>
                  <td className="max-w-64 truncate px-3 py-2" title={job.target ?? undefined}>
                    {targetName(job.target)}
                  </td>
                  <td className="px-3 py-2">{describeSchedule(scheduleOf(job))}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    {ended ? (
                      <span className="text-slate-500">{job.endedReason ?? "ended"}</span>
                    ) : job.paused ? (
                      <span className="text-slate-500">paused</span>
                    ) : job.running ? (
                      <span className="text-sky-700">running</span>
                    ) : (
                      <>
                        <Time value={job.nextRunAt} relative />
                        <LatenessChip task={job} />
                      </>
                    )}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <OutcomeChip outcome={job.lastOutcome} />{" "}
                    {job.lastRunAt ? <Time value={job.lastRunAt} relative className="text-xs text-slate-500" /> : null}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <StatusChip status={job.status} />
                    {job.waitingForReconnect && !ended ? (
                      <span className="ml-1">
                        <ToneChip tone="bad">Needs reconnect</ToneChip>
                      </span>
                    ) : null}
                  </td>
                  {isAdmin ? (
                    <td className="max-w-48 truncate px-3 py-2 text-xs text-slate-600">{job.ownerEmail}</td>
                  ) : null}
                  {canChange ? (
                    <td className="whitespace-nowrap px-3 py-2 text-right">
                      {ended ? null : (
                        <>
                          <button
                            type="button"
                            onClick={() => void run("trigger", job)}
                            disabled={busy[job.id] !== undefined || job.paused}
                            className="mr-2 inline-flex items-center gap-1 rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-50"
                          >
                            {busy[job.id] ? <Spinner label="Running" /> : null} Run now
                          </button>
                          <button
                            type="button"
                            onClick={() => setPaused.mutate({ taskId: job.id, paused: !job.paused })}
                            className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                          >
                            {job.paused ? "Resume" : "Pause"}
                          </button>
                        </>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </DataTable>
        </QueryList>
      )}
      {jobs.hasNextPage ? (
        <button
          type="button"
          onClick={() => void jobs.fetchNextPage()}
          disabled={jobs.isFetchingNextPage}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        >
          Load more
        </button>
      ) : null}
    </div>
  );
}
