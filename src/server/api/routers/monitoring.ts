import { pageInput } from "@/lib/validation/common";
import { listExecutionLogs } from "@/server/services/logs";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const monitoringRouter = createTRPCRouter({
  executionLogs: protectedProcedure.input(pageInput).query(({ ctx, input }) => listExecutionLogs(ctx.db, ctx.scope, input)),
});
