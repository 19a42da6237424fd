"use client";

import Link from "next/link";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDay } from "@/lib/format";
import { CONNECTION_STATES, type ConnectionStatusName } from "@/lib/states";
import { PLATFORM_NAMES } from "@/lib/platforms";
import { pollEvery } from "@/trpc/query-client";
import { api, type RouterOutputs } from "@/trpc/react";
import { ReconnectLink } from "./reconnect-link";
import { OutcomeChip, Spinner, StatusChip, ToneChip } from "./ui/chips";
import { Empty, LoadError } from "./ui/query-state";
import { Time, useZone } from "./ui/time";
import { useMe } from "./use-me";
import { useRunActions } from "./use-run-actions";
import { useSetPaused } from "./use-set-paused";

type PlatformKey = keyof typeof PLATFORM_NAMES;
type Insight = RouterOutputs["platform"]["insightsStatus"][number];
type Site = RouterOutputs["platform"]["websiteAnalysisStatus"]["own"][number];

const HEALTH_STYLE = {
  healthy: "bg-emerald-100 text-emerald-900",
  degraded: "bg-amber-100 text-amber-900",
  not_configured: "bg-slate-100 text-slate-800",
} as const;
const HEALTH_LABEL = { healthy: "Healthy", degraded: "Degraded", not_configured: "Not set up" } as const;

interface Row {
  key: string;
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
}

function TopTable({ caption, rows }: { caption: string; rows: Row[] }) {
  if (!rows.length) return null;
  return (
    <table className="mt-3 w-full text-xs">
      <caption className="text-left text-slate-500">{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className="text-left font-medium">
            {caption.startsWith("Top queries") ? "Query" : "Page"}
          </th>
          <th scope="col" className="text-right font-medium">
            Clicks
          </th>
          <th scope="col" className="text-right font-medium">
            CTR
          </th>
          <th scope="col" className="text-right font-medium">
            Position
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, 5).map((q) => (
          <tr key={q.key} className="border-t border-slate-100">
            <td className="max-w-48 truncate py-0.5" title={q.key}>
              {q.key}
            </td>
            <td className="text-right tabular-nums">{q.clicks.toLocaleString("en")}</td>
            <td className="text-right tabular-nums">{(q.ctr * 100).toFixed(1)}%</td>
            <td className="text-right tabular-nums">{q.position.toFixed(1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function InsightCard({ task }: { task: Insight }) {
  const zone = useZone();
  const s = task.latestSnapshot;
  const rows = (value: unknown) => (Array.isArray(value) ? (value as Row[]) : []);
  return (
    <article
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid={`insights-${task.platform}`}
    >
      <div className="flex items-center justify-between">
        <h3 className="font-medium">
          <Link href={`/dashboard/jobs/${task.id}`} className="hover:underline">
            {PLATFORM_NAMES[task.platform as PlatformKey]}
          </Link>
        </h3>
        <StatusChip status={task.status} />
      </div>
      {task.status === "NEEDS_INTERVENTION" ? (
        <p className="mt-1 text-xs text-amber-900">
          Its fetches keep failing:{" "}
          <Link href="/dashboard/intervention" className="underline">
            see what to do
          </Link>
          .
        </p>
      ) : null}
      {s ? (
        <>
          <p className="text-xs text-slate-500">
            {s.siteUrl} · {formatDay(s.startDate, zone)} to {formatDay(s.endDate, zone)} · fetched{" "}
            <Time value={s.fetchedAt} relative />
          </p>
          <dl className="mt-3 grid grid-cols-4 gap-2 text-sm">
            <div>
              <dt className="text-slate-500">Clicks</dt>
              <dd className="font-semibold tabular-nums">{s.clicks.toLocaleString("en")}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Impressions</dt>
              <dd className="font-semibold tabular-nums">{s.impressions.toLocaleString("en")}</dd>
            </div>
            <div>
              <dt className="text-slate-500">CTR</dt>
              <dd className="font-semibold tabular-nums">{(s.ctr * 100).toFixed(1)}%</dd>
            </div>
            <div>
              <dt className="text-slate-500">Position</dt>
              <dd className="font-semibold tabular-nums">{s.position.toFixed(1)}</dd>
            </div>
          </dl>
          {task.trend.length > 1 ? (
            <div
              className="mt-3 h-32"
              role="img"
              aria-label={`Clicks over the last ${task.trend.length} snapshots, from ${task.trend[0]!.clicks} to ${task.trend.at(-1)!.clicks}`}
            >
              <ResponsiveContainer width="100%" height="100%">
                <LineChart
                  accessibilityLayer={false}
                  data={task.trend.map((x) => ({ at: formatDay(x.fetchedAt, zone), clicks: x.clicks }))}
                >
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="at" hide />
                  <YAxis width={44} fontSize={11} domain={["auto", "auto"]} />
                  <Tooltip />
                  <Line
                    type="monotone"
                    dataKey="clicks"
                    name="Clicks (28 days)"
                    stroke="#4f46e5"
                    dot={false}
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            </div>
          ) : null}
          <TopTable caption="Top queries, 28 days" rows={rows(s.topQueries)} />
          <TopTable caption="Top pages, 28 days" rows={rows(s.topPages)} />
        </>
      ) : (
        <p className="mt-2 text-sm text-slate-600">
          No snapshot yet:{" "}
          {task.lastOutcome ? (
            <>
              the last run <OutcomeChip outcome={task.lastOutcome} /> without data.
            </>
          ) : (
            <>
              the first run is due <Time value={task.nextRunAt} relative fallback="when the task is resumed" />.
            </>
          )}
        </p>
      )}
    </article>
  );
}

function SiteCard({
  task,
  canChange,
  busy,
  onRetry,
}: {
  task: Site;
  canChange: boolean;
  busy: boolean;
  onRetry: () => void;
}) {
  const a = task.latestAnalysis;
  const details = (a?.details ?? {}) as { scoreReasons?: string[]; change?: { seoScore: number } | null };
  const failing =
    task.lastOutcome === "FAILED" || task.lastOutcome === "TIMED_OUT" || task.status === "NEEDS_INTERVENTION";
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="site-card">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h3 className="break-all font-medium">
            <Link href={`/dashboard/jobs/${task.id}`} className="hover:underline">
              {task.websiteUrl}
            </Link>
          </h3>
          <p className="text-xs text-slate-500">
            {task.websiteRole === "COMPETITOR" ? "Competitor" : "Your site"} · last analysed{" "}
            <Time value={a?.analyzedAt} relative fallback="never" />
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <OutcomeChip outcome={task.lastOutcome} />
          {task.status !== "ACTIVE" ? <StatusChip status={task.status} /> : null}
        </div>
      </div>
      {a && !a.error ? (
        <p className="mt-2 text-3xl font-semibold tabular-nums">
          {a.seoScore}
          <span className="text-sm font-normal text-slate-500">/100</span>
          {details.change ? (
            <span className={`ml-2 text-sm ${details.change.seoScore >= 0 ? "text-emerald-700" : "text-red-700"}`}>
              {details.change.seoScore > 0 ? "+" : ""}
              {details.change.seoScore === 0 ? "no change" : details.change.seoScore} since the previous run
            </span>
          ) : null}
        </p>
      ) : a?.error ? (
        <>
          <p className="mt-2 text-sm text-red-800">The last analysis failed: {a.error}</p>
          {task.lastGoodAnalysis ? (
            <p className="mt-1 text-xs text-slate-600">
              Last good score {task.lastGoodAnalysis.seoScore}/100,{" "}
              <Time value={task.lastGoodAnalysis.analyzedAt} relative />
            </p>
          ) : null}
        </>
      ) : (
        <p className="mt-2 text-sm text-slate-600">
          Not analysed yet: the first run is due{" "}
          <Time value={task.nextRunAt} relative fallback="when the task is resumed" />.
        </p>
      )}
      {a && !a.error && details.scoreReasons?.length ? (
        <ul className="mt-2 list-disc pl-5 text-xs text-slate-700" aria-label="Why this score">
          {details.scoreReasons.slice(0, 4).map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {canChange && failing ? (
        <button
          type="button"
          onClick={onRetry}
          disabled={busy}
          className="mt-3 inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
        >
          {busy ? <Spinner label="Retrying" /> : null} Retry
        </button>
      ) : null}
    </article>
  );
}

export function Platforms({ only }: { only?: PlatformKey }) {
  const { canChange } = useMe();
  const scope = { platform: only };
  const tokens = api.platform.oauthTokenStatus.useQuery(undefined, { refetchInterval: pollEvery(15_000) });
  const insights = api.platform.insightsStatus.useQuery(undefined, { refetchInterval: pollEvery(30_000) });
  const sites = api.platform.websiteAnalysisStatus.useQuery(undefined, {
    enabled: !only,
    refetchInterval: pollEvery(30_000),
  });
  const summary = api.platform.monitoringSummary.useQuery(scope, { refetchInterval: pollEvery(30_000) });
  const health = api.platform.health.useQuery(scope, { refetchInterval: pollEvery(30_000) });
  const { busy, run, checkToken } = useRunActions();
  const setPaused = useSetPaused();

  const platforms = (tokens.data ?? []).filter((p) => !only || p.platform === only);
  const insightTasks = (insights.data ?? []).filter((t) => !only || t.platform === only);
  const loading = tokens.isPending || summary.isPending || health.isPending;

  return (
    <div className="space-y-8" aria-busy={loading}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{only ? PLATFORM_NAMES[only] : "Platform health"}</h1>
          <p className="text-sm text-slate-600">
            {only
              ? `Your ${PLATFORM_NAMES[only]} connection, its token and what it fetched.`
              : "Your connections, their tokens and search data, and your websites."}
          </p>
          {only ? (
            <Link href="/dashboard/platforms" className="text-sm text-indigo-700 underline">
              All platforms
            </Link>
          ) : null}
        </div>
        {health.data ? (
          <div className="max-w-md text-right">
            <span
              className={`rounded px-2 py-1 text-sm font-medium ${HEALTH_STYLE[health.data.status]}`}
              data-testid="health-badge"
            >
              {HEALTH_LABEL[health.data.status]}
            </span>
            {health.data.reasons.length ? (
              <p className="mt-1 text-xs text-slate-600" data-testid="health-reasons">
                {health.data.reasons.join("; ")}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>

      {summary.data ? (
        <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-5" aria-label="Monitoring summary">
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Tasks</dt>
            <dd className="text-lg font-semibold">{summary.data.totalTasks}</dd>
          </div>
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Active</dt>
            <dd className="text-lg font-semibold">{summary.data.active}</dd>
          </div>
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Needs your attention</dt>
            <dd className="text-lg font-semibold" data-testid="summary-needs-attention">
              {summary.data.needsAttention > 0 ? (
                <Link href="/dashboard/intervention" className="underline">
                  {summary.data.needsAttention}
                </Link>
              ) : (
                0
              )}
            </dd>
          </div>
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Health score</dt>
            <dd className="text-lg font-semibold">
              {summary.data.healthScore ?? <span className="text-sm font-normal text-slate-500">nothing set up</span>}
            </dd>
          </div>
          <div className="rounded border border-slate-200 bg-white p-3">
            <dt className="text-slate-500">Runs, 24 h</dt>
            <dd className="text-lg font-semibold">{summary.data.last24h.runs}</dd>
          </div>
        </dl>
      ) : null}

      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          {only ? "Connection and token" : "Connections and tokens"}
        </h2>
        {tokens.isError ? (
          <div className="mt-3">
            <LoadError what="The connections" error={tokens.error} onRetry={() => void tokens.refetch()} />
          </div>
        ) : null}
        <ul className="mt-3 grid gap-3 md:grid-cols-2">
          {platforms.map((p) => {
            const key = p.platform as PlatformKey;
            const c = p.connection;
            const state = CONNECTION_STATES[(c?.status ?? "DISCONNECTED") as ConnectionStatusName];
            return (
              <li
                key={p.platform}
                className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
                data-testid={`token-${p.platform}`}
              >
                <div className="flex items-center justify-between gap-2">
                  <Link
                    href={`/dashboard/platforms/${p.platform.toLowerCase()}`}
                    className="font-medium text-indigo-800 hover:underline"
                  >
                    {PLATFORM_NAMES[key]}
                  </Link>
                  <ToneChip tone={state.tone} testId={`token-state-${p.platform}`}>
                    {state.label}
                  </ToneChip>
                </div>
                {p.connected && c ? (
                  <>
                    <p className="mt-1 text-sm" data-testid={`token-outcome-${p.platform}`}>
                      Last checked <Time value={c.lastCheckedAt} relative fallback="never" />
                      {p.lastCheck?.outcome ? ` · token ${p.lastCheck.outcome.replace(/_/g, " ")}` : ""}
                      {c.monitoringPaused ? " · monitoring paused" : ""}
                    </p>
                    {c.needsReconnect ? (
                      <p className="mt-1 text-xs text-red-800">{c.lastError ?? state.detail}</p>
                    ) : null}
                    {c.status === "EXPIRING" ? (
                      <p className="mt-1 text-xs text-amber-800">
                        {state.detail} It expires <Time value={c.tokenExpiresAt} relative />.
                      </p>
                    ) : null}
                  </>
                ) : (
                  <p className="mt-1 text-sm text-slate-500">Not connected.</p>
                )}
                {canChange ? (
                  <div className="mt-3 flex flex-wrap gap-2">
                    {!p.connected ? (
                      <Link
                        href="/dashboard/connections"
                        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
                      >
                        Connect on the Connections page
                      </Link>
                    ) : c?.needsReconnect ? (
                      <ReconnectLink platform={key} />
                    ) : p.task?.status === "PAUSED" ? (
                      <button
                        type="button"
                        onClick={() => setPaused.mutate({ taskId: p.task!.id, paused: false })}
                        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
                      >
                        Resume monitoring
                      </button>
                    ) : p.task ? (
                      <button
                        type="button"
                        onClick={() => void checkToken(key, PLATFORM_NAMES[key])}
                        disabled={busy[p.platform] !== undefined}
                        className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
                      >
                        {busy[p.platform] ? <Spinner label="Checking" /> : null} Check token now
                      </button>
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>

      {!only || only === "GSC" || only === "BING" ? (
        <section aria-labelledby="insights-heading">
          <h2 id="insights-heading" className="text-lg font-semibold">
            Search insights
          </h2>
          {insights.isPending ? null : insights.isError ? (
            <div className="mt-3">
              <LoadError what="Search insights" error={insights.error} onRetry={() => void insights.refetch()} />
            </div>
          ) : insightTasks.length === 0 ? (
            <div className="mt-3">
              <Empty>No insights tasks: connect Search Console or Bing Webmaster on the Connections page.</Empty>
            </div>
          ) : (
            <div className="mt-3 grid gap-4 lg:grid-cols-2">
              {insightTasks.map((t) => (
                <InsightCard key={t.id} task={t} />
              ))}
            </div>
          )}
        </section>
      ) : null}

      {!only ? (
        <section aria-labelledby="sites-heading">
          <h2 id="sites-heading" className="text-lg font-semibold">
            Website analysis
          </h2>
          {sites.isPending ? null : sites.isError ? (
            <div className="mt-3">
              <LoadError what="Website analysis" error={sites.error} onRetry={() => void sites.refetch()} />
            </div>
          ) : [...(sites.data?.own ?? []), ...(sites.data?.competitors ?? [])].length === 0 ? (
            <div className="mt-3">
              <Empty>No websites yet: add yours and your competitors&apos; on the Connections page.</Empty>
            </div>
          ) : (
            <div className="mt-3 grid gap-4 md:grid-cols-2">
              {[...(sites.data?.own ?? []), ...(sites.data?.competitors ?? [])].map((t) => (
                <SiteCard
                  key={t.id}
                  task={t}
                  canChange={canChange}
                  busy={busy[t.id] !== undefined}
                  onRetry={() => void run("retry", { id: t.id, type: "WEBSITE_ANALYSIS" })}
                />
              ))}
            </div>
          )}
        </section>
      ) : null}
    </div>
  );
}
