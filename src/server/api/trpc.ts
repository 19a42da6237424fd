import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db, DbEngine } from "@/server/db";
import { databaseTrouble, troubleInWords } from "@/server/db-errors";
import { ConflictError, NotFoundError, type Scope } from "@/server/services/scope";
import type { SchedulerEngine } from "@/server/scheduler/engine";
import { metrics } from "@/server/metrics";
import { mutationLimiter, takeMutationPoint, type MutationLimiter } from "@/server/rate-limit";
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
  /** Per-user mutation rate limit (defaults to this process's, from RATE_LIMIT_MUTATIONS_PER_MINUTE). */
  mutationLimiter?: MutationLimiter;
  /** How the session's user is read (HTTP: at most once a second per user; tests: every call). */
  findUser?: (db: Db, id: string) => Promise<SessionUser>;
  /** Heavy aggregates shared for a second between a user's concurrent requests (HTTP only). */
  aggregates?: MicroCache<object> | null;
}

export async function createInnerContext(opts: CreateContextOptions) {
  // Re-read the user so a deleted account or a changed role takes effect on the next request.
  const user = opts.sessionUserId ? await (opts.findUser ?? findSessionUser)(opts.db, opts.sessionUserId) : null;
  return {
    db: opts.db,
    engine: opts.engine,
    scheduler: opts.scheduler ?? null,
    integrations: opts.integrations ?? null,
    mutationLimiter: opts.mutationLimiter ?? null,
    aggregates: opts.aggregates ?? null,
    user,
  };
}

export type Context = Awaited<ReturnType<typeof createInnerContext>>;

/** Zod issues as "field: message" lines, the message a client shows. */
function zodMessage(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    const { stack: _stack, ...data } = shape.data; // never send server stack traces to clients
    return {
      ...shape,
      message: zodError ? zodMessage(zodError) : shape.message,
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
    if (cause instanceof ZodError) throw new TRPCError({ code: "BAD_REQUEST", message: zodMessage(cause), cause });
    const trouble = result.error.code === "INTERNAL_SERVER_ERROR" ? databaseTrouble(cause) : null;
    if (trouble) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: `The database ${troubleInWords(trouble)} right now: nothing was changed. Try again in a moment.`, cause });
    }
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapServiceErrors);

/**
 * Signed-in users only. Puts the caller's scope on the context, and refuses every mutation to a
 * VIEWER here, so no mutation can forget the read-only rule.
 */
export const protectedProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  if (type === "mutation" && ctx.user.role === "VIEWER") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Your account is read-only" });
  }
  if (type === "mutation") {
    const wait = await takeMutationPoint(ctx.mutationLimiter ?? mutationLimiter(), ctx.user.id);
    if (wait !== null) {
      metrics().rateLimited.inc();
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many changes in a short time: try again in ${wait} s` });
    }
  }
  const scope: Scope = { userId: ctx.user.id, role: ctx.user.role };
  const result = await next({ ctx: { ...ctx, user: ctx.user, scope } });
  // What a user just changed shows on their next read, not a second later.
  if (type === "mutation") ctx.aggregates?.forget(ctx.user.id, { prefix: true });
  return result;
});

/** A heavy aggregate of the caller's, shared for a second between their concurrent requests when served over HTTP. */
export function cachedAggregate<T extends object>(ctx: { aggregates: MicroCache<object> | null; scope: Scope }, key: string, load: () => Promise<T>): Promise<T> {
  return ctx.aggregates ? (ctx.aggregates.get(`${ctx.scope.userId}:${key}`, load) as Promise<T>) : load();
}

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "ADMIN") throw new TRPCError({ code: "FORBIDDEN", message: "Administrators only" });
  return next();
});
