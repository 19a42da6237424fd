"use client";

import { api } from "@/trpc/react";
import { Time, useNow } from "./ui/time";

const CHOICES = [
  { label: "1 hour", ms: 3_600_000 },
  { label: "1 day", ms: 86_400_000 },
  { label: "1 week", ms: 7 * 86_400_000 },
];

/** Quiets every alert about one task until a time (they still show in the inbox; nothing is sent), or wakes them. */
export function TaskAlertsSnooze({
  task,
  canChange,
}: {
  task: { id: string; alertsSnoozedUntil: Date | null };
  canChange: boolean;
}) {
  const utils = api.useUtils();
  const now = useNow();
  const snooze = api.alerts.snooze.useMutation({
    onSuccess: () => utils.tasks.history.invalidate(),
    meta: { errorShown: true },
  });
  const until = task.alertsSnoozedUntil && task.alertsSnoozedUntil > now ? task.alertsSnoozedUntil : null;
  return (
    <section aria-labelledby="task-alerts-heading" className="flex flex-wrap items-center gap-2 text-sm">
      <h2 id="task-alerts-heading" className="font-medium">
        Alerts about this task
      </h2>
      {until ? (
        <span data-testid="task-snoozed">
          snoozed until <Time value={until} />: shown in your inbox, not sent
        </span>
      ) : (
        <span className="text-slate-600">sent as your alert rules say</span>
      )}
      {!canChange ? null : until ? (
        <button
          type="button"
          className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
          onClick={() => snooze.mutate({ taskId: task.id, until: null })}
        >
          Wake
        </button>
      ) : (
        <select
          aria-label="Snooze alerts about this task"
          value=""
          onChange={(e) =>
            e.target.value && snooze.mutate({ taskId: task.id, until: new Date(Date.now() + Number(e.target.value)) })
          }
          className="rounded border border-slate-300 px-1.5 py-1 text-xs"
        >
          <option value="">Snooze…</option>
          {CHOICES.map((c) => (
            <option key={c.ms} value={c.ms}>
              {c.label}
            </option>
          ))}
        </select>
      )}
      {snooze.error ? (
        <p role="alert" className="w-full text-xs text-red-700">
          {snooze.error.message}
        </p>
      ) : null}
    </section>
  );
}
