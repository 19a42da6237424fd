"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDistanceToNow } from "date-fns";
import Link from "next/link";
import { useState } from "react";
import { CyclesChart, DurationChart, RunsChart, StatusChart } from "@/components/charts/overview-charts";
import type { ChartsInput } from "@/lib/validation/dashboard";
import { TYPE_LABELS } from "@/lib/labels";
import { pollEvery } from "@/trpc/query-client";
import { useTRPC } from "@/trpc/react";

const RANGE_DAYS: Record<ChartsInput["range"], number> = { "24h": 1, "7d": 7, "30d": 30 };

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

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="mb-2 font-medium">{title}</h2>
      {children}
    </section>
  );
}

export function Overview() {
  const trpc = useTRPC();
  const [range, setRange] = useState<ChartsInput["range"]>("7d");
  const days = RANGE_DAYS[range];
  // Light numbers poll often; the heavier charts less; both back off while the server errs.
  const overview = useQuery({ ...trpc.dashboard.overview.queryOptions({ days }), refetchInterval: pollEvery(10_000, (d) => d.scheduler.activeRuns > 0) });
  const charts = useQuery({ ...trpc.dashboard.charts.queryOptions({ range }), refetchInterval: pollEvery(60_000) });

  if (overview.isPending) {
    return (
      <div aria-busy="true" aria-live="polite" className="space-y-4">
        <p className="text-sm text-slate-500">Loading overview…</p>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
          {Array.from({ length: 8 }, (_, i) => (
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
  const attention = data.tasksByStatus.NEEDS_INTERVENTION + data.tasksByStatus.FAILED;
  const s = data.session;
  const c = data.cumulative;
  const pair = (session: number | undefined, all: number | undefined) => `${session ?? 0} this session · ${all ?? 0} all time`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Overview</h1>
          <p className="text-sm text-slate-500">Last updated {formatDistanceToNow(data.lastUpdated, { addSuffix: true })}</p>
        </div>
        <label className="text-sm text-slate-600">
          Range{" "}
          <select value={range} onChange={(e) => setRange(e.target.value as ChartsInput["range"])} className="ml-1 rounded-md border border-slate-300 bg-white px-2 py-1">
            <option value="24h">24 hours</option>
            <option value="7d">7 days</option>
            <option value="30d">30 days</option>
          </select>
        </label>
      </div>

      {attention > 0 ? (
        <Link href="/dashboard/intervention" className="block rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 hover:bg-amber-100" data-testid="attention-strip">
          {attention} task{attention === 1 ? " needs" : "s need"} your attention: see what to do →
        </Link>
      ) : null}

      <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Scheduler" value={data.scheduler.running ? "Running" : "Stopped"} hint={`${data.scheduler.workersAlive} worker${data.scheduler.workersAlive === 1 ? "" : "s"} alive · ${data.scheduler.activeRuns} active run${data.scheduler.activeRuns === 1 ? "" : "s"}`} />
        <Stat label="Check cycles" value={String(c?.totalCheckCycles ?? 0)} hint={pair(s?.cycles, c?.totalCheckCycles)} />
        <Stat label="Executed" value={String(c?.tasksExecuted ?? 0)} hint={pair(s?.executed, c?.tasksExecuted)} />
        <Stat label="Failed" value={String(c?.tasksFailed ?? 0)} hint={`${pair(s?.failed, c?.tasksFailed)} · ${c?.tasksSkipped ?? 0} skipped`} />
        <Stat label="Tasks" value={String(data.totalTasks)} hint={`${data.tasksByStatus.ACTIVE} active · ${data.jobs.oneTime} queued by hand`} />
        <Stat label="Runs" value={String(data.window.runs)} hint={`last ${data.window.days} day${data.window.days === 1 ? "" : "s"}`} />
        <Stat label="Success rate" value={rate} hint={`${data.window.succeeded} ok · ${data.window.failed} failed`} />
        <Stat label="Needs attention" value={String(attention)} hint={data.nextDueAt ? `next run due ${formatDistanceToNow(data.nextDueAt, { addSuffix: true })}` : "nothing scheduled"} />
      </dl>

      <Panel title={range === "24h" ? "Runs per hour" : "Runs per day"}>
        {charts.data ? <RunsChart buckets={charts.data.buckets} /> : <div className="h-72 animate-pulse rounded bg-slate-100" />}
      </Panel>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Run duration by type (p50 / p95)">{charts.data ? <DurationChart durations={charts.data.durations} /> : <div className="h-64 animate-pulse rounded bg-slate-100" />}</Panel>
        <Panel title="Job status">
          <StatusChart byStatus={data.tasksByStatus} />
        </Panel>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Check cycles">{charts.data ? <CyclesChart buckets={charts.data.buckets} /> : <div className="h-48 animate-pulse rounded bg-slate-100" />}</Panel>
        <Panel title="Tasks by type">
          <table className="w-full text-sm">
            <tbody>
              {Object.entries(data.tasksByType).map(([type, n]) => (
                <tr key={type} className="border-t border-slate-100">
                  <th scope="row" className="py-1.5 text-left font-normal text-slate-600">{TYPE_LABELS[type] ?? type}</th>
                  <td className="py-1.5 text-right tabular-nums">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
    </div>
  );
}
