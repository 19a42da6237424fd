import { Cron } from "croner";
import cronstrue from "cronstrue";
import type { TaskType } from "@/generated/sqlite/enums";
import { isTimeZone } from "./format";
import { TASK_KINDS } from "./task-kinds";

/**
 * A task's schedule, defined once: an interval in minutes, or a five-field cron expression read on
 * the wall clock of an IANA time zone. The engine (`nextRegularRun`), the service that saves a
 * schedule, the schedule form (its reading and next five runs) and the lists all come here.
 *
 * DST: a cron time that falls in a spring-forward gap runs at the first valid time after the gap;
 * a time that happens twice in a fall-back runs once (croner's fixed-time rule). Intervals are
 * absolute minutes, so they never shift with the clock.
 */
export type Schedule = { kind: "interval"; minutes: number } | { kind: "cron"; expression: string; timeZone: string };

/** The task row's columns that hold its schedule (a cron task's frequencyMinutes is its usual gap). */
export interface ScheduleColumns {
  frequencyMinutes: number;
  cronExpression: string | null;
  cronTimeZone: string | null;
}

export const MINUTES_PER_DAY = 24 * 60;
/** The longest interval a schedule may have: past a month a task's data would be stale anyway. */
export const MAX_INTERVAL_MINUTES = 30 * MINUTES_PER_DAY;

/** The intervals the form offers (a custom number of minutes is allowed too). */
export const INTERVAL_PRESETS = [15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080] as const;

/**
 * How often each kind of task may run at most, with the reason people read when they ask for more:
 * the platforms' quotas and the load on the sites the analysis fetches.
 */
export const SCHEDULE_LIMITS: Record<TaskType, { minMinutes: number; reason: string } | null> = {
  OAUTH_TOKEN_MONITORING: { minMinutes: 15, reason: "token checks run at most every 15 minutes" },
  GSC_INSIGHTS: { minMinutes: 60, reason: "Search Console's quota allows insights at most hourly" },
  BING_INSIGHTS: { minMinutes: 60, reason: "Bing Webmaster's quota allows insights at most hourly" },
  WEBSITE_ANALYSIS: {
    minMinutes: 60,
    reason: "a website and its competitors are fetched at most hourly, to spare the sites",
  },
  // The system's own tasks keep the schedule the engine gives them.
  SYSTEM_RETENTION: null,
  SYSTEM_ALERT_DELIVERY: null,
};

/** Whether people may change this kind's schedule. */
export function scheduleEditable(type: TaskType): boolean {
  return TASK_KINDS[type].visible && SCHEDULE_LIMITS[type] !== null;
}

/** How many upcoming runs are read to find a cron schedule's shortest gap (a year of daily runs and more). */
const GAP_SAMPLE = 400;

/** A five-field cron expression in a zone, or a message for people saying what is wrong. */
export function parseCron(
  expression: string,
  timeZone: string,
): { ok: true; cron: Cron } | { ok: false; message: string } {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return {
      ok: false,
      message: `A cron expression has five fields (minute hour day-of-month month day-of-week); this one has ${fields.length}.`,
    };
  if (!isTimeZone(timeZone))
    return { ok: false, message: `"${timeZone}" is not a time zone; pick one such as Europe/Berlin.` };
  try {
    const cron = new Cron(fields.join(" "), { timezone: timeZone, mode: "5-part", paused: true });
    if (!cron.nextRun(new Date())) return { ok: false, message: "This expression never runs." };
    return { ok: true, cron };
  } catch (error) {
    return { ok: false, message: cronMessage(error instanceof Error ? error.message : String(error)) };
  }
}

/** croner's messages name its own classes; people read what is wrong. */
function cronMessage(raw: string): string {
  const text = raw.replace(/^Cron\w*:\s*/, "").trim();
  return `The cron expression is not valid: ${text.charAt(0).toLowerCase()}${text.slice(1)}${text.endsWith(".") ? "" : "."}`;
}

/** The schedule the columns hold. */
export function scheduleOf(task: ScheduleColumns): Schedule {
  return task.cronExpression
    ? { kind: "cron", expression: task.cronExpression, timeZone: task.cronTimeZone ?? "UTC" }
    : { kind: "interval", minutes: task.frequencyMinutes };
}

/** The next `count` runs after `from` (an interval counts from `from`). Empty for a cron expression that is not valid. */
export function nextRuns(schedule: Schedule, from: Date, count: number): Date[] {
  if (schedule.kind === "interval")
    return Array.from({ length: count }, (_, i) => new Date(from.getTime() + (i + 1) * schedule.minutes * 60_000));
  const parsed = parseCron(schedule.expression, schedule.timeZone);
  return parsed.ok ? parsed.cron.nextRuns(count, from) : [];
}

/**
 * The runs of a task that waits for its regular run, once its schedule is changed at `now`: a cron
 * schedule's next times; an interval's from the last run (a task that never ran keeps its first run),
 * now at the earliest. The service saves the first; the form shows them all before saving.
 */
export function runsAfterChange(
  schedule: Schedule,
  task: { lastRunAt: Date | null; nextRunAt: Date | null },
  now: Date,
  count: number,
): Date[] {
  if (schedule.kind === "cron") return nextRuns(schedule, now, count);
  const due = task.lastRunAt ? new Date(task.lastRunAt.getTime() + schedule.minutes * 60_000) : (task.nextRunAt ?? now);
  const first = due > now ? due : now;
  return [first, ...nextRuns(schedule, first, count - 1)];
}

/** The first cron run strictly after `after`, or null when the expression is not valid (a row edited by hand). */
export function nextCronRun(expression: string, timeZone: string, after: Date): Date | null {
  const parsed = parseCron(expression, timeZone);
  return parsed.ok ? parsed.cron.nextRun(after) : null;
}

/** The gaps between a schedule's upcoming runs in whole minutes, shortest first. */
function gapsMinutes(schedule: Schedule, from: Date): number[] {
  if (schedule.kind === "interval") return [schedule.minutes];
  const runs = nextRuns(schedule, from, GAP_SAMPLE);
  const gaps: number[] = [];
  for (let i = 1; i < runs.length; i++)
    gaps.push(Math.max(1, Math.round((runs[i]!.getTime() - runs[i - 1]!.getTime()) / 60_000)));
  return gaps.length ? gaps.sort((a, b) => a - b) : [MAX_INTERVAL_MINUTES];
}

/**
 * The shortest gap between two runs (what the quota limits check): a daily cron time in a zone with
 * DST has one 23-hour gap a year.
 */
export function shortestGapMinutes(schedule: Schedule, from: Date): number {
  return gapsMinutes(schedule, from)[0]!;
}

/**
 * The usual gap between two runs (the median; a day for a daily time, DST or not): what a cron task
 * stores as its frequency, for its default grace and for the lists that speak in intervals.
 */
export function usualGapMinutes(schedule: Schedule, from: Date): number {
  const gaps = gapsMinutes(schedule, from);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/** "every 6 hours", "every day", "every 45 minutes". */
export function intervalInWords(minutes: number): string {
  if (minutes % MINUTES_PER_DAY === 0) {
    const days = minutes / MINUTES_PER_DAY;
    if (days === 7) return "every week";
    return days === 1 ? "every day" : `every ${days} days`;
  }
  if (minutes % 60 === 0) return minutes === 60 ? "every hour" : `every ${minutes / 60} hours`;
  return minutes === 1 ? "every minute" : `every ${minutes} minutes`;
}

/** The schedule as people read it: "every 6 hours", "At 06:00, every day (Europe/Berlin)". */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.kind === "interval") return intervalInWords(schedule.minutes);
  try {
    const reading = cronstrue.toString(schedule.expression, { use24HourTimeFormat: true, verbose: true });
    return `${reading} (${schedule.timeZone})`;
  } catch {
    return `${schedule.expression} (${schedule.timeZone})`;
  }
}

/**
 * Whether this kind of task may have this schedule: a message for people, or null when it may.
 * The shape (a number, a zone, the cron syntax) is the zod schema's; this adds what depends on the
 * kind (the quota limits) and on the calendar (a cron's shortest gap).
 */
export function scheduleProblem(type: TaskType, schedule: Schedule, now: Date): string | null {
  const limit = SCHEDULE_LIMITS[type];
  if (!limit || !TASK_KINDS[type].visible) return "This task's schedule is the system's and cannot be changed.";
  if (schedule.kind === "cron") {
    const parsed = parseCron(schedule.expression, schedule.timeZone);
    if (!parsed.ok) return parsed.message;
  }
  const gap = shortestGapMinutes(schedule, now);
  if (gap < limit.minMinutes)
    return `${TASK_KINDS[type].label} may run ${intervalInWords(limit.minMinutes)} at most (${limit.reason}); this schedule runs ${intervalInWords(gap)}.`;
  if (schedule.kind === "interval" && schedule.minutes > MAX_INTERVAL_MINUTES)
    return `Run it at least every ${MAX_INTERVAL_MINUTES / MINUTES_PER_DAY} days.`;
  return null;
}
