import { auth } from "@/server/auth";
import { database } from "@/server/db";
import { integrations } from "@/server/integrations/runtime";
import { runningScheduler } from "@/server/scheduler/runtime";
import { createInnerContext } from "./trpc";

/** Context for an HTTP request: the next-auth session's user id and the process-wide database. */
export async function createHttpContext() {
  const session = await auth();
  const { db, engine } = database();
  return createInnerContext({ db, engine, sessionUserId: session?.user?.id ?? null, scheduler: await runningScheduler(), integrations: await integrations() });
}
