import { typesIn } from "@/lib/task-kinds";
import {
  cleanupEventLogsInput,
  eventHistoryInput,
  executionLogInput,
  executionLogsInput,
  featureLogsInput,
} from "@/lib/validation/monitoring";
import {
  cleanupEventLogs,
  eventHistory,
  eventLogStats,
  getExecutionLog,
  listExecutionLogs,
  listFeatureLogs,
} from "@/server/services/logs";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc";

export const monitoringRouter = createTRPCRouter({
  executionLog: protectedProcedure
    .input(executionLogInput)
    .query(({ ctx, input }) => getExecutionLog(ctx.db, ctx.scope, input.id)),
  executionLogs: protectedProcedure
    .input(executionLogsInput)
    .query(({ ctx, input }) => listExecutionLogs(ctx.db, ctx.scope, input)),
  eventHistory: protectedProcedure
    .input(eventHistoryInput)
    .query(({ ctx, input }) => eventHistory(ctx.db, ctx.scope, input)),
  eventLogStats: protectedProcedure.query(({ ctx }) => eventLogStats(ctx.db, ctx.scope)),
  cleanupEventLogs: adminProcedure
    .input(cleanupEventLogsInput)
    .mutation(({ ctx, input }) => cleanupEventLogs(ctx.db, ctx.scope, input)),
  platformInsightsLogs: protectedProcedure
    .input(featureLogsInput)
    .query(({ ctx, input }) => listFeatureLogs(ctx.db, ctx.scope, typesIn("insights"), input)),
  websiteAnalysisLogs: protectedProcedure
    .input(featureLogsInput)
    .query(({ ctx, input }) => listFeatureLogs(ctx.db, ctx.scope, typesIn("website"), input)),
  oauthTokenLogs: protectedProcedure
    .input(featureLogsInput)
    .query(({ ctx, input }) => listFeatureLogs(ctx.db, ctx.scope, typesIn("token"), input)),
});
