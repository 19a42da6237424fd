import {
  addWebsiteInput,
  alertIdInput,
  platformFilterInput,
  platformInput,
  websiteIdInput,
} from "@/lib/validation/platform";
import {
  addWebsite,
  availablePlatforms,
  disconnectPlatform,
  dismissAlert,
  listAlerts,
  listConnections,
  listWebsites,
  reconcileTasks,
  removeWebsite,
} from "@/server/services/connections";
import {
  insightsStatus,
  monitoringSummary,
  oauthTokenStatus,
  platformHealth,
  refreshToken,
  websiteAnalysisStatus,
} from "@/server/services/platform-status";
import { cachedAggregate, createTRPCRouter, protectedProcedure } from "../trpc";

export const platformRouter = createTRPCRouter({
  connections: protectedProcedure.query(({ ctx }) => listConnections(ctx.db, ctx.scope)),
  insightsStatus: protectedProcedure.query(({ ctx }) => insightsStatus(ctx.db, ctx.scope)),
  websiteAnalysisStatus: protectedProcedure.query(({ ctx }) => websiteAnalysisStatus(ctx.db, ctx.scope)),
  oauthTokenStatus: protectedProcedure.query(({ ctx }) => oauthTokenStatus(ctx.db, ctx.scope)),
  refreshToken: protectedProcedure
    .input(platformInput)
    .mutation(({ ctx, input }) => refreshToken(ctx.db, ctx.scope, input, ctx.scheduler)),
  monitoringSummary: protectedProcedure
    .input(platformFilterInput)
    .query(({ ctx, input }) =>
      cachedAggregate(ctx, `monitoringSummary:${input.platform ?? "all"}`, () =>
        monitoringSummary(ctx.db, ctx.scope, new Date(), input.platform),
      ),
    ),
  health: protectedProcedure
    .input(platformFilterInput)
    .query(({ ctx, input }) => platformHealth(ctx.db, ctx.scope, new Date(), input.platform)),
  /** Which platforms can be connected on this installation. */
  available: protectedProcedure.query(({ ctx }) => (ctx.integrations ? availablePlatforms(ctx.integrations) : [])),
  alerts: protectedProcedure.query(({ ctx }) => listAlerts(ctx.db, ctx.scope)),
  dismissAlert: protectedProcedure
    .input(alertIdInput)
    .mutation(({ ctx, input }) => dismissAlert(ctx.db, ctx.scope, input)),
  disconnect: protectedProcedure
    .input(platformInput)
    .mutation(({ ctx, input }) => disconnectPlatform(ctx.db, ctx.scope, input)),
  websites: protectedProcedure.query(({ ctx }) => listWebsites(ctx.db, ctx.scope)),
  addWebsite: protectedProcedure
    .input(addWebsiteInput)
    .mutation(({ ctx, input }) => addWebsite(ctx.db, ctx.scope, input, ctx.scheduler)),
  removeWebsite: protectedProcedure
    .input(websiteIdInput)
    .mutation(({ ctx, input }) => removeWebsite(ctx.db, ctx.scope, input)),
  /** Creates the tasks missing for the user's connections and websites, and reports what it did. */
  reconcile: protectedProcedure.mutation(({ ctx }) =>
    reconcileTasks(ctx.db, ctx.scope, {
      tokenCheckMinutes: ctx.integrations?.tokenCheckMinutes,
      runner: ctx.scheduler,
    }),
  ),
});
