import { env } from "@/server/config/env";
import { auth } from "@/server/auth";
import { database } from "@/server/db";
import { integrations } from "@/server/runtime/integrations";
import { MicroCache } from "@/server/micro-cache";
import { runningScheduler } from "@/server/runtime/scheduler";
import { sessionUserIdFromRequest } from "@/server/session";
import { findSessionUserCached } from "@/server/services/users";
import { hasForeignOrigin } from "@/server/http/origin";
import { createInnerContext } from "./trpc";

// No request waits for a recomputation: after a second the last result is served while one reloads it.
// One per process (on globalThis: every route is bundled apart), so a change made through any route
// (a mutation, a connection's callback) forgets the user's entries for every page.
const holder = globalThis as typeof globalThis & { __aggregates?: MicroCache<object> };
const aggregates = (holder.__aggregates ??= new MicroCache<object>({ ttlMs: 1_000, staleWhileRevalidate: true }));

/**
 * Context for an HTTP request: the session's user id and the process-wide database. API requests
 * read the session cookie directly (decoded once per token); server components, which have no
 * request object here, go through next-auth's `auth()`.
 */
export async function createHttpContext(opts?: { req?: Request }) {
  const sessionUserId = opts?.req ? await sessionUserIdFromRequest(opts.req) : ((await auth())?.user?.id ?? null);
  const { db, engine } = database();
  return createInnerContext({
    db,
    engine,
    sessionUserId,
    findUser: findSessionUserCached,
    aggregates,
    scheduler: await runningScheduler(),
    integrations: await integrations(),
    metricsPrivate: Boolean(env().METRICS_TOKEN),
    crossSite: opts?.req ? hasForeignOrigin(opts.req) : false,
  });
}
