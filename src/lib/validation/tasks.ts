import { z } from "zod";
import { isTimeZone } from "../format";
import { MAX_INTERVAL_MINUTES, MINUTES_PER_DAY, parseCron } from "../schedule";
import { text } from "./common";
import { jobsFilterInput, taskType } from "./dashboard";

export const taskId = text().trim().min(1, "taskId is required").max(64, "taskId is too long");

export const setPausedInput = z
  .object({
    taskId,
    paused: z.boolean({ error: "paused must be true or false" }),
  })
  .strict();
export type SetPausedInput = z.infer<typeof setPausedInput>;

/** The type the caller expects the task to be (the REST path names it): another type's task is NOT_FOUND. */
const expectedType = taskType.optional();

export const manualTriggerInput = z.object({ taskId, type: expectedType }).strict();
export type ManualTriggerInput = z.infer<typeof manualTriggerInput>;

export const retryInput = z
  .object({
    taskId,
    resetFailures: z.boolean({ error: "resetFailures must be true or false" }).default(false),
    type: expectedType,
  })
  .strict();
export type RetryInput = z.infer<typeof retryInput>;

export const taskIdInput = z.object({ taskId }).strict();

/** A task's own grace in minutes (5 minutes to 7 days), or null for the default (a tenth of its interval). */
export const setGraceInput = z
  .object({
    taskId,
    graceMinutes: z
      .number({ error: "Enter the grace in minutes" })
      .int("Enter whole minutes")
      .min(5, "A grace under 5 minutes would call every slightly busy start late")
      .max(7 * 24 * 60, "Keep the grace within 7 days (10080 minutes)")
      .nullable(),
  })
  .strict();
export type SetGraceInput = z.infer<typeof setGraceInput>;

export const bulkTriggerInput = z
  .object({
    filter: z
      .object({
        status: z
          .enum(["ACTIVE", "FAILED", "NEEDS_INTERVENTION"], {
            error: "status must be ACTIVE, FAILED or NEEDS_INTERVENTION",
          })
          .optional(),
        type: taskType.optional(),
      })
      .strict()
      .default({ status: "NEEDS_INTERVENTION" }),
    /** false (the default) only counts what would be triggered; true triggers. */
    confirm: z.boolean({ error: "confirm must be true or false" }).default(false),
  })
  .strict();
export type BulkTriggerInput = z.infer<typeof bulkTriggerInput>;

/** What a bulk action does to each job the filter matches, and its name on buttons and in results. */
export const BULK_ACTIONS = {
  pause: { label: "Pause", doing: "Pausing", done: "Paused" },
  resume: { label: "Resume", doing: "Resuming", done: "Resumed" },
  runNow: { label: "Run now", doing: "Starting", done: "Started" },
  retry: { label: "Retry", doing: "Retrying", done: "Retried" },
} as const;
export type BulkActionName = keyof typeof BULK_ACTIONS;
const BULK_ACTION_NAMES = Object.keys(BULK_ACTIONS) as [BulkActionName, ...BulkActionName[]];

export const bulkActionInput = z
  .object({
    action: z.enum(BULK_ACTION_NAMES, { error: `action must be one of ${BULK_ACTION_NAMES.join(", ")}` }),
    /** Jobs' filter and search: the action applies to every job it matches, not only the rows on screen. */
    filter: jobsFilterInput.default({}),
    /** false (the default) only counts the jobs; true acts on the next chunk of them. */
    confirm: z.boolean({ error: "confirm must be true or false" }).default(false),
    /** The last job id of the previous chunk (its `next`): the action goes on after it. */
    after: text().min(1).max(64).nullish(),
  })
  .strict();
export type BulkActionInput = z.infer<typeof bulkActionInput>;

export const historyInput = z
  .object({
    taskId,
    limit: z.number().int().min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50),
    cursor: z.number().int().positive().nullish(),
    /** Days of the duration trend. */
    days: z.number().int().min(1).max(90).default(30),
  })
  .strict();
export type HistoryInput = z.infer<typeof historyInput>;

/** A schedule's shape (the kind's limits and a cron's shortest gap are `scheduleProblem`'s, once the task is known). */
export const scheduleInput = z.discriminatedUnion(
  "kind",
  [
    z
      .object({
        kind: z.literal("interval"),
        minutes: z
          .number({ error: "Enter the interval in minutes" })
          .int("Enter whole minutes")
          .min(1, "The interval is at least 1 minute")
          .max(MAX_INTERVAL_MINUTES, `Run it at least every ${MAX_INTERVAL_MINUTES / MINUTES_PER_DAY} days`),
      })
      .strict(),
    z
      .object({
        kind: z.literal("cron"),
        expression: text({ error: "Enter a cron expression" })
          .trim()
          .min(1, "Enter a cron expression")
          .max(120, "A cron expression is at most 120 characters"),
        timeZone: text({ error: "Pick a time zone" })
          .trim()
          .refine((zone) => isTimeZone(zone), "Pick a time zone such as Europe/Berlin or UTC"),
      })
      .strict()
      .superRefine((value, ctx) => {
        if (!isTimeZone(value.timeZone)) return; // said once, by the zone's own check
        const parsed = parseCron(value.expression, value.timeZone);
        if (!parsed.ok) ctx.addIssue({ code: "custom", path: ["expression"], message: parsed.message });
      }),
  ],
  { error: 'kind must be "interval" or "cron"' },
);
export type ScheduleInput = z.infer<typeof scheduleInput>;

export const updateScheduleInput = z.object({ taskId, schedule: scheduleInput }).strict();
export type UpdateScheduleInput = z.infer<typeof updateScheduleInput>;

/**
 * Where a page of the intervention list starts: the last item's failures in a row, last failure time
 * (ms, or "n" when it never failed) and id, as the list's own `nextCursor` gave them.
 */
const interventionCursor = z
  .string()
  .regex(/^\d+\.(\d+|n)\.[^\s]{1,64}$/, "cursor must be a nextCursor this list gave")
  .nullish();

/** A page of the tasks needing intervention, worst first. */
export const interventionListInput = z
  .object({
    limit: z.number().int().min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50),
    cursor: interventionCursor,
  })
  .strict()
  .default({ limit: 50 });
export type InterventionListInput = z.infer<typeof interventionListInput>;
