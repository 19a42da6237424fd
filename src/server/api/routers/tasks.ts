import { bulkTriggerInput, historyInput, manualTriggerInput, retryInput, setPausedInput, taskIdInput } from "@/lib/validation/tasks";
import { bulkTrigger, interventionSummary, listTasks, manualTrigger, needingIntervention, retryTask, setPaused, taskHistory } from "@/server/services/tasks";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const tasksRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listTasks(ctx.db, ctx.scope)),
  needingIntervention: protectedProcedure.query(({ ctx }) => needingIntervention(ctx.db, ctx.scope)),
  interventionSummary: protectedProcedure.query(({ ctx }) => interventionSummary(ctx.db, ctx.scope)),
  manualTrigger: protectedProcedure.input(manualTriggerInput).mutation(({ ctx, input }) => manualTrigger(ctx.db, ctx.scope, input, ctx.scheduler)),
  retry: protectedProcedure.input(retryInput).mutation(({ ctx, input }) => retryTask(ctx.db, ctx.scope, input, ctx.scheduler)),
  bulkTrigger: protectedProcedure.input(bulkTriggerInput).mutation(({ ctx, input }) => bulkTrigger(ctx.db, ctx.scope, input, ctx.scheduler)),
  setPaused: protectedProcedure.input(setPausedInput).mutation(({ ctx, input }) => setPaused(ctx.db, ctx.scope, input)),
  pause: protectedProcedure.input(taskIdInput).mutation(({ ctx, input }) => setPaused(ctx.db, ctx.scope, { taskId: input.taskId, paused: true })),
  resume: protectedProcedure.input(taskIdInput).mutation(async ({ ctx, input }) => {
    const result = await setPaused(ctx.db, ctx.scope, { taskId: input.taskId, paused: false });
    ctx.scheduler?.wake();
    return result;
  }),
  history: protectedProcedure.input(historyInput).query(({ ctx, input }) => taskHistory(ctx.db, ctx.scope, input)),
});
