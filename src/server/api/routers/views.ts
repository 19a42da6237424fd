import { renameViewInput, saveViewInput, viewIdInput } from "@/lib/validation/views";
import { deleteView, listViews, renameView, saveView } from "@/server/services/views";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/** Saved views of Logs and Jobs: each user's own (an admin's too), links to a page's filter. */
export const viewsRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listViews(ctx.db, ctx.scope)),
  /** Saves the page's filter under a name; the same name on the same page replaces its filter. */
  save: protectedProcedure.input(saveViewInput).mutation(({ ctx, input }) => saveView(ctx.db, ctx.scope, input)),
  rename: protectedProcedure.input(renameViewInput).mutation(({ ctx, input }) => renameView(ctx.db, ctx.scope, input)),
  delete: protectedProcedure.input(viewIdInput).mutation(({ ctx, input }) => deleteView(ctx.db, ctx.scope, input)),
});
