"use client";

import Link from "next/link";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AUDIT_LABELS, CATEGORY_LABELS, formatDuration, shortDuration, TYPE_LABELS } from "@/lib/labels";
import { failureInWords, targetName } from "@/lib/states";
import { pollEvery } from "@/trpc/query-client";
import { api } from "@/trpc/react";
import { OutcomeChip, Spinner, StatusChip } from "./ui/chips";
import { GraceSetting } from "./grace-setting";
import { ScheduleSetting } from "./schedule-setting";
import { LatenessChip } from "./lateness-chip";
import { TaskAlertsSnooze } from "./task-alerts-snooze";
import { ErrorState, Loading } from "./ui/query-state";
import { Time } from "./ui/time";
import { useMe } from "./use-me";
import { useRunActions } from "./use-run-actions";
import { useSetPaused } from "./use-set-paused";

/** A schedule change's side ("from", "to") in words, as the service wrote it in the audit entry. */
function readingOf(details: unknown, side: "from" | "to"): string {
  const entry = details && typeof details === "object" ? (details as Record<string, unknown>)[side] : null;
  const reading = entry && typeof entry === "object" ? (entry as Record<string, unknown>).reading : null;
  return typeof reading === "string" ? reading : "?";
}

export function TaskDetail({ taskId }: { taskId: string }) {
  const { canChange } = useMe();
  const history = api.tasks.history.useQuery(
    { taskId, limit: 50 },
    { refetchInterval: pollEvery(10_000, (d) => d.items.some((run) => run.status === "RUNNING")) },
  );
  const { busy, run } = useRunActions();
  const setPaused = useSetPaused();
  if (history.isPending) return <Loading what="the task" />;
  if (history.isError) {
    // Only NOT_FOUND means there is no such task of yours; anything else (a rate limit, an outage) is a load that failed.
    const missing = history.error.data?.code === "NOT_FOUND";
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{missing ? "Task not found" : "The task could not be loaded"}</h1>
        <ErrorState
          message={missing ? "This task does not exist, or it is not yours." : history.error.message}
          onRetry={missing ? undefined : () => void history.refetch()}
        />
        <Link href="/dashboard/jobs" className="text-sm text-indigo-700 underline">
          Back to jobs
        </Link>
      </div>
    );
  }
  const { task, items, successRate, durationTrend, audit } = history.data;
  const pattern = (task.failurePattern ?? null) as {
    consecutive?: number;
    recent?: number;
    errorPatterns?: { pattern: string; category: string; count: number; example?: string }[];
  } | null;
  const ended = task.status === "ENDED";
  const paused = task.status === "PAUSED";
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Link href="/dashboard/jobs" className="text-sm text-indigo-700 underline">
            Jobs
          </Link>
          <h1 className="text-2xl font-semibold">{TYPE_LABELS[task.type]}</h1>
          <p className="break-all text-sm text-slate-600">{task.websiteUrl ?? targetName(task.platform)}</p>
        </div>
        <div className="flex items-center gap-2">
          <StatusChip status={task.status} />
          {canChange && !ended ? (
            <>
              <button
                type="button"
                onClick={() => setPaused.mutate({ taskId: task.id, paused: !paused })}
                className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
              >
                {paused ? "Resume" : "Pause"}
              </button>
              <button
                type="button"
                onClick={() => void run("trigger", task)}
                disabled={busy[task.id] !== undefined || paused}
                className="inline-flex items-center gap-1.5 rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white disabled:opacity-60"
              >
                {busy[task.id] ? <Spinner label="Running" /> : null} Run now
              </button>
            </>
          ) : null}
        </div>
      </div>
      {ended ? (
        <p className="rounded-lg border border-slate-200 bg-slate-100 p-4 text-sm" data-testid="ended-banner">
          This task ended <Time value={task.endedAt} relative />: {task.endedReason ?? "its purpose is gone"}. It no
          longer runs; its history stays below. Adding the website or connecting the platform again restarts it.
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-4">
        <div className="rounded border border-slate-200 bg-white p-3">
          <dt className="text-slate-500">Success rate (30 d)</dt>
          <dd className="text-lg font-semibold" data-testid="task-success-rate">
            {successRate === null ? "—" : `${(successRate * 100).toFixed(1)}%`}
          </dd>
        </div>
        <div className="rounded border border-slate-200 bg-white p-3">
          <dt className="text-slate-500">Runs</dt>
          <dd className="text-lg font-semibold">{task.runCount}</dd>
        </div>
        <div className="rounded border border-slate-200 bg-white p-3">
          <dt className="text-slate-500">Next run</dt>
          <dd>
            {ended ? (
              "never (ended)"
            ) : paused ? (
              "paused: resume it to run"
            ) : (
              <>
                <Time value={task.nextRunAt} relative fallback="not scheduled" />
                <LatenessChip task={task} />
              </>
            )}
          </dd>
        </div>
        <div className="rounded border border-slate-200 bg-white p-3">
          <dt className="text-slate-500">Last run</dt>
          <dd>
            <OutcomeChip outcome={task.lastOutcome} />{" "}
            {task.lastRunAt ? <Time value={task.lastRunAt} relative className="text-xs text-slate-500" /> : null}
          </dd>
        </div>
      </dl>
      {ended ? null : (
        <ScheduleSetting
          key={`${task.frequencyMinutes}|${task.cronExpression}|${task.cronTimeZone}`}
          task={task}
          canChange={canChange}
        />
      )}
      {ended ? null : <GraceSetting task={task} canChange={canChange} />}
      {ended ? null : <TaskAlertsSnooze task={task} canChange={canChange} />}
      {task.failureReason ? (
        <section className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm">
          <h2 className="font-medium">Failure pattern</h2>
          <p className="mt-1">
            <strong>{failureInWords(task.failureCategory, task.failureReason)}</strong>
            {task.failureCategory ? ` (${CATEGORY_LABELS[task.failureCategory]})` : ""}: {task.failureReason}
          </p>
          <p className="mt-1 text-slate-700">
            {pattern?.consecutive ?? task.consecutiveFailures} in a row
            {pattern?.recent !== undefined ? ` · ${pattern.recent} in the last 7 days` : ""}
            {task.coolOffUntil ? (
              <>
                {" "}
                · cooled off until <Time value={task.coolOffUntil} />
              </>
            ) : null}
          </p>
          {pattern?.errorPatterns?.length ? (
            <ul className="mt-1 text-xs" aria-label="What went wrong lately">
              {pattern.errorPatterns.map((p) => (
                <li key={p.pattern} title={p.example}>
                  {failureInWords(p.category, p.example ?? p.pattern)} × {p.count}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      {durationTrend.length > 1 ? (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">Average duration per day (UTC days)</h2>
          <div className="h-48" role="img" aria-label="Average run duration per day over the last 30 days">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart accessibilityLayer={false} data={durationTrend}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} />
                <YAxis fontSize={12} width={56} tickFormatter={shortDuration} />
                <Tooltip formatter={(value) => formatDuration(Number(value))} />
                <Line dataKey="avgDurationMs" name="Average" stroke="#4f46e5" dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </section>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <section className="lg:col-span-2">
          <h2 className="font-medium">Run history</h2>
          <div className="relative overflow-x-auto">
            <table className="mt-2 w-full text-left text-sm">
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-1 font-medium">
                    Started
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Outcome
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Trigger
                  </th>
                  <th scope="col" className="py-1 text-right font-medium">
                    Duration
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((r) => (
                  <tr key={r.id} data-testid="history-row">
                    <td className="whitespace-nowrap py-1">
                      <Link href={`/dashboard/logs?taskId=${task.id}&run=${r.id}`} className="hover:underline">
                        <Time value={r.startedAt} />
                      </Link>
                    </td>
                    <td className="py-1">
                      <OutcomeChip outcome={r.status} />
                    </td>
                    <td className="py-1 text-xs">
                      {r.trigger.toLowerCase()}
                      {r.attempt > 1 ? ` · attempt ${r.attempt}` : ""}
                    </td>
                    <td className="py-1 text-right tabular-nums">{formatDuration(r.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Link
            href={`/dashboard/logs?taskId=${task.id}`}
            className="mt-2 inline-block text-sm text-indigo-700 underline"
          >
            All its logs
          </Link>
        </section>
        <section>
          <h2 className="font-medium">Audit trail</h2>
          {audit.length === 0 ? (
            <p className="mt-2 text-sm text-slate-500">Nobody has acted on this task by hand.</p>
          ) : null}
          <ol className="mt-2 space-y-1 text-sm" data-testid="audit-trail">
            {audit.map((a) => (
              <li key={a.id}>
                <span className="font-medium">{AUDIT_LABELS[a.action] ?? a.action}</span>
                {a.action === "SET_SCHEDULE"
                  ? `: ${readingOf(a.details, "from")} → ${readingOf(a.details, "to")}`
                  : ""}{" "}
                by {a.actor} <Time value={a.createdAt} className="text-slate-500" />
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
