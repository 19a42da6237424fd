"use client";

import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { formatSpanExact } from "@/lib/format";
import { graceMinutesOf } from "@/lib/overdue";
import { setGraceInput } from "@/lib/validation/tasks";
import { api } from "@/trpc/react";

/**
 * How late a task's run may start before the task counts as late (and missed once its next due time
 * passes too). Shown to everyone; changed by those who may change things. The form checks with the same
 * schema as `tasks.setGrace`.
 */
export function GraceSetting({
  task,
  canChange,
}: {
  task: { id: string; frequencyMinutes: number; graceMinutes: number | null };
  canChange: boolean;
}) {
  const utils = api.useUtils();
  const [value, setValue] = useState(String(task.graceMinutes ?? ""));
  const [problem, setProblem] = useState<string | null>(null);
  const save = api.tasks.setGrace.useMutation({
    meta: { errorShown: true },
    onError: (error) => setProblem(error.message),
    onSuccess: (result) => {
      setProblem(null);
      toast.success(result.changed ? "Grace saved" : "Nothing changed");
      void utils.tasks.history.invalidate();
      void utils.tasks.overdue.invalidate();
    },
  });
  const current = graceMinutesOf(task);

  function submit(graceMinutes: number | null) {
    const parsed = setGraceInput.safeParse({ taskId: task.id, graceMinutes });
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? "Check the value");
    save.mutate(parsed.data);
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit(value.trim() === "" ? null : Number(value));
  }

  return (
    <section aria-labelledby="grace-heading" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 id="grace-heading" className="font-medium">
        Late after
      </h2>
      <p className="mt-1 text-slate-600" data-testid="grace-summary">
        A run that has not started {formatSpanExact(current * 60_000)} after it was due makes this task late; once the
        next one is due too, it missed a run.{" "}
        {task.graceMinutes === null
          ? "This is the default: a tenth of its interval, at least 5 minutes."
          : "Set for this task."}
      </p>
      {canChange ? (
        <form onSubmit={onSubmit} className="mt-3 flex flex-wrap items-end gap-2" noValidate>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-slate-600">Grace in minutes (empty: the default)</span>
            <input
              name="graceMinutes"
              inputMode="numeric"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              aria-invalid={problem !== null}
              aria-describedby={problem ? "grace-problem" : undefined}
              className="w-40 rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
          <button
            type="submit"
            disabled={save.isPending}
            className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50"
          >
            Save
          </button>
          {task.graceMinutes !== null ? (
            <button
              type="button"
              disabled={save.isPending}
              onClick={() => {
                setValue("");
                submit(null);
              }}
              className="rounded-md px-3 py-1.5 text-indigo-700 underline"
            >
              Use the default
            </button>
          ) : null}
          {problem ? (
            <p id="grace-problem" role="alert" className="w-full text-red-800">
              {problem}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
