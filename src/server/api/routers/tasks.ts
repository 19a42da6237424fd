import { manualTriggerInput, retryInput, setPausedInput } from "@/lib/validation/tasks";
import { listTasks, manualTrigger, retryTask, setPaused } from "@/server/services/tasks";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const tasksRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listTasks(ctx.db, ctx.scope)),
  setPaused: protectedProcedure.input(setPausedInput).mutation(({ ctx, input }) => setPaused(ctx.db, ctx.scope, input)),
  manualTrigger: protectedProcedure.input(manualTriggerInput).mutation(({ ctx, input }) => manualTrigger(ctx.db, ctx.scope, input, ctx.scheduler)),
  retry: protectedProcedure.input(retryInput).mutation(({ ctx, input }) => retryTask(ctx.db, ctx.scope, input, ctx.scheduler)),
});
