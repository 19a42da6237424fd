"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { CATEGORY_LABELS, TYPE_LABELS } from "@/lib/labels";
import { attentionSentence, CONNECTION_STATES, plural, type ConnectionStatusName } from "@/lib/states";
import { PLATFORM_NAMES } from "@/lib/platforms";
import { pollEvery } from "@/trpc/query-client";
import { api } from "@/trpc/react";
import { OverdueRuns } from "./overdue-runs";
import { ReadOnlyNote } from "./read-only-note";
import { ReconnectLink } from "./reconnect-link";
import { Spinner, StatusChip } from "./ui/chips";
import { ErrorState, Loading } from "./ui/query-state";
import { Time } from "./ui/time";
import { useMe } from "./use-me";
import { useRunActions } from "./use-run-actions";

type PlatformKey = keyof typeof PLATFORM_NAMES;

export function Intervention() {
  const queryClient = useQueryClient();
  const { canChange } = useMe();
  const attention = api.tasks.attention.useQuery(undefined, { refetchInterval: pollEvery(10_000) });
  const { busy, run } = useRunActions();
  const bulk = api.tasks.bulkTrigger.useMutation({
    meta: { errorShown: true },
    onError: (e) => toast.error("Trigger all was refused", { description: e.message }),
  });
  const [confirmAll, setConfirmAll] = useState<number | null>(null);
  // After the confirmation closes, the focus goes back to the button that opened it.
  const [asked, setAsked] = useState(false);
  const closeConfirm = () => {
    setConfirmAll(null);
    setAsked(true);
  };

  function previewAll() {
    bulk.mutate(
      { filter: { status: "NEEDS_INTERVENTION" }, confirm: false },
      { onSuccess: (preview) => setConfirmAll(preview.matched) },
    );
  }
  function triggerAll() {
    bulk.mutate(
      { filter: { status: "NEEDS_INTERVENTION" }, confirm: true },
      {
        onSuccess: (result) => {
          closeConfirm();
          toast.success(`Triggered ${plural(result.queued, "task")}`, {
            description: result.skipped ? `${result.skipped} skipped (running or paused)` : undefined,
          });
          void queryClient.invalidateQueries();
        },
      },
    );
  }

  if (attention.isPending) return <Loading what="what needs your attention" />;
  if (attention.isError)
    return <ErrorState message={attention.error.message} onRetry={() => void attention.refetch()} />;
  const { connections, tasks } = attention.data;
  const cooledOff = tasks.filter((t) => t.status === "NEEDS_INTERVENTION").length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Intervention</h1>
          <p className="text-sm text-slate-600" data-testid="attention-summary">
            {attentionSentence({ total: attention.data.count, connections: connections.length, tasks: tasks.length })}
          </p>
          {tasks.length && canChange ? (
            <p className="mt-1 text-xs text-slate-500">
              <strong>Manual trigger</strong> runs the task now and clears its failure count; <strong>Retry</strong>{" "}
              runs it now as a probe and keeps the count, so another failure extends the cool-off.
            </p>
          ) : null}
          {attention.data.count > 0 ? <ReadOnlyNote cannot="trigger, retry or reconnect anything here" /> : null}
        </div>
        {canChange && cooledOff > 0 ? (
          confirmAll === null ? (
            <button
              type="button"
              autoFocus={asked}
              onClick={previewAll}
              disabled={bulk.isPending}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
            >
              Trigger all…
            </button>
          ) : (
            <div
              role="alertdialog"
              aria-label="Confirm trigger all"
              onKeyDown={(e) => e.key === "Escape" && closeConfirm()}
              className="flex items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm"
            >
              <span>Run {plural(confirmAll, "cooled-off task")} now?</span>
              <button
                type="button"
                autoFocus
                onClick={triggerAll}
                disabled={bulk.isPending}
                className="rounded bg-amber-700 px-2 py-1 text-white hover:bg-amber-800"
              >
                Run {confirmAll}
              </button>
              <button type="button" onClick={closeConfirm} className="rounded border border-amber-300 px-2 py-1">
                Cancel
              </button>
            </div>
          )
        ) : null}
      </div>

      <OverdueRuns />

      {attention.data.count === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
          Connections that need you to sign in again, and tasks that fail again and again, show up here with what to do.
        </p>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {connections.map((c) => {
            const state = CONNECTION_STATES[c.status as ConnectionStatusName];
            return (
              <li
                key={c.id}
                className="rounded-lg border border-red-200 bg-white p-4 shadow-sm"
                data-testid="reconnect-card"
              >
                <div className="flex items-start justify-between gap-2">
                  <div>
                    <h2 className="font-medium">Reconnect {PLATFORM_NAMES[c.platform as PlatformKey]}</h2>
                    {c.ownerEmail ? <p className="text-xs text-slate-500">{c.ownerEmail}</p> : null}
                  </div>
                  <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-900">
                    {state.label}
                  </span>
                </div>
                <p className="mt-2 text-sm">{state.detail}</p>
                {c.reason ? <p className="mt-1 text-sm text-red-800">{c.reason}</p> : null}
                <p className="mt-2 text-xs text-slate-600">
                  Last checked <Time value={c.lastCheckedAt} relative fallback="never" />
                  {c.tasks.length ? ` · holds up: ${c.tasks.map((t) => TYPE_LABELS[t.type] ?? t.type).join(", ")}` : ""}
                </p>
                {canChange && c.canReconnect ? (
                  <div className="mt-4">
                    <ReconnectLink platform={c.platform as PlatformKey} />
                  </div>
                ) : c.ownerEmail ? (
                  <p className="mt-3 text-xs text-slate-600">Only its owner can reconnect it.</p>
                ) : null}
              </li>
            );
          })}
          {tasks.map((task) => {
            const action = busy[task.id];
            return (
              <li
                key={task.id}
                className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
                data-testid="intervention-card"
              >
                <div className="flex items-start justify-between gap-2">
                  <div>
                    <h2 className="font-medium">
                      <Link href={`/dashboard/jobs/${task.id}`} className="hover:underline">
                        {TYPE_LABELS[task.type] ?? task.type}
                      </Link>
                    </h2>
                    <p className="break-all text-sm text-slate-600">
                      {task.websiteUrl ?? PLATFORM_NAMES[task.platform as PlatformKey] ?? task.target}
                    </p>
                    {task.ownerEmail ? <p className="text-xs text-slate-500">{task.ownerEmail}</p> : null}
                  </div>
                  <div className="flex flex-col items-end gap-1">
                    <StatusChip status={task.status} />
                    {task.failureCategory ? (
                      <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-800">
                        {CATEGORY_LABELS[task.failureCategory]}
                      </span>
                    ) : null}
                  </div>
                </div>
                <p className="mt-2 text-sm font-medium text-red-800">{task.failureInWords ?? "No error recorded"}</p>
                {task.failureReason && task.failureReason !== task.failureInWords ? (
                  <p className="text-xs text-slate-600">{task.failureReason}</p>
                ) : null}
                <p className="mt-2 text-sm">{task.suggestedAction}</p>
                <dl className="mt-3 grid grid-cols-3 gap-2 text-xs text-slate-600">
                  <div title="A due time counts once, however many retries it took">
                    <dt>Failures in a row</dt>
                    <dd className="text-base font-semibold text-slate-900">{task.inARow}</dd>
                  </div>
                  <div title="A due time counts once, however many retries it took">
                    <dt>Failures, last {task.windowDays} days</dt>
                    <dd className="text-base font-semibold text-slate-900">{task.recent ?? "—"}</dd>
                  </div>
                  <div>
                    <dt>{task.status === "NEEDS_INTERVENTION" ? "Cool-off ends" : "Next run"}</dt>
                    <dd className="text-sm text-slate-900">
                      <Time
                        value={task.status === "NEEDS_INTERVENTION" ? task.coolOffUntil : task.nextRunAt}
                        relative
                        fallback="not scheduled"
                      />
                    </dd>
                  </div>
                </dl>
                {task.fingerprints.length ? (
                  <ul className="mt-2 space-y-0.5 text-xs text-slate-600" aria-label="What went wrong lately">
                    {task.fingerprints.map((f) => (
                      <li key={f.words} title={f.example ?? undefined}>
                        {f.words} × {f.count}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {canChange ? (
                  <div className="mt-4 flex flex-wrap gap-2">
                    {task.failureCategory === "AUTH_ERROR" && task.platform && !task.ownerEmail ? (
                      <ReconnectLink platform={task.platform as PlatformKey} />
                    ) : null}
                    <button
                      type="button"
                      onClick={() => void run("trigger", task)}
                      disabled={action !== undefined}
                      className="inline-flex items-center gap-1.5 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
                    >
                      {action === "trigger" ? <Spinner label="Running" /> : null} Manual trigger
                    </button>
                    <button
                      type="button"
                      onClick={() => void run("retry", task)}
                      disabled={action !== undefined}
                      className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-60"
                    >
                      {action === "retry" ? <Spinner label="Retrying" /> : null} Retry
                    </button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
