import { chartsInput, jobOwnerSitesInput, jobsInput, overviewInput, recentLogsInput } from "@/lib/validation/dashboard";
import { reconcileStatsInput } from "@/lib/validation/system";
import { getCharts, getOverview, jobOwnerSites, listJobs, recentSchedulerLogs } from "@/server/services/dashboard";
import { reconcileStats } from "@/server/services/scheduler";
import { adminProcedure, cachedAggregate, createTRPCRouter, protectedProcedure } from "../trpc";

export const dashboardRouter = createTRPCRouter({
  overview: protectedProcedure
    .input(overviewInput)
    .query(({ ctx, input }) =>
      cachedAggregate(ctx, `overview:${input.days}`, () => getOverview(ctx.db, ctx.scope, input.days, ctx.scheduler)),
    ),
  charts: protectedProcedure
    .input(chartsInput)
    .query(({ ctx, input }) =>
      cachedAggregate(ctx, `charts:${input.range}`, () => getCharts(ctx.db, ctx.engine, ctx.scope, input.range)),
    ),
  jobs: protectedProcedure.input(jobsInput).query(({ ctx, input }) => listJobs(ctx.db, ctx.scope, input)),
  /** Each listed user's own website (the REST facade's job labels): only users the caller sees. */
  jobOwnerSites: protectedProcedure
    .input(jobOwnerSitesInput)
    .query(({ ctx, input }) => jobOwnerSites(ctx.db, ctx.scope, input)),
  recentSchedulerLogs: protectedProcedure
    .input(recentLogsInput)
    .query(({ ctx, input }) => recentSchedulerLogs(ctx.db, ctx.scope, input.limit, input.types)),
  cumulativeStats: createTRPCRouter({
    /** Admin: recompute the cumulative statistics from the events; report the difference, write only with `apply`. */
    reconcile: adminProcedure
      .input(reconcileStatsInput)
      .mutation(({ ctx, input }) => reconcileStats(ctx.db, ctx.scope, input.apply)),
  }),
});
