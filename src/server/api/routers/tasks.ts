import { setPausedInput } from "@/lib/validation/tasks";
import { listTasks, setPaused } from "@/server/services/tasks";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const tasksRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listTasks(ctx.db, ctx.scope)),
  setPaused: protectedProcedure.input(setPausedInput).mutation(({ ctx, input }) => setPaused(ctx.db, ctx.scope, input)),
});
