"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDistanceToNow } from "date-fns";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { CATEGORY_LABELS, TYPE_LABELS } from "@/lib/labels";
import { pollEvery } from "@/trpc/query-client";
import { useTRPC } from "@/trpc/react";
import { Spinner, StatusChip } from "./ui/chips";
import { useMe } from "./use-me";
import { useRunActions } from "./use-run-actions";

interface Pattern {
  consecutive?: number;
  recent?: number;
  windowDays?: number;
  errorPatterns?: { pattern: string; category: string; count: number }[];
}

export function Intervention() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { canChange } = useMe();
  const tasks = useQuery({ ...trpc.tasks.needingIntervention.queryOptions(), refetchInterval: pollEvery(10_000) });
  const summary = useQuery({ ...trpc.tasks.interventionSummary.queryOptions(), refetchInterval: pollEvery(30_000) });
  const { busy, run } = useRunActions();
  const bulk = useMutation(trpc.tasks.bulkTrigger.mutationOptions());
  const [confirmAll, setConfirmAll] = useState<number | null>(null);

  async function previewAll() {
    const preview = await bulk.mutateAsync({ filter: { status: "NEEDS_INTERVENTION" }, confirm: false });
    setConfirmAll(preview.matched);
  }
  async function triggerAll() {
    const result = await bulk.mutateAsync({ filter: { status: "NEEDS_INTERVENTION" }, confirm: true });
    setConfirmAll(null);
    toast.success(`Triggered ${result.queued} task${result.queued === 1 ? "" : "s"}`, { description: result.skipped ? `${result.skipped} skipped (running or paused)` : undefined });
    void queryClient.invalidateQueries();
  }

  if (tasks.isPending) return <p aria-busy="true" className="text-sm text-slate-500">Loading tasks that need attention…</p>;
  if (tasks.isError)
    return (
      <div role="alert" className="rounded-md bg-red-50 p-4 text-red-800">
        {tasks.error.message}{" "}
        <button type="button" className="underline" onClick={() => void tasks.refetch()}>
          Try again
        </button>
      </div>
    );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Intervention</h1>
          <p className="text-sm text-slate-600">
            {summary.data
              ? `${summary.data.total} task${summary.data.total === 1 ? "" : "s"} need attention${summary.data.critical ? `, ${summary.data.critical} critical (5+ failures in a row)` : ""}.`
              : "Tasks that failed repeatedly and are cooling off, or stopped."}
          </p>
        </div>
        {canChange && tasks.data.some((t) => t.status === "NEEDS_INTERVENTION") ? (
          confirmAll === null ? (
            <button type="button" onClick={() => void previewAll()} disabled={bulk.isPending} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
              Trigger all…
            </button>
          ) : (
            <div role="alertdialog" aria-label="Confirm trigger all" className="flex items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm">
              <span>Run {confirmAll} cooled-off task{confirmAll === 1 ? "" : "s"} now?</span>
              <button type="button" onClick={() => void triggerAll()} disabled={bulk.isPending} className="rounded bg-amber-600 px-2 py-1 text-white hover:bg-amber-700">
                Run {confirmAll}
              </button>
              <button type="button" onClick={() => setConfirmAll(null)} className="rounded border border-amber-300 px-2 py-1">
                Cancel
              </button>
            </div>
          )
        ) : null}
      </div>

      {tasks.data.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">Nothing needs your attention: every task is running normally.</p>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {tasks.data.map((task) => {
            const pattern = (task.failurePattern ?? {}) as Pattern;
            const action = busy[task.id];
            return (
              <li key={task.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="intervention-card">
                <div className="flex items-start justify-between gap-2">
                  <div>
                    <h2 className="font-medium">{TYPE_LABELS[task.type] ?? task.type}</h2>
                    <p className="break-all text-sm text-slate-600">{task.target}</p>
                  </div>
                  <div className="flex flex-col items-end gap-1">
                    <StatusChip status={task.status} />
                    {task.failureCategory ? <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-800">{CATEGORY_LABELS[task.failureCategory]}</span> : null}
                  </div>
                </div>
                <p className="mt-2 text-sm text-red-800">{task.failureReason ?? "No error recorded"}</p>
                <p className="mt-2 text-sm">
                  {task.failureCategory === "AUTH_ERROR" ? (
                    <Link href="/dashboard/connections" className="text-indigo-700 underline">
                      {task.suggestedAction}
                    </Link>
                  ) : (
                    task.suggestedAction
                  )}
                </p>
                <dl className="mt-3 grid grid-cols-3 gap-2 text-xs text-slate-600">
                  <div>
                    <dt>In a row</dt>
                    <dd className="text-base font-semibold text-slate-900">{pattern.consecutive ?? task.consecutiveFailures}</dd>
                  </div>
                  <div>
                    <dt>Last {pattern.windowDays ?? 7} days</dt>
                    <dd className="text-base font-semibold text-slate-900">{pattern.recent ?? "—"}</dd>
                  </div>
                  <div>
                    <dt>Cool-off ends</dt>
                    <dd className="text-sm text-slate-900">{task.coolOffUntil ? formatDistanceToNow(task.coolOffUntil, { addSuffix: true }) : "—"}</dd>
                  </div>
                </dl>
                {pattern.errorPatterns?.length ? (
                  <ul className="mt-2 space-y-0.5 text-xs text-slate-600" aria-label="Error patterns">
                    {pattern.errorPatterns.map((p) => (
                      <li key={p.pattern}>
                        <code>{p.pattern}</code> × {p.count}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {canChange ? (
                  <div className="mt-4 flex gap-2">
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
