"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { format, formatDistanceToNowStrict } from "date-fns";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { EXECUTION_STATUS_VALUES, TRIGGER_VALUES } from "@/lib/validation/monitoring";
import { TASK_TYPE_VALUES } from "@/lib/validation/dashboard";
import { formatDuration, OUTCOME_LABELS, TYPE_LABELS } from "@/lib/labels";
import { pollEvery } from "@/trpc/query-client";
import { useTRPC } from "@/trpc/react";
import { OutcomeChip } from "./ui/chips";

type Filters = { status?: string; taskType?: string; trigger?: string; taskId?: string; from?: string; to?: string };
const KEYS = ["status", "taskType", "trigger", "taskId", "from", "to"] as const;

/** Pretty, collapsible JSON: objects and arrays fold. */
function JsonTree({ value, name }: { value: unknown; name?: string }) {
  if (value === null || typeof value !== "object") {
    return (
      <div className="font-mono text-xs">
        {name ? <span className="text-slate-500">{name}: </span> : null}
        <span className={typeof value === "string" ? "text-emerald-800" : "text-indigo-800"}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
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

export function Logs() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // The filters live in the URL, so a filtered view can be shared and survives a reload.
  const filters: Filters = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v)) as Filters;
  const setFilter = (key: keyof Filters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  const input = {
    status: filters.status as (typeof EXECUTION_STATUS_VALUES)[number] | undefined,
    taskType: filters.taskType as (typeof TASK_TYPE_VALUES)[number] | undefined,
    trigger: filters.trigger as (typeof TRIGGER_VALUES)[number] | undefined,
    taskId: filters.taskId,
    from: filters.from ? new Date(`${filters.from}T00:00:00`) : undefined,
    to: filters.to ? new Date(`${filters.to}T23:59:59.999`) : undefined,
    limit: 50,
  };
  const logs = useInfiniteQuery(trpc.monitoring.executionLogs.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor, refetchInterval: pollEvery(15_000, (d) => d.pages.some((p) => p.items.some((log) => log.status === "RUNNING"))) }));
  const [openId, setOpenId] = useState<number | null>(null);
  const items = logs.data?.pages.flatMap((p) => p.items) ?? [];
  const count = logs.data?.pages[0]?.count;
  const open = items.find((l) => l.id === openId) ?? null;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-semibold">Execution logs</h1>
        <p className="text-sm text-slate-600" data-testid="log-count">
          {count ? `${count.label} run${count.total === 1 ? "" : "s"}` : ""}
        </p>
      </div>
      <div className="flex flex-wrap gap-3 text-sm" role="group" aria-label="Filters">
        <label>
          Status{" "}
          <select value={filters.status ?? ""} onChange={(e) => setFilter("status", e.target.value)} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">All</option>
            {EXECUTION_STATUS_VALUES.map((s) => (
              <option key={s} value={s}>{OUTCOME_LABELS[s]}</option>
            ))}
          </select>
        </label>
        <label>
          Type{" "}
          <select value={filters.taskType ?? ""} onChange={(e) => setFilter("taskType", e.target.value)} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">All</option>
            {TASK_TYPE_VALUES.map((t) => (
              <option key={t} value={t}>{TYPE_LABELS[t]}</option>
            ))}
          </select>
        </label>
        <label>
          Trigger{" "}
          <select value={filters.trigger ?? ""} onChange={(e) => setFilter("trigger", e.target.value)} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">All</option>
            {TRIGGER_VALUES.map((t) => (
              <option key={t} value={t}>{t.toLowerCase()}</option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" value={filters.from ?? ""} onChange={(e) => setFilter("from", e.target.value)} className="rounded-md border border-slate-300 px-2 py-0.5" />
        </label>
        <label>
          To <input type="date" value={filters.to ?? ""} onChange={(e) => setFilter("to", e.target.value)} className="rounded-md border border-slate-300 px-2 py-0.5" />
        </label>
        {filters.taskId ? (
          <button type="button" onClick={() => setFilter("taskId", "")} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs">
            task {filters.taskId.slice(0, 8)}… ✕
          </button>
        ) : null}
      </div>
      {logs.isPending ? (
        <p aria-busy="true" className="text-sm text-slate-500">Loading logs…</p>
      ) : logs.isError ? (
        <p role="alert" className="text-sm text-red-700">{logs.error.message}</p>
      ) : items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">No runs match these filters.</p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Started ({zone})</th>
                <th scope="col" className="px-3 py-2 font-medium">Type</th>
                <th scope="col" className="px-3 py-2 font-medium">Outcome</th>
                <th scope="col" className="px-3 py-2 font-medium">Trigger</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Duration</th>
                <th scope="col" className="px-3 py-2 font-medium">Error</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((log) => (
                <tr key={log.id} data-testid="log-row" className="cursor-pointer hover:bg-slate-50" onClick={() => setOpenId(log.id)}>
                  <td className="whitespace-nowrap px-3 py-2">
                    <button type="button" className="text-left underline-offset-2 hover:underline" onClick={() => setOpenId(log.id)}>
                      {format(log.startedAt, "yyyy-MM-dd HH:mm:ss")}
                    </button>{" "}
                    <span className="text-xs text-slate-500">{formatDistanceToNowStrict(log.startedAt, { addSuffix: true })}</span>
                  </td>
                  <td className="px-3 py-2">{TYPE_LABELS[log.taskType]}</td>
                  <td className="px-3 py-2"><OutcomeChip outcome={log.status} /></td>
                  <td className="px-3 py-2 text-xs">{log.trigger.toLowerCase()}{log.attempt > 1 ? ` · attempt ${log.attempt}` : ""}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatDuration(log.durationMs)}</td>
                  <td className="max-w-72 truncate px-3 py-2 text-red-800" title={log.errorMessage ?? undefined}>{log.errorMessage}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {logs.hasNextPage ? (
        <button type="button" onClick={() => void logs.fetchNextPage()} disabled={logs.isFetchingNextPage} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Load older runs
        </button>
      ) : null}
      {open ? (
        <div role="dialog" aria-modal="true" aria-label={`Run ${open.id}`} className="fixed inset-0 z-40 flex justify-end bg-black/30" onClick={() => setOpenId(null)}>
          <aside className="h-full w-full max-w-xl overflow-y-auto bg-white p-6 shadow-xl" onClick={(e) => e.stopPropagation()}>
            <div className="flex items-center justify-between">
              <h2 className="text-lg font-semibold">Run #{open.id}</h2>
              <button type="button" autoFocus onClick={() => setOpenId(null)} className="rounded border border-slate-300 px-2 py-1 text-sm">Close</button>
            </div>
            <dl className="mt-4 grid grid-cols-2 gap-2 text-sm">
              <dt className="text-slate-500">Type</dt><dd>{TYPE_LABELS[open.taskType]}</dd>
              <dt className="text-slate-500">Outcome</dt><dd><OutcomeChip outcome={open.status} /></dd>
              <dt className="text-slate-500">Started</dt><dd>{open.startedAt.toLocaleString()}</dd>
              <dt className="text-slate-500">Finished</dt><dd>{open.finishedAt ? open.finishedAt.toLocaleString() : "—"}</dd>
              <dt className="text-slate-500">Duration</dt><dd>{formatDuration(open.durationMs)}</dd>
              <dt className="text-slate-500">Trigger</dt><dd>{open.trigger.toLowerCase()} (attempt {open.attempt})</dd>
              {open.dataSource ? (<><dt className="text-slate-500">Data source</dt><dd>{open.dataSource}</dd></>) : null}
            </dl>
            {open.errorMessage ? (
              <section className="mt-4">
                <h3 className="font-medium">Error</h3>
                <p className="mt-1 rounded bg-red-50 p-2 text-sm text-red-800">{open.errorCategory ? `[${open.errorCategory}] ` : ""}{open.errorMessage}</p>
              </section>
            ) : null}
            <section className="mt-4">
              <h3 className="font-medium">Result</h3>
              <div className="mt-1 rounded bg-slate-50 p-2">{open.result === null ? <span className="text-sm text-slate-500">none</span> : <JsonTree value={open.result} />}</div>
            </section>
          </aside>
        </div>
      ) : null}
    </div>
  );
}
