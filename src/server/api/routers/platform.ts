import { listConnections } from "@/server/services/connections";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const platformRouter = createTRPCRouter({
  connections: protectedProcedure.query(({ ctx }) => listConnections(ctx.db, ctx.scope)),
});
