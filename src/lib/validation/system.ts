import { z } from "zod";

export const reconcileStatsInput = z
  .object({ apply: z.boolean({ error: "apply must be true or false" }).default(false) })
  .strict();
export type ReconcileStatsInput = z.infer<typeof reconcileStatsInput>;
