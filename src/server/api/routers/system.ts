import { createApiTokenInput, setRoleInput, tokenIdInput } from "@/lib/validation/system";
import { listUsers, setRole } from "@/server/services/users";
import { env } from "@/server/config/env";
import { createApiToken, listApiTokens, revokeApiToken } from "@/server/services/api-tokens";
import { schedulerStatus } from "@/server/services/scheduler";
import { effectiveConfig, metricsJson, systemHealth, systemStatus } from "@/server/services/system";
import { adminProcedure, createTRPCRouter, metricsProcedure, protectedProcedure, publicProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  /** The signed-in user as the API sees them (id, email, name, role). */
  me: protectedProcedure.query(({ ctx }) => ctx.user),
  /** Public: version, environment, database, engine mode, features. */
  status: publicProcedure.query(({ ctx }) => systemStatus(env(), ctx.engine, ctx.scheduler)),
  /** Public: database, scheduler heartbeat, routers. */
  health: publicProcedure.query(({ ctx }) => systemHealth(ctx.db, env(), ctx.scheduler)),
  /** The Prometheus metrics as JSON (no user-specific numbers): public, admins only once METRICS_TOKEN is set. */
  metrics: metricsProcedure.query(({ ctx }) => metricsJson(ctx.db)),
  /** Admin: the effective configuration, secrets redacted. */
  config: adminProcedure.query(() => effectiveConfig(env())),
  /** Admin: users and their roles. */
  users: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
    setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => setRole(ctx.db, ctx.scope.userId, input)),
  }),
  /** Personal API tokens for the REST facade (the plain token is shown once, at creation). */
  apiTokens: createTRPCRouter({
    list: protectedProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.scope)),
    create: protectedProcedure
      .input(createApiTokenInput)
      .mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.scope, input)),
    revoke: protectedProcedure
      .input(tokenIdInput)
      .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.scope, input)),
  }),
  /** This process's engine, the live workers and the all-time counters. */
  scheduler: protectedProcedure.query(({ ctx }) => schedulerStatus(ctx.db, ctx.scheduler)),
});
