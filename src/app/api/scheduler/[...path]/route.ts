import type { NextRequest } from "next/server";
import { createHttpContext } from "@/server/api/http";
import type { Context } from "@/server/api/trpc";
import { env } from "@/server/config/env";
import { handleFacade } from "@/server/rest/facade";
import { userForApiToken } from "@/server/services/api-tokens";
import { findSessionUserCached } from "@/server/services/users";

export const dynamic = "force-dynamic";

const PREFIX = "/api/scheduler";

/**
 * The original REST API (`/api/scheduler/*`): thin adapters over the tRPC procedures, called with the
 * context `/api/trpc` builds for this request. With a Bearer API token, the token's user takes the
 * session's place in that context.
 */
async function handler(request: NextRequest) {
  // The raw path (still percent-encoded): the facade decodes each segment and answers 400 to a malformed one.
  const pathname = new URL(request.url).pathname;
  const subPath = pathname.slice(pathname.indexOf(PREFIX) + PREFIX.length);
  let http: Promise<Context> | undefined;
  const httpContext = () => (http ??= createHttpContext({ req: request }));
  return handleFacade(request, subPath, {
    env: env(),
    sessionUserId: async () => (await httpContext()).user?.id ?? null,
    tokenUserId: async (token) => userForApiToken((await httpContext()).db, token),
    createContext: async (userId) => {
      const ctx = await httpContext();
      if ((ctx.user?.id ?? null) === userId) return ctx;
      return { ...ctx, user: userId ? await findSessionUserCached(ctx.db, userId) : null };
    },
  });
}

// Every method reaches the facade, so another one than a path serves is its JSON 405 with `Allow`.
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
