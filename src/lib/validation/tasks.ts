import { z } from "zod";

export const taskId = z.string().trim().min(1, "taskId is required").max(64, "taskId is too long");

export const setPausedInput = z
  .object({
    taskId,
    paused: z.boolean({ error: "paused must be true or false" }),
  })
  .strict();
export type SetPausedInput = z.infer<typeof setPausedInput>;

export const manualTriggerInput = z.object({ taskId }).strict();
export type ManualTriggerInput = z.infer<typeof manualTriggerInput>;

export const retryInput = z
  .object({
    taskId,
    resetFailures: z.boolean({ error: "resetFailures must be true or false" }).default(false),
  })
  .strict();
export type RetryInput = z.infer<typeof retryInput>;
