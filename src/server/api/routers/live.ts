import { liveEventsInput } from "@/lib/validation/live";
import { liveBusFor } from "@/server/live-bus";
import { liveEvents } from "@/server/services/live";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const liveRouter = createTRPCRouter({
  /**
   * What changed for the caller (a run started or finished, a change made by hand), pushed over
   * server-sent events; scoped like the queries. Resumes from `lastEventId`.
   */
  events: protectedProcedure
    .input(liveEventsInput)
    .subscription(({ ctx, input, signal }) =>
      liveEvents(liveBusFor(ctx.db, ctx.engine), ctx.scope, input?.lastEventId ?? null, signal),
    ),
});
