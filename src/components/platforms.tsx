"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { format, formatDistanceToNowStrict } from "date-fns";
import Link from "next/link";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { toast } from "sonner";
import { PLATFORM_NAMES } from "@/lib/validation/platform";
import { pollEvery } from "@/trpc/query-client";
import { useTRPC } from "@/trpc/react";
import { OutcomeChip, Spinner, StatusChip } from "./ui/chips";
import { useMe } from "./use-me";
import { useRunActions } from "./use-run-actions";

type PlatformKey = keyof typeof PLATFORM_NAMES;

const HEALTH_STYLE = { healthy: "bg-emerald-100 text-emerald-900", degraded: "bg-amber-100 text-amber-900", not_configured: "bg-slate-100 text-slate-800" } as const;

function ago(d: Date | null | undefined) {
  return d ? formatDistanceToNowStrict(d, { addSuffix: true }) : "never";
}

export function Platforms({ only }: { only?: PlatformKey }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { canChange } = useMe();
  const tokens = useQuery({ ...trpc.platform.oauthTokenStatus.queryOptions(), refetchInterval: pollEvery(15_000) });
  const insights = useQuery({ ...trpc.platform.insightsStatus.queryOptions(), refetchInterval: pollEvery(30_000) });
  const sites = useQuery({ ...trpc.platform.websiteAnalysisStatus.queryOptions(), refetchInterval: pollEvery(30_000) });
  const summary = useQuery({ ...trpc.platform.monitoringSummary.queryOptions(), refetchInterval: pollEvery(30_000) });
  const health = useQuery({ ...trpc.platform.health.queryOptions(), refetchInterval: pollEvery(30_000) });
  const refresh = useMutation(trpc.platform.refreshToken.mutationOptions());
  const { busy, run } = useRunActions();

  async function refreshToken(platform: PlatformKey) {
    try {
      const result = await refresh.mutateAsync({ platform });
      toast.info(`Checking the ${PLATFORM_NAMES[platform]} token…`);
      if (result.executionLogId) {
        // Follow the check, then show its outcome.
        for (let i = 0; i < 60; i++) {
          const log = await queryClient.fetchQuery({ ...trpc.monitoring.executionLog.queryOptions({ id: result.executionLogId }), staleTime: 0 });
          if (log.status !== "RUNNING") {
            const outcome = (log.result as { outcome?: string } | null)?.outcome ?? log.status.toLowerCase();
            if (log.status === "SUCCESS") toast.success(`${PLATFORM_NAMES[platform]} token: ${outcome.replace(/_/g, " ")}`);
            else toast.error(`${PLATFORM_NAMES[platform]} token: ${outcome.replace(/_/g, " ")}`, { description: log.errorMessage ?? undefined });
            break;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    } catch (error) {
      toast.error("The token check was refused", { description: (error as Error).message });
    } finally {
      void queryClient.invalidateQueries();
    }
  }

  const platforms = (tokens.data ?? []).filter((p) => !only || p.platform === only);

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{only ? PLATFORM_NAMES[only] : "Platform health"}</h1>
          {only ? (
            <Link href="/dashboard/platforms" className="text-sm text-indigo-700 underline">
              All platforms
            </Link>
          ) : null}
        </div>
        {health.data ? (
          <div className="text-right">
            <span className={`rounded px-2 py-1 text-sm font-medium ${HEALTH_STYLE[health.data.status]}`} data-testid="health-badge">
              {health.data.status.replace("_", " ")}
            </span>
            {health.data.reasons.length ? <p className="mt-1 max-w-md text-xs text-slate-600">{health.data.reasons.join("; ")}</p> : null}
          </div>
        ) : null}
      </div>

      {!only && summary.data ? (
        <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-5" aria-label="Monitoring summary">
          <div className="rounded border border-slate-200 bg-white p-3"><dt className="text-slate-500">Tasks</dt><dd className="text-lg font-semibold">{summary.data.totalTasks}</dd></div>
          <div className="rounded border border-slate-200 bg-white p-3"><dt className="text-slate-500">Active</dt><dd className="text-lg font-semibold">{summary.data.active}</dd></div>
          <div className="rounded border border-slate-200 bg-white p-3"><dt className="text-slate-500">Failing</dt><dd className="text-lg font-semibold">{summary.data.failed}</dd></div>
          <div className="rounded border border-slate-200 bg-white p-3"><dt className="text-slate-500">Health score</dt><dd className="text-lg font-semibold">{summary.data.healthScore}</dd></div>
          <div className="rounded border border-slate-200 bg-white p-3"><dt className="text-slate-500">Runs, 24 h</dt><dd className="text-lg font-semibold">{summary.data.last24h.runs}</dd></div>
        </dl>
      ) : null}

      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="text-lg font-semibold">Connections and tokens</h2>
        <ul className="mt-3 grid gap-3 md:grid-cols-2">
          {platforms.map((p) => (
            <li key={p.platform} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`token-${p.platform}`}>
              <div className="flex items-center justify-between">
                <Link href={`/dashboard/platforms/${p.platform.toLowerCase()}`} className="font-medium text-indigo-800 hover:underline">
                  {PLATFORM_NAMES[p.platform as PlatformKey]}
                </Link>
                <span className="text-xs text-slate-600">{p.connected ? (p.connection?.status ?? "").toLowerCase() : "not connected"}</span>
              </div>
              {p.lastCheck ? (
                <p className="mt-1 text-sm" data-testid={`token-outcome-${p.platform}`}>
                  Token {(p.lastCheck.outcome ?? p.lastCheck.status.toLowerCase()).replace(/_/g, " ")} · checked {ago(p.lastCheck.at)}
                </p>
              ) : (
                <p className="mt-1 text-sm text-slate-500">{p.connected ? "Not checked yet." : "Connect it on the Connections page."}</p>
              )}
              {p.lastCheck?.error ? <p className="mt-1 text-xs text-red-800">{p.lastCheck.error}</p> : null}
              {canChange && p.task ? (
                <button type="button" onClick={() => void refreshToken(p.platform as PlatformKey)} disabled={refresh.isPending} className="mt-3 inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-60">
                  {refresh.isPending && refresh.variables?.platform === p.platform ? <Spinner label="Checking" /> : null} Refresh token
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {!only || only === "GSC" || only === "BING" ? (
        <section aria-labelledby="insights-heading">
          <h2 id="insights-heading" className="text-lg font-semibold">Search insights</h2>
          {(insights.data ?? []).filter((t) => !only || t.platform === only).length === 0 ? <p className="mt-2 text-sm text-slate-600">No insights tasks: connect Search Console or Bing Webmaster.</p> : null}
          <div className="mt-3 grid gap-4 lg:grid-cols-2">
            {(insights.data ?? [])
              .filter((t) => !only || t.platform === only)
              .map((t) => {
                const s = t.latestSnapshot;
                const top = (Array.isArray(s?.topQueries) ? s.topQueries : []) as { key: string; clicks: number; impressions: number; position: number }[];
                return (
                  <article key={t.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`insights-${t.platform}`}>
                    <div className="flex items-center justify-between">
                      <h3 className="font-medium">{PLATFORM_NAMES[t.platform as PlatformKey]}</h3>
                      <StatusChip status={t.status} />
                    </div>
                    {s ? (
                      <>
                        <p className="text-xs text-slate-500">{s.siteUrl} · {format(s.startDate, "PP")} – {format(s.endDate, "PP")} · fetched {ago(s.fetchedAt)}</p>
                        <dl className="mt-3 grid grid-cols-4 gap-2 text-sm">
                          <div><dt className="text-slate-500">Clicks</dt><dd className="font-semibold tabular-nums">{s.clicks.toLocaleString("en")}</dd></div>
                          <div><dt className="text-slate-500">Impressions</dt><dd className="font-semibold tabular-nums">{s.impressions.toLocaleString("en")}</dd></div>
                          <div><dt className="text-slate-500">CTR</dt><dd className="font-semibold tabular-nums">{(s.ctr * 100).toFixed(1)}%</dd></div>
                          <div><dt className="text-slate-500">Position</dt><dd className="font-semibold tabular-nums">{s.position.toFixed(1)}</dd></div>
                        </dl>
                        {t.trend.length > 1 ? (
                          <div className="mt-3 h-32" role="img" aria-label={`Clicks across the last ${t.trend.length} snapshots`}>
                            <ResponsiveContainer width="100%" height="100%">
                              <LineChart data={t.trend.map((x) => ({ at: format(x.fetchedAt, "MMM d HH:mm"), clicks: x.clicks }))}>
                                <CartesianGrid strokeDasharray="3 3" />
                                <XAxis dataKey="at" hide />
                                <YAxis width={40} />
                                <Tooltip />
                                <Line type="monotone" dataKey="clicks" stroke="#4f46e5" dot={false} />
                              </LineChart>
                            </ResponsiveContainer>
                          </div>
                        ) : null}
                        {top.length ? (
                          <table className="mt-3 w-full text-xs">
                            <caption className="text-left text-slate-500">Top queries</caption>
                            <thead><tr><th scope="col" className="text-left font-medium">Query</th><th scope="col" className="text-right font-medium">Clicks</th><th scope="col" className="text-right font-medium">Position</th></tr></thead>
                            <tbody>
                              {top.slice(0, 5).map((q) => (
                                <tr key={q.key} className="border-t border-slate-100"><td className="py-0.5">{q.key}</td><td className="text-right tabular-nums">{q.clicks}</td><td className="text-right tabular-nums">{q.position.toFixed(1)}</td></tr>
                              ))}
                            </tbody>
                          </table>
                        ) : null}
                      </>
                    ) : (
                      <p className="mt-2 text-sm text-slate-600">No snapshot yet{t.lastOutcome ? `: the last run ${t.lastOutcome.toLowerCase()}` : ""}.</p>
                    )}
                  </article>
                );
              })}
          </div>
        </section>
      ) : null}

      {!only ? (
        <section aria-labelledby="sites-heading">
          <h2 id="sites-heading" className="text-lg font-semibold">Website analysis</h2>
          <div className="mt-3 grid gap-4 md:grid-cols-2">
            {[...(sites.data?.own ?? []), ...(sites.data?.competitors ?? [])].map((t) => {
              const a = t.latestAnalysis;
              const details = (a?.details ?? {}) as { scoreReasons?: string[]; change?: { seoScore: number } | null };
              return (
                <article key={t.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="site-card">
                  <div className="flex items-start justify-between gap-2">
                    <div>
                      <h3 className="break-all font-medium">{t.websiteUrl}</h3>
                      <p className="text-xs text-slate-500">{t.websiteRole === "COMPETITOR" ? "Competitor" : "Your site"} · analysed {ago(a?.analyzedAt)}</p>
                    </div>
                    <OutcomeChip outcome={t.lastOutcome} />
                  </div>
                  {a && !a.error ? (
                    <p className="mt-2 text-3xl font-semibold tabular-nums">
                      {a.seoScore}
                      <span className="text-sm font-normal text-slate-500">/100</span>
                      {details.change ? <span className={`ml-2 text-sm ${details.change.seoScore >= 0 ? "text-emerald-700" : "text-red-700"}`}>{details.change.seoScore >= 0 ? "+" : ""}{details.change.seoScore} since last run</span> : null}
                    </p>
                  ) : (
                    <p className="mt-2 text-sm text-red-800">{a?.error ?? t.failureReason ?? "Not analysed yet."}</p>
                  )}
                  {details.scoreReasons?.length ? (
                    <ul className="mt-2 list-disc pl-5 text-xs text-slate-700">
                      {details.scoreReasons.slice(0, 4).map((r) => <li key={r}>{r}</li>)}
                    </ul>
                  ) : null}
                  {canChange && (t.lastOutcome === "FAILED" || t.lastOutcome === "TIMED_OUT" || t.status === "NEEDS_INTERVENTION") ? (
                    <button type="button" onClick={() => void run("retry", { id: t.id, type: "WEBSITE_ANALYSIS" })} disabled={busy[t.id] !== undefined} className="mt-3 inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
                      {busy[t.id] ? <Spinner label="Retrying" /> : null} Retry
                    </button>
                  ) : null}
                </article>
              );
            })}
          </div>
        </section>
      ) : null}
    </div>
  );
}
