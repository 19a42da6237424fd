import { schedulerStatus } from "@/server/services/scheduler";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  /** The signed-in user as the API sees them (id, email, name, role). */
  me: protectedProcedure.query(({ ctx }) => ctx.user),
  /** This process's engine, the live workers and the all-time counters. */
  scheduler: protectedProcedure.query(({ ctx }) => schedulerStatus(ctx.db, ctx.scheduler)),
});
