"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDistanceToNow } from "date-fns";
import { useState } from "react";
import { RunsPerDayChart } from "@/components/charts/runs-per-day-chart";
import { DEFAULT_OVERVIEW_DAYS } from "@/lib/validation/dashboard";
import { useTRPC } from "@/trpc/react";

const TYPE_LABELS: Record<string, string> = {
  OAUTH_TOKEN_MONITORING: "OAuth token monitoring",
  GSC_INSIGHTS: "Search Console insights",
  BING_INSIGHTS: "Bing insights",
  WEBSITE_ANALYSIS: "Website analysis",
};
const STATUS_LABELS: Record<string, string> = {
  ACTIVE: "Active",
  PAUSED: "Paused",
  FAILED: "Failed",
  NEEDS_INTERVENTION: "Needs intervention",
};

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`stat-${label.toLowerCase().replace(/\W+/g, "-")}`}>
        {value}
      </dd>
      {hint ? <dd className="mt-1 text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

export function Overview() {
  const trpc = useTRPC();
  const [days, setDays] = useState(DEFAULT_OVERVIEW_DAYS);
  const overview = useQuery({ ...trpc.dashboard.overview.queryOptions({ days }), refetchInterval: 30_000 });

  if (overview.isPending) {
    return (
      <div aria-busy="true" aria-live="polite" className="space-y-4">
        <p className="text-sm text-slate-500">Loading overview…</p>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className="h-24 animate-pulse rounded-lg bg-slate-200" />
          ))}
        </div>
      </div>
    );
  }
  if (overview.isError) {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-red-800">
        <p className="font-medium">The overview could not be loaded.</p>
        <p className="mt-1 text-sm">{overview.error.message}</p>
        <button type="button" onClick={() => void overview.refetch()} className="mt-3 rounded-md border border-red-300 px-3 py-1.5 text-sm hover:bg-red-100">
          Try again
        </button>
      </div>
    );
  }

  const data = overview.data;
  const rate = data.successRate === null ? "—" : `${(data.successRate * 100).toFixed(1)}%`;
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Overview</h1>
          <p className="text-sm text-slate-500">Last updated {formatDistanceToNow(data.lastUpdated, { addSuffix: true })}</p>
        </div>
        <label className="text-sm text-slate-600">
          Range{" "}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} className="ml-1 rounded-md border border-slate-300 bg-white px-2 py-1">
            <option value={7}>7 days</option>
            <option value={14}>14 days</option>
            <option value={30}>30 days</option>
          </select>
        </label>
      </div>

      <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Tasks" value={String(data.totalTasks)} hint={`${data.tasksByStatus.ACTIVE} active`} />
        <Stat label="Runs" value={String(data.window.runs)} hint={`last ${data.window.days} days`} />
        <Stat label="Success rate" value={rate} hint={`${data.window.succeeded} ok · ${data.window.failed} failed`} />
        <Stat label="Needs attention" value={String(data.tasksByStatus.NEEDS_INTERVENTION + data.tasksByStatus.FAILED)} hint="failed or cooled off" />
      </dl>

      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 className="mb-2 font-medium">Runs per day</h2>
        <RunsPerDayChart data={data.runsPerDay} />
      </section>

      <div className="grid gap-4 md:grid-cols-2">
        <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <h2 className="mb-3 font-medium">Tasks by type</h2>
          <table className="w-full text-sm">
            <tbody>
              {Object.entries(data.tasksByType).map(([type, n]) => (
                <tr key={type} className="border-t border-slate-100">
                  <th scope="row" className="py-1.5 text-left font-normal text-slate-600">
                    {TYPE_LABELS[type] ?? type}
                  </th>
                  <td className="py-1.5 text-right tabular-nums">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <h2 className="mb-3 font-medium">Tasks by status</h2>
          <table className="w-full text-sm">
            <tbody>
              {Object.entries(data.tasksByStatus).map(([status, n]) => (
                <tr key={status} className="border-t border-slate-100">
                  <th scope="row" className="py-1.5 text-left font-normal text-slate-600">
                    {STATUS_LABELS[status] ?? status}
                  </th>
                  <td className="py-1.5 text-right tabular-nums">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      {data.cumulative ? (
        <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
          <h2 className="mb-2 font-medium">Scheduler, all time</h2>
          <p className="text-slate-600">
            {data.cumulative.totalCheckCycles} check cycles · {data.cumulative.tasksExecuted} tasks executed · {data.cumulative.tasksFailed} failed ·{" "}
            {data.cumulative.tasksSkipped} skipped
          </p>
        </section>
      ) : null}
    </div>
  );
}
