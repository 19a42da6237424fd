"use client";

import Link from "next/link";
import { CyclesChart, DurationChart, RunsChart, StatusChart } from "@/components/charts/overview-charts";
import { rangeOf, type ChartRange } from "@/lib/chart-range";
import { TYPE_LABELS } from "@/lib/labels";
import { attentionSentence, plural } from "@/lib/states";
import { OverdueRuns } from "./overdue-runs";
import { pollEvery } from "@/trpc/query-client";
import { api, type RouterOutputs } from "@/trpc/react";
import { ErrorState } from "./ui/query-state";
import { Time } from "./ui/time";
import { useUrlState } from "./use-url-state";

type OverviewData = RouterOutputs["dashboard"]["overview"];

const RANGE_WORDS: Record<ChartRange, string> = {
  "24h": "last 24 hours",
  "7d": "last 7 days",
  "30d": "last 30 days",
};

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: React.ReactNode;
  hint?: React.ReactNode;
  testId?: string;
}) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd
        className="mt-1 text-2xl font-semibold tabular-nums"
        data-testid={testId ?? `stat-${label.toLowerCase().replace(/\W+/g, "-")}`}
      >
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

const n = (value: number) => value.toLocaleString("en");

/** A new account's first steps; it goes away once all three are done. */
function Onboarding({ steps }: { steps: OverviewData["onboarding"] }) {
  const items = [
    {
      done: steps.connected,
      text: "Connect a platform",
      detail:
        "Search Console, Bing Webmaster, WordPress or Wix: its token is then watched, and its search data fetched.",
      href: "/dashboard/connections",
    },
    {
      done: steps.website,
      text: "Add your website",
      detail: "It is analysed every day, and so are the competitors you add.",
      href: "/dashboard/connections#websites-heading",
    },
    {
      done: steps.firstRun,
      text: "See the first run",
      detail: "New tasks run within a minute; their results appear on Jobs and Platforms.",
      href: "/dashboard/jobs",
    },
  ];
  return (
    <section
      aria-labelledby="onboarding-heading"
      className="rounded-lg border border-indigo-200 bg-indigo-50 p-4"
      data-testid="onboarding"
    >
      <h2 id="onboarding-heading" className="font-medium text-indigo-950">
        Get started: {items.filter((i) => i.done).length} of 3 done
      </h2>
      <ol className="mt-2 space-y-2">
        {items.map((item, index) => (
          <li key={item.text} className="flex gap-3 text-sm">
            <span
              aria-hidden="true"
              className={`mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-xs ${item.done ? "bg-emerald-600 text-white" : "border border-indigo-300 bg-white text-indigo-800"}`}
            >
              {item.done ? "✓" : index + 1}
            </span>
            <span>
              {item.done ? (
                <span className="text-slate-600 line-through">{item.text}</span>
              ) : (
                <Link href={item.href} className="font-medium text-indigo-800 underline">
                  {item.text}
                </Link>
              )}
              <span className="sr-only">{item.done ? " (done)" : " (to do)"}</span>
              {item.done ? null : <span className="block text-slate-700">{item.detail}</span>}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Admins only: the scheduler across every user, labelled as such. */
function SystemSection({
  system,
  charts,
}: {
  system: NonNullable<OverviewData["system"]>;
  charts: RouterOutputs["dashboard"]["charts"] | undefined;
}) {
  const s = system.session;
  const c = system.cumulative;
  const pair = (session: number | undefined, all: number | undefined) =>
    `${n(session ?? 0)} this session · ${n(all ?? 0)} all time`;
  return (
    <section aria-labelledby="system-heading" className="space-y-4" data-testid="system-section">
      <div>
        <h2 id="system-heading" className="text-lg font-semibold">
          System: all users
        </h2>
        <p className="text-sm text-slate-600">
          The scheduler as a whole, for administrators: every user&apos;s runs, the workers and their check cycles.
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat
          label="Workers alive"
          value={n(system.workersAlive)}
          hint={`${plural(system.activeRuns, "run")} in flight`}
        />
        <Stat
          label="Check cycles"
          value={n(c?.totalCheckCycles ?? 0)}
          hint={
            <>
              {pair(s?.cycles, c?.totalCheckCycles)} · last{" "}
              <Time value={system.lastCycleAt} relative fallback="never" />
            </>
          }
        />
        <Stat
          label="Skipped or timed out"
          value={n((c?.tasksSkipped ?? 0) + (c?.tasksTimedOut ?? 0))}
          hint={`${n(c?.tasksSkipped ?? 0)} skipped · ${n(c?.tasksTimedOut ?? 0)} timed out, all time`}
        />
        <Stat
          label="Runs recovered"
          value={n(c?.leasesRecovered ?? 0)}
          hint={`runs of workers that died, handed on · ${n(s?.leasesRecovered ?? 0)} this session`}
        />
      </dl>
      <Panel title="Check cycles">
        {charts ? (
          <CyclesChart buckets={charts.buckets} />
        ) : (
          <div className="h-48 animate-pulse rounded bg-slate-100" />
        )}
      </Panel>
    </section>
  );
}

export function Overview() {
  // The range lives in the URL, so a reload or a shared link shows the same period.
  const [params, setParams] = useUrlState(["range"] as const);
  const range = rangeOf(params.range);
  // Light numbers poll often; the heavier charts less; both back off while the server errs.
  const overview = api.dashboard.overview.useQuery(
    { days: 7 },
    { refetchInterval: pollEvery(10_000, (d) => d.scheduler.runningNow > 0) },
  );
  const charts = api.dashboard.charts.useQuery({ range }, { refetchInterval: pollEvery(60_000) });
  // The period's runs and success rate come from the chart's own buckets: the cards and the chart
  // beside them always count the same runs.
  const period = charts.data
    ? charts.data.buckets.reduce(
        (a, b) => ({
          runs: a.runs + b.success + b.failed + b.other,
          ok: a.ok + b.success,
          failed: a.failed + b.failed,
        }),
        { runs: 0, ok: 0, failed: 0 },
      )
    : null;

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
  if (overview.isError)
    return (
      <ErrorState
        message={`The overview could not be loaded: ${overview.error.message}`}
        onRetry={() => void overview.refetch()}
      />
    );

  const data = overview.data;
  const rate = !period
    ? "…"
    : period.ok + period.failed === 0
      ? "—"
      : `${((period.ok / (period.ok + period.failed)) * 100).toFixed(1)}%`;
  const session = data.runs.session;
  const byStatus = data.tasksByStatus;
  const window = RANGE_WORDS[range];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Overview</h1>
          <p className="text-sm text-slate-500">
            {data.system ? "Every user's tasks and runs" : "Your tasks and runs"} · updated{" "}
            <Time value={data.lastUpdated} relative />
          </p>
        </div>
        <label className="text-sm text-slate-600">
          Range{" "}
          <select
            value={range}
            onChange={(e) => setParams({ range: e.target.value === "7d" ? "" : e.target.value })}
            className="ml-1 rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            <option value="24h">24 hours</option>
            <option value="7d">7 days</option>
            <option value="30d">30 days</option>
          </select>
        </label>
      </div>

      {data.onboarding.done ? null : <Onboarding steps={data.onboarding} />}

      {data.needsAttention > 0 ? (
        <Link
          href="/dashboard/intervention"
          className="block rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 hover:bg-amber-100"
          data-testid="attention-strip"
        >
          {attentionSentence(data.attention).replace(/\.$/, "")}: see what to do →
        </Link>
      ) : null}

      <OverdueRuns compact />

      <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat
          label="Scheduler"
          value={data.scheduler.running ? "Running" : "Stopped"}
          hint={
            data.scheduler.runningNow > 0 ? (
              `${plural(data.scheduler.runningNow, "run")} in flight`
            ) : data.nextDueAt ? (
              <>
                next run due <Time value={data.nextDueAt} relative />
              </>
            ) : (
              "nothing scheduled"
            )
          }
        />
        <Stat
          label="Tasks"
          value={n(data.totalTasks)}
          hint={`${[`${n(byStatus.ACTIVE)} active`, `${n(byStatus.PAUSED)} paused`, byStatus.NEEDS_INTERVENTION ? `${n(byStatus.NEEDS_INTERVENTION)} cooling off` : null].filter(Boolean).join(" · ")}${data.endedTasks ? `; ${n(data.endedTasks)} more ended` : ""}`}
        />
        <Stat
          label="Needs attention"
          value={n(data.needsAttention)}
          hint={
            <>
              {data.system ? "all users · " : null}
              {data.needsAttention ? (
                <Link href="/dashboard/intervention" className="underline">
                  see what to do
                </Link>
              ) : (
                "nothing to fix by hand"
              )}
            </>
          }
        />
        <Stat
          label="Success rate"
          value={rate}
          hint={period ? `${n(period.ok)} ok · ${n(period.failed)} failed runs · ${window}` : window}
        />
        <Stat label="Runs" value={period ? n(period.runs) : "…"} hint={window} />
        <Stat
          label="Executed"
          value={n(data.runs.allTime.executed)}
          hint={`all time · ${session ? `${n(session.executed)} this session` : "no scheduler session"}`}
        />
        <Stat
          label="Succeeded"
          value={n(data.runs.allTime.succeeded)}
          hint={`all time · ${session ? `${n(session.succeeded)} this session` : "no scheduler session"}`}
        />
        <Stat
          label="Failed"
          value={n(data.runs.allTime.failed)}
          hint={`all time · ${session ? `${n(session.failed)} this session` : "no scheduler session"}`}
        />
      </dl>

      <Panel title={range === "24h" ? "Runs per hour" : "Runs per day (UTC days)"}>
        {charts.data ? (
          <RunsChart buckets={charts.data.buckets} />
        ) : (
          <div className="h-72 animate-pulse rounded bg-slate-100" />
        )}
      </Panel>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Run duration by type (p50 / p95)">
          {charts.data ? (
            <DurationChart durations={charts.data.durations} />
          ) : (
            <div className="h-64 animate-pulse rounded bg-slate-100" />
          )}
        </Panel>
        <Panel title="Job status">
          <StatusChart byStatus={data.tasksByStatus} />
        </Panel>
      </div>
      <Panel title="Tasks by type">
        <table className="w-full text-sm">
          <tbody>
            {Object.entries(data.tasksByType).map(([type, count]) => (
              <tr key={type} className="border-t border-slate-100">
                <th scope="row" className="py-1.5 text-left font-normal text-slate-600">
                  {TYPE_LABELS[type] ?? type}
                </th>
                <td className="py-1.5 text-right tabular-nums">{n(count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      {data.system ? <SystemSection system={data.system} charts={charts.data} /> : null}
    </div>
  );
}
