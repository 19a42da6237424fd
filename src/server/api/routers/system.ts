import { env } from "@/server/env";
import { schedulerStatus } from "@/server/services/scheduler";
import { effectiveConfig, metricsJson, systemHealth, systemStatus } from "@/server/services/system";
import { adminProcedure, createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  /** The signed-in user as the API sees them (id, email, name, role). */
  me: protectedProcedure.query(({ ctx }) => ctx.user),
  /** Public: version, environment, database, engine mode, features. */
  status: publicProcedure.query(({ ctx }) => systemStatus(env(), ctx.engine, ctx.scheduler)),
  /** Public: database, scheduler heartbeat, routers. */
  health: publicProcedure.query(({ ctx }) => systemHealth(ctx.db, env(), ctx.scheduler)),
  /** Public: the Prometheus metrics as JSON (no user-specific numbers). */
  metrics: publicProcedure.query(({ ctx }) => metricsJson(ctx.db)),
  /** Admin: the effective configuration, secrets redacted. */
  config: adminProcedure.query(() => effectiveConfig(env())),
  /** This process's engine, the live workers and the all-time counters. */
  scheduler: protectedProcedure.query(({ ctx }) => schedulerStatus(ctx.db, ctx.scheduler)),
});
