import { listTasks } from "@/server/services/tasks";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const tasksRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listTasks(ctx.db, ctx.scope)),
});
