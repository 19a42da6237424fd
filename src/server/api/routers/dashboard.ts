import { overviewInput } from "@/lib/validation/dashboard";
import { getOverview } from "@/server/services/dashboard";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const dashboardRouter = createTRPCRouter({
  overview: protectedProcedure
    .input(overviewInput)
    .query(({ ctx, input }) => getOverview(ctx.db, ctx.engine, ctx.scope, input.days)),
});
