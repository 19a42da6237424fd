import { z } from "zod";

export const overviewInput = z
  .object({
    /** The window for the success rate and the runs-per-day chart. */
    days: z.number().int().min(1, "days must be at least 1").max(90, "days must be at most 90").default(14),
  })
  .strict()
  .default({ days: 14 });
export type OverviewInput = z.infer<typeof overviewInput>;
