import { z } from "zod";
import { VISIBLE_TASK_TYPES } from "../task-kinds";
import { CHART_RANGES } from "../chart-range";
import { infiniteDirection, searchInput, text } from "./common";

export const DEFAULT_OVERVIEW_DAYS = 14;

export const overviewInput = z
  .object({
    /** The window for the success rate and the runs-per-day chart. */
    days: z
      .number()
      .int()
      .min(1, "days must be at least 1")
      .max(90, "days must be at most 90")
      .default(DEFAULT_OVERVIEW_DAYS),
  })
  .strict()
  .default({ days: DEFAULT_OVERVIEW_DAYS });
export type OverviewInput = z.infer<typeof overviewInput>;

/** The task types people see, from the task-kind catalogue. */
export const TASK_TYPE_VALUES = VISIBLE_TASK_TYPES;
export const TASK_STATUS_VALUES = ["ACTIVE", "PAUSED", "FAILED", "NEEDS_INTERVENTION", "ENDED"] as const;
export const taskType = z.enum(TASK_TYPE_VALUES, { error: `type must be one of ${TASK_TYPE_VALUES.join(", ")}` });
export const taskStatus = z.enum(TASK_STATUS_VALUES, {
  error: `status must be one of ${TASK_STATUS_VALUES.join(", ")}`,
});

/** What Jobs filters on: the list's filter, and what a bulk action applies to (`tasks.bulkAction`). */
const jobsFilterShape = {
  type: taskType.optional(),
  status: taskStatus.optional(),
  search: searchInput,
};
export const jobsFilterInput = z.object(jobsFilterShape).strict();
export type JobsFilter = z.infer<typeof jobsFilterInput>;

export const jobsInput = z
  .object({
    ...jobsFilterShape,
    sort: z
      .enum(["nextRunAt", "lastRunAt", "type", "status", "createdAt"], {
        error: "sort must be nextRunAt, lastRunAt, type, status or createdAt",
      })
      .default("nextRunAt"),
    order: z.enum(["asc", "desc"], { error: "order must be asc or desc" }).default("asc"),
    limit: z.number().int().min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50),
    /** The id of the last job of the previous page. */
    cursor: text().min(1).max(64).nullish(),
    direction: infiniteDirection,
  })
  .strict()
  .default({ sort: "nextRunAt", order: "asc", limit: 50 });
export type JobsInput = z.infer<typeof jobsInput>;

/** The users whose own website the REST facade's job labels name (a page of jobs' owners). */
export const jobOwnerSitesInput = z
  .object({
    userIds: z
      .array(text().min(1, "a user id cannot be empty").max(64, "a user id has at most 64 characters"))
      .min(1, "userIds must name at least one user")
      .max(200, "userIds names at most 200 users"),
  })
  .strict();
export type JobOwnerSitesInput = z.infer<typeof jobOwnerSitesInput>;

export const JOB_EVENT_TYPES = ["JOB_COMPLETED", "JOB_FAILED", "JOB_SCHEDULED", "JOB_CANCELLED"] as const;

export const recentLogsInput = z
  .object({
    limit: z.number().int().min(1, "limit must be at least 1").max(100, "limit must be at most 100").default(20),
    /** Which job events (all four by default). */
    types: z
      .array(z.enum(JOB_EVENT_TYPES, { error: `types must be among ${JOB_EVENT_TYPES.join(", ")}` }))
      .min(1, "types must name at least one type")
      .max(JOB_EVENT_TYPES.length)
      .optional(),
  })
  .strict()
  .default({ limit: 20 });

export const chartsInput = z
  .object({ range: z.enum(CHART_RANGES, { error: "range must be 24h, 7d or 30d" }).default("7d") })
  .strict()
  .default({ range: "7d" });
export type ChartsInput = z.infer<typeof chartsInput>;
