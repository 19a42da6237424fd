import { createCallerFactory, createInnerContext, enforceAccess, type Context } from "@/server/api/trpc";
import { servedRouter } from "@/server/api/root";
import { features, type Env } from "@/server/config/env";
import type { Db, DbEngine } from "@/server/db";
import type { SchedulerEngine } from "@/server/scheduler/engine";
import { checkPathParams, errorResponse, type Caller } from "./http";
import { matchRoute, ROUTES } from "./router";

/**
 * The original REST API (`/api/scheduler/*`), as thin adapters over the tRPC procedures: each request
 * is authenticated (a Bearer API token or the session cookie), a tRPC caller is made from the same
 * context `/api/trpc` builds, the route calls its procedures (whose middleware enforces who may do
 * what) and answers in the original's JSON shapes; errors are `{detail}` with the original's statuses.
 * A `{user_id}` or task id that is not the caller's is 404, not the original's 403, so ids cannot be
 * enumerated.
 */

export { ROUTES };
export type { RestRoute } from "./http";

/** How a request's user is found: its session cookie, or its Bearer API token. */
export interface RequestAuth {
  /** The signed-in user's id from the session cookie, if any. */
  sessionUserId: () => Promise<string | null>;
  /** The user of a Bearer API token, if it is a valid one. */
  tokenUserId: (token: string) => Promise<string | null>;
}

/**
 * Either a context builder (the app passes the one `/api/trpc` uses), or the parts of a plain inner
 * context (tests).
 */
export type ContextSource =
  | { createContext: (userId: string | null) => Promise<Context> }
  | { db: Db; engine: DbEngine; scheduler: SchedulerEngine | null; createContext?: undefined };

export type FacadeDeps = RequestAuth & { env: Env } & ContextSource;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

/** Whether the request's Origin (or Referer) is this site, as the client reached it (through a proxy too). */
function sameSite(request: Request): boolean {
  const source = request.headers.get("origin") ?? request.headers.get("referer");
  if (!source || source === "null") return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}

/** One caller factory per set of mounted features (a switched-off feature's procedures are not served). */
const factories = new Map<string, ReturnType<typeof createCallerFactory>>();
function callerFor(env: Env, ctx: Context): Caller {
  const enabled = features(env);
  const key = JSON.stringify(enabled);
  let factory = factories.get(key);
  if (!factory) factories.set(key, (factory = createCallerFactory(servedRouter(enabled))));
  return factory(ctx) as Caller;
}

function bearerToken(request: Request): string | null {
  const authorization = request.headers.get("authorization");
  return authorization?.toLowerCase().startsWith("bearer ") ? authorization.slice(7).trim() : null;
}

/**
 * Who sends a request: the user of its `Authorization: Bearer sdk_…` token, or else of its session
 * cookie. An Authorization header that is not a valid token is nobody (never the cookie's user), and
 * `bearer` says so, for the 401's wording. The REST facade and the exports (`export.ts`) authenticate here.
 */
export async function requestUser(
  request: Request,
  deps: RequestAuth,
): Promise<{ userId: string | null; bearer: boolean }> {
  const token = bearerToken(request);
  const bearer = request.headers.has("authorization");
  const userId = token !== null ? await deps.tokenUserId(token) : bearer ? null : await deps.sessionUserId();
  return { userId, bearer };
}

/** The tRPC context of that user, as `/api/trpc` builds it (or a plain inner context in tests). */
export function contextFor(userId: string | null, deps: ContextSource): Promise<Context> {
  return deps.createContext
    ? deps.createContext(userId)
    : createInnerContext({ db: deps.db, engine: deps.engine, scheduler: deps.scheduler, sessionUserId: userId });
}

/** Serves one `/api/scheduler{subPath}` request: route, authenticate, call the procedures, answer. */
export async function handleFacade(request: Request, subPath: string, deps: FacadeDeps): Promise<Response> {
  const match = matchRoute(request.method, subPath, deps.env);
  if (match.kind === "bad-path") return json(400, { detail: "Malformed percent-encoding in the path" });
  if (match.kind === "not-found") return json(404, { detail: "Not Found" });
  if (match.kind === "method-not-allowed")
    return json(405, { detail: "Method Not Allowed" }, { allow: match.allow.join(", ") });
  const { route, params } = match;

  const { userId, bearer } = await requestUser(request, deps);
  // A POST carried by the session cookie must come from this site: browsers send Origin (or at least
  // Referer) with a POST, so another site cannot make a signed-in browser trigger work. API tokens are
  // never attached by a browser on its own, so token requests need no such check.
  if (request.method === "POST" && userId && !bearer && !sameSite(request))
    return json(403, { detail: "Cross-site request refused" });

  let body: unknown = undefined;
  if (request.method === "POST") {
    const text = await request.text();
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        return json(422, { detail: [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }] });
      }
    }
  }

  try {
    const ctx = await contextFor(userId, deps);
    // Signed out (or an unknown token) on a path that needs a user: 401 before anything is validated.
    if (route.access !== "public") await enforceAccess(ctx, "user", "query");
    // A NUL or a lone surrogate half in an id is a 422, not the database's 500 (PostgreSQL refuses a NUL).
    checkPathParams(params);
    const result = await route.handle({
      caller: callerFor(deps.env, ctx),
      ctx,
      env: deps.env,
      params,
      query: new URL(request.url).searchParams,
      body,
      routes: ROUTES,
      now: new Date(),
    });
    return json(200, result);
  } catch (error) {
    return errorResponse(error, { bearer, path: route.path });
  }
}
