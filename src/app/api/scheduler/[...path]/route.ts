import type { NextRequest } from "next/server";
import { appFacadeDeps } from "@/server/rest/app-deps";
import { handleFacade } from "@/server/rest/facade";

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
  return handleFacade(request, subPath, appFacadeDeps(request));
}

// Every method reaches the facade, so another one than a path serves is its JSON 405 with `Allow`.
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
