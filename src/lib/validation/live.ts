import { z } from "zod";

/** `live.events`: where a stream that reconnects left off (httpSubscriptionLink sends it by itself). */
export const liveEventsInput = z
  .object({ lastEventId: z.string().max(100, "lastEventId is at most 100 characters").nullish() })
  .strict()
  .optional();
export type LiveEventsInput = z.infer<typeof liveEventsInput>;
