import { createTRPCRouter, protectedProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  /** The signed-in user as the API sees them (id, email, name, role). */
  me: protectedProcedure.query(({ ctx }) => ctx.user),
});
