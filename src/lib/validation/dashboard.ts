import { z } from "zod";

export const DEFAULT_OVERVIEW_DAYS = 14;

export const overviewInput = z
  .object({
    /** The window for the success rate and the runs-per-day chart. */
    days: z.number().int().min(1, "days must be at least 1").max(90, "days must be at most 90").default(DEFAULT_OVERVIEW_DAYS),
  })
  .strict()
  .default({ days: DEFAULT_OVERVIEW_DAYS });
export type OverviewInput = z.infer<typeof overviewInput>;
