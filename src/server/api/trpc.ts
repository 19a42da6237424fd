import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db, DbEngine } from "@/server/db";
import { databaseTrouble, troubleInWords } from "@/server/db-errors";
import { type Scope } from "@/server/services/scope";
import { ConflictError, InvalidInputError, NotFoundError } from "@/server/errors";
import type { SchedulerEngine } from "@/server/scheduler/engine";
import { metrics } from "@/server/metrics";
import { liveBusFor } from "@/server/live-bus";
import { requestLimits, takePoint, type RequestLimits } from "@/server/limits";
import type { IntegrationSettings } from "@/server/integrations/config";
import { findSessionUser, type SessionUser } from "@/server/services/users";
import type { MicroCache } from "@/server/micro-cache";

/**
 * Context: the database and who is asking. `sessionUserId` comes from the next-auth session
 * (HTTP) or is given directly (tests, through createCaller).
 */
export interface CreateContextOptions {
  db: Db;
  engine: DbEngine;
  sessionUserId: string | null;
  /** The scheduler running in this process, if any (manual triggers start their run through it). */
  scheduler?: SchedulerEngine | null;
  /** Platform endpoints and credentials (which platforms can be connected). */
  integrations?: IntegrationSettings | null;
  /** Per-user limits on changes and reads (defaults to this process's, from RATE_LIMIT_*_PER_MINUTE). */
  limits?: RequestLimits;
  /** How the session's user is read (HTTP: at most once a second per user; tests: every call). */
  findUser?: (db: Db, id: string) => Promise<SessionUser>;
  /** Heavy aggregates shared for a second between a user's concurrent requests (HTTP only). */
  aggregates?: MicroCache<object> | null;
  /** METRICS_TOKEN is set: the metrics are for scrapers with the token and for admins, not for anyone. */
  metricsPrivate?: boolean;
  /**
   * The HTTP request's Origin names another site (src/server/http/origin.ts): every mutation is refused,
   * so another site cannot make a signed-in browser change anything (the session cookie is the only
   * credential /api/trpc accepts, and browsers attach it on their own).
   */
  crossSite?: boolean;
}

export async function createInnerContext(opts: CreateContextOptions) {
  // Re-read the user so a deleted account or a changed role takes effect on the next request.
  const user = opts.sessionUserId ? await (opts.findUser ?? findSessionUser)(opts.db, opts.sessionUserId) : null;
  return {
    db: opts.db,
    engine: opts.engine,
    scheduler: opts.scheduler ?? null,
    integrations: opts.integrations ?? null,
    limits: opts.limits ?? null,
    aggregates: opts.aggregates ?? null,
    metricsPrivate: opts.metricsPrivate ?? false,
    crossSite: opts.crossSite ?? false,
    user,
  };
}

export type Context = Awaited<ReturnType<typeof createInnerContext>>;

/**
 * Zod issues as the message a client shows. Our schemas' messages are written for people ("Keep at
 * least 7 days") and stand alone; zod's own generic ones ("Invalid input: …", "Too small: …") get the
 * field's name in front, so an API caller knows which field it was.
 */
export function zodMessage(error: ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length && ZOD_GENERIC.test(issue.message)
        ? `${issue.path.map(String).join(".")}: ${issue.message}`
        : issue.message,
    )
    .join("; ");
}
const ZOD_GENERIC = /^(Invalid|Too (small|big)|Unrecognized)/;

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Server-sent events (`live.events`): a ping keeps proxies from closing a quiet stream, and a client
  // that hears nothing (not even a ping) for twice as long reconnects.
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 35_000 } },
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    const { stack: _stack, ...data } = shape.data; // never send server stack traces to clients
    return {
      ...shape,
      // An internal error's own message (a driver's, a stack's) is for the log, never for the client.
      message: zodError
        ? zodMessage(zodError)
        : error.code === "INTERNAL_SERVER_ERROR"
          ? "Something went wrong on the server. It has been logged; try again."
          : shape.message,
      data: { ...data, zodError: zodError ? z.flattenError(zodError) : null },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Service errors mapped to tRPC codes in one place. */
const mapServiceErrors = t.middleware(async ({ next, path, type }) => {
  const started = performance.now();
  const result = await next();
  metrics().apiLatency.observe({ procedure: path, type, ok: String(result.ok) }, (performance.now() - started) / 1000);
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof NotFoundError) throw new TRPCError({ code: "NOT_FOUND", message: cause.message, cause });
    if (cause instanceof ConflictError) throw new TRPCError({ code: "CONFLICT", message: cause.message, cause });
    if (cause instanceof InvalidInputError) throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
    if (cause instanceof ZodError) throw new TRPCError({ code: "BAD_REQUEST", message: zodMessage(cause), cause });
    const trouble = result.error.code === "INTERNAL_SERVER_ERROR" ? databaseTrouble(cause) : null;
    if (trouble) {
      throw new TRPCError({
        code: "SERVICE_UNAVAILABLE",
        message: `The database ${troubleInWords(trouble)} right now: nothing was changed. Try again in a moment.`,
        cause,
      });
    }
  }
  return result;
});

/** A mutation sent from another site's page is refused before anything else, signed in or not. */
const refuseCrossSiteMutations = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && ctx.crossSite)
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Cross-site request refused: changes come only from this site's pages",
    });
  return next();
});

export const publicProcedure = t.procedure.use(mapServiceErrors).use(refuseCrossSiteMutations);

/** Who may call something: anyone, a signed-in user, or an administrator. */
export type AccessRule = "public" | "user" | "admin";

/**
 * The one access policy, for tRPC procedures and for route handlers alike (a route handler that
 * changes something, like connecting a platform, is a "mutation" here): signed-out callers are
 * UNAUTHORIZED, a read-only VIEWER may not change anything, only admins pass the admin rule, and
 * changes are rate limited per user. Returns the caller's scope (null for a public call without a user).
 */
export async function enforceAccess(
  ctx: Pick<Context, "user" | "limits">,
  rule: AccessRule,
  type: "query" | "mutation" | "subscription",
): Promise<Scope | null> {
  if (rule === "public" && !ctx.user) return null;
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  if (type === "mutation" && ctx.user.role === "VIEWER") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Your account is read-only: it can look at everything of yours but not change it",
    });
  }
  if (rule === "admin" && ctx.user.role !== "ADMIN")
    throw new TRPCError({ code: "FORBIDDEN", message: "Administrators only" });
  // Every call that needs a user takes a point from that user's limit for its kind (subscriptions count as reads).
  const kind = type === "mutation" ? "mutation" : "query";
  const wait = rule === "public" ? null : await takePoint((ctx.limits ?? requestLimits())[kind], ctx.user.id);
  if (wait !== null) {
    metrics().rateLimited.inc({ kind });
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message:
        kind === "mutation"
          ? `Too many changes in a short time: try again in ${wait} s`
          : `Too many requests in a short time: try again in ${wait} s`,
    });
  }
  return { userId: ctx.user.id, role: ctx.user.role };
}

/**
 * Signed-in users only, through `enforceAccess`: puts the caller's scope on the context and refuses
 * every mutation to a VIEWER, so no mutation can forget the read-only rule.
 */
function withAccess(rule: Exclude<AccessRule, "public">) {
  return publicProcedure.use(async ({ ctx, type, next }) => {
    const scope = (await enforceAccess(ctx, rule, type))!;
    const result = await next({ ctx: { ...ctx, user: ctx.user!, scope } });
    if (type === "mutation") {
      // What a user just changed shows on their next read, not a second later,
      ctx.aggregates?.forget(scope.userId, { prefix: true });
      // and in their other tabs and windows at once (`live.events`).
      if (result.ok) liveBusFor(ctx.db, ctx.engine).publish([{ kind: "changed", userId: scope.userId }]);
    }
    return result;
  });
}

export const protectedProcedure = withAccess("user");

/** A heavy aggregate of the caller's, shared for a second between their concurrent requests when served over HTTP. */
export function cachedAggregate<T extends object>(
  ctx: { aggregates: MicroCache<object> | null; scope: Scope },
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  return ctx.aggregates ? (ctx.aggregates.get(`${ctx.scope.userId}:${key}`, load) as Promise<T>) : load();
}

export const adminProcedure = withAccess("admin");

/**
 * The metrics as JSON (tRPC and the REST facade's /metrics): public like /api/metrics, and like it
 * private once METRICS_TOKEN is set, when only admins read them here (scrapers use the token there).
 */
export const metricsProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  if (ctx.metricsPrivate) await enforceAccess(ctx, "admin", type);
  return next();
});
