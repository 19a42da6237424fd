import type { NextRequest } from "next/server";
import { database } from "@/server/db";
import { env } from "@/server/config/env";
import { handleFacade } from "@/server/rest/facade";
import { runningScheduler } from "@/server/runtime/scheduler";
import { sessionUserIdFromRequest } from "@/server/session";
import { userForApiToken } from "@/server/services/api-tokens";

export const dynamic = "force-dynamic";

/** The original REST API (`/api/scheduler/*`), as a facade over the same services as tRPC. */
async function handler(request: NextRequest, { params }: { params: Promise<{ path: string[] }> }) {
  const { db, engine } = database();
  return handleFacade(request, `/${(await params).path.join("/")}`, {
    db,
    engine,
    env: env(),
    scheduler: await runningScheduler(),
    sessionUserId: () => sessionUserIdFromRequest(request),
    tokenUserId: (token) => userForApiToken(db, token),
  });
}

export { handler as GET, handler as POST };
