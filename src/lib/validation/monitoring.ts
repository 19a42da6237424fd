import { z } from "zod";
import { infiniteDirection, searchInput, text } from "./common";
import { taskType } from "./dashboard";

export const EXECUTION_STATUS_VALUES = ["RUNNING", "SUCCESS", "FAILED", "SKIPPED", "TIMED_OUT", "INTERRUPTED"] as const;
export const TRIGGER_VALUES = ["SCHEDULED", "MANUAL", "RETRY"] as const;
export const EVENT_TYPE_VALUES = [
  "START",
  "STOP",
  "CHECK_CYCLE",
  "INTERVAL_ADJUSTMENT",
  "JOB_SCHEDULED",
  "JOB_CANCELLED",
  "JOB_COMPLETED",
  "JOB_FAILED",
  "LEASE_RECOVERED",
  "TASK_COOLED_OFF",
  "TASK_RELEASED",
  "RETENTION_CLEANUP",
] as const;

/**
 * Above this many matching logs the total is shown as "10,000+" instead of being counted exactly: the
 * first page is polled, and counting further costs more than the page itself (see bench/BASELINE.md).
 */
export const LOG_COUNT_CAP = 10_000;
/**
 * A search counts its matches up to this many ("1,000+" beyond): the matches come from the search index,
 * and reading ten thousand of a common word costs more than the page (see bench/BASELINE.md).
 */
export const SEARCH_COUNT_CAP = 1_000;

const limit = z.number().int().min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50);
const cursor = z.number().int().positive("cursor must be a positive id").nullish();
/** Rows skipped before the first page (the REST facade's `offset`); with a cursor, the cursor decides. */
const offset = z
  .number()
  .int()
  .min(0, "offset must be at least 0")
  .max(1_000_000, "offset must be at most 1000000")
  .optional();
/** Also count the matching rows (total capped like the logs' count): the REST facade's `total_count`. */
const withTotal = z.boolean({ error: "withTotal must be true or false" }).optional();
const date = z.coerce.date({ error: "must be a date" });

export const executionLogsInput = z
  .object({
    status: z
      .enum(EXECUTION_STATUS_VALUES, { error: `status must be one of ${EXECUTION_STATUS_VALUES.join(", ")}` })
      .optional(),
    taskType: taskType.optional(),
    taskId: text().min(1).max(64).optional(),
    trigger: z.enum(TRIGGER_VALUES, { error: `trigger must be one of ${TRIGGER_VALUES.join(", ")}` }).optional(),
    from: date.optional(),
    to: date.optional(),
    search: searchInput,
    /** Each run's result as well: the list leaves it out (a run's own page reads it); the REST facade asks. */
    withResult: z.boolean({ error: "withResult must be true or false" }).optional(),
    limit,
    cursor,
    offset,
    direction: infiniteDirection,
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: "The start date is after the end date",
    path: ["from"],
  })
  .default({ limit: 50 });
export type ExecutionLogsInput = z.infer<typeof executionLogsInput>;

const eventType = z.enum(EVENT_TYPE_VALUES, { error: `type must be one of ${EVENT_TYPE_VALUES.join(", ")}` });

export const eventHistoryInput = z
  .object({
    type: eventType.optional(),
    /** Several types at once (with `type`, both must match). */
    types: z.array(eventType).min(1, "types must name at least one type").max(EVENT_TYPE_VALUES.length).optional(),
    days: z.number().int().min(1, "days must be at least 1").max(90, "days must be at most 90").default(7),
    limit,
    cursor,
    offset,
    withTotal,
    direction: infiniteDirection,
  })
  .strict()
  .default({ days: 7, limit: 50 });
export type EventHistoryInput = z.infer<typeof eventHistoryInput>;

export const RETENTION_POLICY = { recommendedDays: 90, minimumDays: 7, maximumDays: 365 } as const;

export const cleanupEventLogsInput = z
  .object({
    olderThanDays: z
      .number({ error: "Enter a number of days" })
      .int("Enter a whole number of days")
      .min(RETENTION_POLICY.minimumDays, `Keep at least ${RETENTION_POLICY.minimumDays} days of events`)
      .max(RETENTION_POLICY.maximumDays, `Keep at most ${RETENTION_POLICY.maximumDays} days: older events can go`),
    dryRun: z.boolean({ error: "dryRun must be true or false" }).default(true),
  })
  .strict();
export type CleanupEventLogsInput = z.infer<typeof cleanupEventLogsInput>;

export const featureLogsInput = z
  .object({
    taskId: text().min(1).max(64).optional(),
    limit,
    cursor,
    offset,
    withTotal,
    direction: infiniteDirection,
  })
  .strict()
  .default({ limit: 50 });
export type FeatureLogsInput = z.infer<typeof featureLogsInput>;

export const executionLogInput = z.object({ id: z.number().int().positive("id must be a positive number") }).strict();
