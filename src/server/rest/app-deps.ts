import { createHttpContext } from "@/server/api/http";
import type { Context } from "@/server/api/trpc";
import { env } from "@/server/config/env";
import { userForApiToken } from "@/server/services/api-tokens";
import { findSessionUserCached } from "@/server/services/users";
import type { FacadeDeps } from "./facade";

/**
 * How the app's route handlers outside tRPC (`/api/scheduler/*`, `/api/export/*`) know their caller: the
 * context `/api/trpc` builds for this request (its session cookie), built once; with a Bearer API token,
 * the token's user takes the session's place in that context.
 */
export function appFacadeDeps(request: Request): FacadeDeps {
  let http: Promise<Context> | undefined;
  const httpContext = () => (http ??= createHttpContext({ req: request }));
  return {
    env: env(),
    sessionUserId: async () => (await httpContext()).user?.id ?? null,
    tokenUserId: async (token) => userForApiToken((await httpContext()).db, token),
    createContext: async (userId) => {
      const ctx = await httpContext();
      if ((ctx.user?.id ?? null) === userId) return ctx;
      return { ...ctx, user: userId ? await findSessionUserCached(ctx.db, userId) : null };
    },
  };
}
