import { z } from "zod";
import { text } from "./common";
import { taskType } from "./dashboard";

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
