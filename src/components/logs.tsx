"use client";

import Link from "next/link";
import { EXECUTION_STATUS_VALUES, executionLogsInput, TRIGGER_VALUES } from "@/lib/validation/monitoring";
import { TASK_TYPE_VALUES } from "@/lib/validation/dashboard";
import { CATEGORY_LABELS, formatDuration, OUTCOME_LABELS, TYPE_LABELS } from "@/lib/labels";
import { targetName } from "@/lib/states";
import { VIEW_PAGES, viewQueryOf } from "@/lib/views";
import { pollEvery } from "@/trpc/query-client";
import { api, type RouterOutputs } from "@/trpc/react";
import { OutcomeChip } from "./ui/chips";
import { SaveView } from "./save-view";
import { Dialog } from "./ui/dialog";
import { ExportLinks } from "./ui/export-links";
import { DataTable, QueryList } from "./ui/table";
import { Time } from "./ui/time";
import { useMe } from "./use-me";
import { SearchBox } from "./search-box";
import { useUrlState } from "./use-url-state";

type Log = RouterOutputs["monitoring"]["executionLogs"]["items"][number];
type Run = RouterOutputs["monitoring"]["executionLog"];
/** The filters (a saved view keeps them) and the open run's drawer. */
const KEYS = [...VIEW_PAGES.logs.params, VIEW_PAGES.logs.drawer] as const;

/** Pretty, collapsible JSON: objects and arrays fold. */
function JsonTree({ value, name }: { value: unknown; name?: string }) {
  if (value === null || typeof value !== "object") {
    return (
      <div className="font-mono text-xs">
        {name ? <span className="text-slate-500">{name}: </span> : null}
        <span className={typeof value === "string" ? "text-emerald-800" : "text-indigo-800"}>
          {JSON.stringify(value)}
        </span>
      </div>
    );
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  return (
    <details open className="font-mono text-xs">
      <summary className="cursor-pointer text-slate-600">
        {name ? `${name}: ` : ""}
        {Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}
      </summary>
      <div className="ml-4 border-l border-slate-200 pl-2">
        {entries.map(([k, v]) => (
          <JsonTree key={k} name={k} value={v} />
        ))}
      </div>
    </details>
  );
}

/** One run in a drawer: what it did, how it ended, its result, and a link to its task. */
function RunDrawer({ log, onClose }: { log: Log | Run; onClose: () => void }) {
  return (
    <Dialog side title={`Run #${log.id}`} onClose={onClose} testId="run-drawer">
      <dl className="mt-4 grid grid-cols-2 gap-2 text-sm">
        <dt className="text-slate-500">Task</dt>
        <dd>
          <Link href={`/dashboard/jobs/${log.taskId}`} className="break-all text-indigo-700 underline">
            {TYPE_LABELS[log.taskType]} · {targetName(log.target)}
          </Link>
        </dd>
        <dt className="text-slate-500">Outcome</dt>
        <dd>
          <OutcomeChip outcome={log.status} />
        </dd>
        <dt className="text-slate-500">Started</dt>
        <dd>
          <Time value={log.startedAt} />
        </dd>
        <dt className="text-slate-500">Finished</dt>
        <dd>
          <Time value={log.finishedAt} fallback="still running" />
        </dd>
        <dt className="text-slate-500">Duration</dt>
        <dd>{formatDuration(log.durationMs)}</dd>
        <dt className="text-slate-500">Trigger</dt>
        <dd>
          {log.trigger.toLowerCase()} (attempt {log.attempt})
        </dd>
        {log.dataSource ? (
          <>
            <dt className="text-slate-500">Data source</dt>
            <dd>{log.dataSource}</dd>
          </>
        ) : null}
      </dl>
      {log.errorMessage ? (
        <section className="mt-4">
          <h3 className="font-medium">{log.status === "SKIPPED" ? "Why it was skipped" : "Error"}</h3>
          <p className="mt-1 rounded bg-red-50 p-2 text-sm text-red-800">
            {log.errorCategory ? `${CATEGORY_LABELS[log.errorCategory]}: ` : ""}
            {log.errorMessage}
          </p>
        </section>
      ) : null}
      <section className="mt-4">
        <h3 className="font-medium">Result</h3>
        <div className="mt-1 rounded bg-slate-50 p-2">
          {!("result" in log) ? (
            <span className="text-sm text-slate-500">Loading…</span>
          ) : log.result === null ? (
            <span className="text-sm text-slate-500">none</span>
          ) : (
            <JsonTree value={log.result} />
          )}
        </div>
      </section>
    </Dialog>
  );
}

export function Logs() {
  const { isAdmin } = useMe();
  // The filters and the open run live in the URL, so a view can be shared and survives a reload.
  const [filters, setFilter] = useUrlState(KEYS);
  const input = {
    status: filters.status as (typeof EXECUTION_STATUS_VALUES)[number] | undefined,
    taskType: filters.taskType as (typeof TASK_TYPE_VALUES)[number] | undefined,
    trigger: filters.trigger as (typeof TRIGGER_VALUES)[number] | undefined,
    taskId: filters.taskId,
    search: filters.q,
    from: filters.from ? new Date(`${filters.from}T00:00:00`) : undefined,
    to: filters.to ? new Date(`${filters.to}T23:59:59.999`) : undefined,
    limit: 50,
  };
  // The same rule as the server's, said here instead of asked: a start after the end finds nothing.
  const parsed = executionLogsInput.safeParse(input);
  const problem = parsed.success ? null : (parsed.error.issues[0]?.message ?? "These filters cannot be used");
  const logs = api.monitoring.executionLogs.useInfiniteQuery(input, {
    enabled: problem === null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: pollEvery(15_000, (d) => d.pages.some((p) => p.items.some((log) => log.status === "RUNNING"))),
  });
  const openId = filters.run && /^\d+$/.test(filters.run) ? Number(filters.run) : null;
  const items = logs.data?.pages.flatMap((p) => p.items) ?? [];
  const listed = items.find((l) => l.id === openId);
  // The open run read alone: the list leaves results out, and a run linked from elsewhere (an event,
  // a toast) may not be on the loaded pages. The listed row shows at once while its details load.
  const single = api.monitoring.executionLog.useQuery({ id: openId ?? 0 }, { enabled: openId !== null });
  const open = single.data ?? listed ?? null;
  const count = logs.data?.pages[0]?.count;
  const select = "rounded-md border border-slate-300 bg-white px-2 py-1";

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-semibold">Execution logs</h1>
        <div className="flex flex-wrap items-center gap-4">
          <p className="text-sm text-slate-600" data-testid="log-count">
            {count ? `${count.label} run${count.total === 1 ? "" : "s"}` : ""}
          </p>
          {problem ? null : (
            <ExportLinks
              kind="execution-logs"
              what="these runs"
              filter={{
                status: input.status,
                taskType: input.taskType,
                trigger: input.trigger,
                taskId: input.taskId,
                search: parsed.success ? parsed.data.search : undefined,
                from: input.from,
                to: input.to,
              }}
            />
          )}
        </div>
      </div>
      <div className="flex flex-wrap gap-3 text-sm" role="group" aria-label="Filters">
        <SearchBox
          value={filters.q}
          onSearch={(q) => setFilter({ q })}
          label="Search runs"
          placeholder="Search errors, sites, platforms, results…"
        />
        <label>
          Status{" "}
          <select
            value={filters.status ?? ""}
            onChange={(e) => setFilter({ status: e.target.value })}
            className={select}
          >
            <option value="">All</option>
            {EXECUTION_STATUS_VALUES.map((s) => (
              <option key={s} value={s}>
                {OUTCOME_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type{" "}
          <select
            value={filters.taskType ?? ""}
            onChange={(e) => setFilter({ taskType: e.target.value })}
            className={select}
          >
            <option value="">All</option>
            {TASK_TYPE_VALUES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trigger{" "}
          <select
            value={filters.trigger ?? ""}
            onChange={(e) => setFilter({ trigger: e.target.value })}
            className={select}
          >
            <option value="">All</option>
            {TRIGGER_VALUES.map((t) => (
              <option key={t} value={t}>
                {t.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          From{" "}
          <input
            type="date"
            value={filters.from ?? ""}
            onChange={(e) => setFilter({ from: e.target.value })}
            className="rounded-md border border-slate-300 px-2 py-0.5"
          />
        </label>
        <label>
          To{" "}
          <input
            type="date"
            value={filters.to ?? ""}
            onChange={(e) => setFilter({ to: e.target.value })}
            className="rounded-md border border-slate-300 px-2 py-0.5"
          />
        </label>
        {filters.taskId ? (
          <button
            type="button"
            onClick={() => setFilter({ taskId: "" })}
            className="rounded-full bg-slate-100 px-2 py-0.5 text-xs"
          >
            one task only ✕
          </button>
        ) : null}
        <SaveView page="logs" query={viewQueryOf("logs", filters)} />
      </div>
      {problem ? (
        <p role="alert" className="rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {problem} — change the filters or the search.
        </p>
      ) : (
        <QueryList
          query={logs}
          what="logs"
          count={items.length}
          empty={
            filters.q
              ? `No runs match “${filters.q}” with these filters.`
              : Object.keys(filters).some((k) => k !== "run")
                ? "No runs match these filters."
                : "No runs yet: a task's runs appear here as soon as it has run."
          }
        >
          <DataTable
            columns={[
              { label: "Started" },
              { label: "Task" },
              { label: "Outcome" },
              { label: "Trigger" },
              { label: "Duration", numeric: true },
              { label: "Error" },
              { label: "Owner", when: isAdmin },
            ]}
          >
            {items.map((log) => (
              <tr
                key={log.id}
                data-testid="log-row"
                className="cursor-pointer hover:bg-slate-50"
                onClick={() => setFilter({ run: String(log.id) }, { push: true })}
              >
                <td className="whitespace-nowrap px-3 py-2">
                  <button
                    type="button"
                    className="text-left underline-offset-2 hover:underline"
                    onClick={() => setFilter({ run: String(log.id) }, { push: true })}
                  >
                    <Time value={log.startedAt} />
                  </button>
                </td>
                <td className="px-3 py-2">
                  {TYPE_LABELS[log.taskType]}
                  <span
                    className="block max-w-56 truncate text-xs text-slate-500"
                    title={log.target ?? undefined}
                    data-testid="log-target"
                  >
                    {targetName(log.target)}
                  </span>
                </td>
                <td className="px-3 py-2">
                  <OutcomeChip outcome={log.status} />
                </td>
                <td className="px-3 py-2 text-xs">
                  {log.trigger.toLowerCase()}
                  {log.attempt > 1 ? ` · attempt ${log.attempt}` : ""}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatDuration(log.durationMs)}</td>
                <td className="max-w-72 truncate px-3 py-2 text-red-800" title={log.errorMessage ?? undefined}>
                  {log.errorMessage}
                </td>
                {isAdmin ? (
                  <td className="max-w-48 truncate px-3 py-2 text-xs text-slate-600">{log.ownerEmail ?? "system"}</td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        </QueryList>
      )}
      {logs.hasNextPage ? (
        <button
          type="button"
          onClick={() => void logs.fetchNextPage()}
          disabled={logs.isFetchingNextPage}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        >
          Load older runs
        </button>
      ) : null}
      {open ? <RunDrawer log={open} onClose={() => setFilter({ run: "" })} /> : null}
      {openId !== null && single.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Run #{openId} does not exist, or it is not yours.
        </p>
      ) : null}
    </div>
  );
}
