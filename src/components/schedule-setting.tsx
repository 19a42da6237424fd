"use client";

import { useMemo, useState, useSyncExternalStore, type FormEvent } from "react";
import { toast } from "sonner";
import type { TaskType } from "@/generated/sqlite/enums";
import { formatDateTime } from "@/lib/format";
import {
  describeSchedule,
  INTERVAL_PRESETS,
  intervalInWords,
  runsAfterChange,
  SCHEDULE_LIMITS,
  scheduleEditable,
  scheduleOf,
  scheduleProblem,
  type Schedule,
  type ScheduleColumns,
} from "@/lib/schedule";
import { updateScheduleInput } from "@/lib/validation/tasks";
import { api } from "@/trpc/react";
import { useNow, useZone } from "./ui/time";

const CUSTOM = "custom";
const PREVIEW_RUNS = 5;

const NO_ZONES: string[] = [];
let browserZones: string[] | undefined;
const noSubscription = () => () => {};
/** The zones the browser knows, for the time zone field's suggestions (none on the server: its list may differ). */
function useTimeZones(): string[] {
  return useSyncExternalStore(
    noSubscription,
    () =>
      (browserZones ??= typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : NO_ZONES),
    () => NO_ZONES,
  );
}

/** What the form holds: text, as typed, until it is read as a schedule. */
interface Draft {
  kind: Schedule["kind"];
  preset: string;
  minutes: string;
  expression: string;
  timeZone: string;
}

function draftOf(schedule: Schedule, zone: string): Draft {
  if (schedule.kind === "cron")
    return { kind: "cron", preset: "1440", minutes: "", expression: schedule.expression, timeZone: schedule.timeZone };
  const preset = (INTERVAL_PRESETS as readonly number[]).includes(schedule.minutes) ? String(schedule.minutes) : CUSTOM;
  return {
    kind: "interval",
    preset,
    minutes: preset === CUSTOM ? String(schedule.minutes) : "",
    expression: "0 6 * * *",
    timeZone: zone,
  };
}

/** The draft as the procedure's input (the same schema), then the kind's limits: a schedule, or what is wrong. */
function readDraft(
  taskId: string,
  type: TaskType,
  draft: Draft,
  now: Date,
): { ok: true; schedule: Schedule } | { ok: false; message: string } {
  const schedule =
    draft.kind === "interval"
      ? {
          kind: "interval" as const,
          minutes:
            draft.preset === CUSTOM
              ? draft.minutes.trim() === ""
                ? Number.NaN
                : Number(draft.minutes)
              : Number(draft.preset),
        }
      : { kind: "cron" as const, expression: draft.expression, timeZone: draft.timeZone };
  const parsed = updateScheduleInput.safeParse({ taskId, schedule });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Check the schedule" };
  const problem = scheduleProblem(type, parsed.data.schedule, now);
  return problem ? { ok: false, message: problem } : { ok: true, schedule: parsed.data.schedule };
}

/**
 * When the task runs: its schedule in words for everyone; for those who may change things, a form for
 * an interval (presets or minutes) or a cron expression in a time zone, which reads the draft back in
 * words with its next five runs before it is saved. The form checks with `tasks.updateSchedule`'s own
 * schema and the kind's limits (`src/lib/schedule.ts`); the server checks both again.
 */
export function ScheduleSetting({
  task,
  canChange,
}: {
  task: { id: string; type: TaskType; lastRunAt: Date | null; nextRunAt: Date | null } & ScheduleColumns;
  canChange: boolean;
}) {
  const utils = api.useUtils();
  const zone = useZone();
  const now = useNow();
  const zones = useTimeZones();
  const current = scheduleOf(task);
  const [draft, setDraft] = useState<Draft>(() => draftOf(current, zone));
  const [serverProblem, setServerProblem] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const save = api.tasks.updateSchedule.useMutation({
    meta: { errorShown: true },
    onError: (error) => setServerProblem(error.message),
    onSuccess: (result) => {
      setServerProblem(null);
      setTried(false);
      toast.success(result.changed ? "Schedule saved" : "Nothing changed");
      void utils.tasks.history.invalidate();
      void utils.dashboard.jobs.invalidate();
      void utils.tasks.list.invalidate();
    },
  });
  // The preview follows the draft; "now" moves every 15 s, which is as fine as a minute-based schedule needs.
  const minute = Math.floor(now.getTime() / 60_000);
  const reading = useMemo(() => readDraft(task.id, task.type, draft, new Date(minute * 60_000)), [task, draft, minute]);
  const upcoming = reading.ok ? runsAfterChange(reading.schedule, task, new Date(minute * 60_000), PREVIEW_RUNS) : [];
  const shownZone = reading.ok && reading.schedule.kind === "cron" ? reading.schedule.timeZone : zone;
  const limit = SCHEDULE_LIMITS[task.type];
  const editable = canChange && scheduleEditable(task.type);
  const problem = serverProblem ?? (tried && !reading.ok ? reading.message : null);

  function change(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setServerProblem(null);
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (reading.ok) save.mutate({ taskId: task.id, schedule: reading.schedule });
  }

  return (
    <section aria-labelledby="schedule-heading" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 id="schedule-heading" className="font-medium">
        Schedule
      </h2>
      <p className="mt-1 text-slate-700" data-testid="schedule-summary">
        Runs {describeSchedule(current).replace(/^At /, "at ")}.
        {limit ? ` At most ${intervalInWords(limit.minMinutes)}: ${limit.reason}.` : ""}
      </p>
      {editable ? (
        <form onSubmit={onSubmit} className="mt-3 space-y-3" noValidate aria-label="Change the schedule">
          <fieldset className="flex flex-wrap gap-4">
            <legend className="sr-only">Kind of schedule</legend>
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="kind"
                value="interval"
                checked={draft.kind === "interval"}
                onChange={() => change({ kind: "interval" })}
              />
              Every so often
            </label>
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="kind"
                value="cron"
                checked={draft.kind === "cron"}
                onChange={() => change({ kind: "cron" })}
              />
              At set times (cron)
            </label>
          </fieldset>
          {draft.kind === "interval" ? (
            <div className="flex flex-wrap items-end gap-2">
              <label className="flex flex-col gap-1">
                <span className="text-xs text-slate-600">Interval</span>
                <select
                  name="preset"
                  value={draft.preset}
                  onChange={(event) => change({ preset: event.target.value })}
                  className="rounded-md border border-slate-300 px-2 py-1"
                >
                  {INTERVAL_PRESETS.filter((m) => !limit || m >= limit.minMinutes).map((m) => (
                    <option key={m} value={String(m)}>
                      {intervalInWords(m)}
                    </option>
                  ))}
                  <option value={CUSTOM}>another number of minutes…</option>
                </select>
              </label>
              {draft.preset === CUSTOM ? (
                <label className="flex flex-col gap-1">
                  <span className="text-xs text-slate-600">Minutes</span>
                  <input
                    name="minutes"
                    inputMode="numeric"
                    value={draft.minutes}
                    onChange={(event) => change({ minutes: event.target.value })}
                    aria-invalid={problem !== null}
                    aria-describedby={problem ? "schedule-problem" : undefined}
                    className="w-28 rounded-md border border-slate-300 px-2 py-1"
                  />
                </label>
              ) : null}
            </div>
          ) : (
            <div className="flex flex-wrap items-end gap-2">
              <label className="flex flex-col gap-1">
                <span className="text-xs text-slate-600">Cron expression (minute hour day month weekday)</span>
                <input
                  name="expression"
                  value={draft.expression}
                  onChange={(event) => change({ expression: event.target.value })}
                  placeholder="0 6 * * *"
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={problem !== null}
                  aria-describedby={problem ? "schedule-problem" : undefined}
                  className="w-56 rounded-md border border-slate-300 px-2 py-1 font-mono"
                />
              </label>
              <label className="flex flex-col gap-1">
                <span className="text-xs text-slate-600">Time zone</span>
                <input
                  name="timeZone"
                  list="schedule-zones"
                  value={draft.timeZone}
                  onChange={(event) => change({ timeZone: event.target.value })}
                  spellCheck={false}
                  autoComplete="off"
                  className="w-56 rounded-md border border-slate-300 px-2 py-1"
                />
                <datalist id="schedule-zones">
                  {zones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </label>
            </div>
          )}
          <div className="rounded-md bg-slate-50 p-3" aria-live="polite" data-testid="schedule-preview">
            {reading.ok ? (
              <>
                <p>
                  <span className="text-slate-600">Reads: </span>
                  <strong data-testid="schedule-reading">{describeSchedule(reading.schedule)}</strong>
                </p>
                <p className="mt-1 text-slate-600">
                  Next {PREVIEW_RUNS} runs after saving ({shownZone}):
                </p>
                <ol className="mt-1 list-inside list-decimal tabular-nums" data-testid="schedule-next-runs">
                  {upcoming.map((run) => (
                    <li key={run.getTime()}>{formatDateTime(run, shownZone)}</li>
                  ))}
                </ol>
              </>
            ) : (
              <p className="text-slate-700" data-testid="schedule-draft-problem">
                {reading.message}
              </p>
            )}
          </div>
          <button
            type="submit"
            disabled={save.isPending}
            className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50"
          >
            Save schedule
          </button>
          {problem ? (
            <p id="schedule-problem" role="alert" className="text-red-800">
              {problem}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
