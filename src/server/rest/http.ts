import { TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import type { createCaller } from "@/server/api/root";
import { enforceAccess, type AccessRule, type Context } from "@/server/api/trpc";
import type { Env, Feature } from "@/server/config/env";
import { NotFoundError } from "@/server/errors";
import { logger } from "@/server/logger";

/**
 * What every `/api/scheduler/*` adapter is built from: the request's parts, and a tRPC caller made from
 * the same context `/api/trpc` builds, so the procedures' middleware decides who may do what (signed
 * out, read-only viewer, admin, rate limit) and which rows they see. Nothing here reads the database.
 */

export type Caller = ReturnType<typeof createCaller>;

export interface RestRequest {
  caller: Caller;
  /** The caller's context (its user), for the one check the REST paths add: a `{user_id}` must be theirs. */
  ctx: Context;
  env: Env;
  /** Path parameters, percent-decoded. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The JSON body of a POST (undefined when there is none). */
  body: unknown;
  /** The whole route table (the system paths count and describe it). */
  routes: readonly RestRoute[];
  now: Date;
}

export interface RestRoute {
  method: "GET" | "POST";
  /** Under /api/scheduler, with `{param}` placeholders. */
  path: string;
  summary: string;
  /** More for the OpenAPI document: deliberate differences from the original. */
  description?: string;
  /** The SCHEDULER_ENABLE_* feature that mounts it; null: always served. */
  feature: Feature | null;
  /**
   * Who may call it, as the procedures it calls enforce it (documentation, the OpenAPI document and the
   * authorization matrix; the adapters themselves decide nothing).
   */
  access: AccessRule;
  /** The tRPC procedures it calls. */
  procedures: readonly string[];
  /** Query parameters: name → description, for the OpenAPI document. */
  query?: Readonly<Record<string, string>>;
  handle: (req: RestRequest) => Promise<unknown>;
}

/** An answer other than 200: `body` is sent as is (`{detail}` unless a route says otherwise). */
export class HttpError extends Error {
  readonly body: unknown;
  constructor(
    readonly status: number,
    body: string | object,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "string" ? body : `HTTP ${status}`);
    this.body = typeof body === "string" ? { detail: body } : body;
  }
}

/** FastAPI's own 422 body, as the original answered a query, path or body value it could not validate. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}
export function validationError(issues: ValidationIssue[]): HttpError {
  return new HttpError(422, { detail: issues });
}

/**
 * Whether a path or query value can be stored, or looked for, in the database: PostgreSQL refuses a NUL
 * character in text ("invalid byte sequence for encoding UTF8: 0x00"), and no database takes a lone
 * surrogate half. No id, name or value of this API holds either, so such a value is a 422 naming where it
 * was, never a 500 from the database.
 */
const storable = (value: string) => value.isWellFormed() && !value.includes("\u0000");
const UNSTORABLE = "String should not contain a NUL character or a lone surrogate";

/** The path parameters, each storable text, or a 422 naming the ones that are not (`loc: ["path", name]`). */
export function checkPathParams(params: Readonly<Record<string, string>>): void {
  const broken = Object.keys(params).filter((name) => !storable(params[name]!));
  if (broken.length)
    throw validationError(broken.map((name) => ({ loc: ["path", name], msg: UNSTORABLE, type: "value_error" })));
}

/**
 * Query parameters validated like the original's `Query(...)` declarations: a value outside its bounds or
 * pattern, or text that cannot be stored, is a 422 naming the parameter (`loc: ["query", name]`).
 */
export function parseQuery<T extends z.ZodRawShape>(query: URLSearchParams, shape: T): z.infer<z.ZodObject<T>> {
  const values = Object.fromEntries(query.entries());
  const broken = Object.keys(shape).filter((name) => Object.hasOwn(values, name) && !storable(values[name]!));
  if (broken.length)
    throw validationError(broken.map((name) => ({ loc: ["query", name], msg: UNSTORABLE, type: "value_error" })));
  const result = z.object(shape).safeParse(values);
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.map((issue) => ({
      loc: ["query", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
      msg: issue.message,
      type: issue.code === "custom" ? "value_error" : `value_error.${issue.code}`,
    })),
  );
}

/** An integer query parameter (FastAPI `int` with `ge`/`le`), its bounds in the message; optional. */
export function intParam(min: number, max: number) {
  return z.coerce
    .number({ error: "Input should be a valid integer" })
    .int("Input should be a valid integer")
    .min(min, `Input should be greater than or equal to ${min}`)
    .max(max, `Input should be less than or equal to ${max}`);
}

/** An integer query parameter with its default. */
export const intParamOr = (min: number, max: number, fallback: number) => intParam(min, max).default(fallback);

/** A boolean query parameter as FastAPI reads one (true/false, 1/0, yes/no, on/off). */
export const boolParam = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { error: "Input should be a valid boolean" })
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

/** Body fields of a POST merged over its query string, so either carries the parameters. */
export function paramsOf(req: Pick<RestRequest, "query" | "body">): URLSearchParams {
  const merged = new URLSearchParams(req.query);
  if (req.body && typeof req.body === "object" && !Array.isArray(req.body))
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>))
      if (v !== undefined && v !== null && typeof v !== "object") merged.set(k, String(v));
  return merged;
}

/**
 * The `{user_id}` of the path must be the caller's. Another user's id answers 404, exactly like an id that
 * does not exist, so ids cannot be enumerated (the original answered 403 "Access denied"). Whoever may not
 * make the call at all is told first, by the one access policy: signed out 401, a viewer's change 403.
 */
export async function ownUserPath(req: RestRequest, type: "query" | "mutation"): Promise<string> {
  const me = req.ctx.user;
  if (me && req.params.user_id === me.id) return me.id;
  await enforceAccess(req.ctx, "user", type);
  throw new HttpError(404, "Not found");
}

/** HTTP status of each tRPC error code the procedures throw; anything else is a 500 without details. */
const STATUS: Partial<Record<TRPCError["code"], number>> = {
  BAD_REQUEST: 422, // a value the procedure's input refused: FastAPI's validation status
  PARSE_ERROR: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  TIMEOUT: 408,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  CLIENT_CLOSED_REQUEST: 499,
  SERVICE_UNAVAILABLE: 503,
};

/** An error of an adapter (or of a procedure it called) as the original's `{detail}` answer. */
export function errorResponse(error: unknown, options: { bearer: boolean; path: string }): Response {
  if (error instanceof HttpError) return Response.json(error.body, { status: error.status, headers: error.headers });
  if (error instanceof TRPCError) {
    const status = STATUS[error.code];
    if (status === undefined) return internalError(error.cause ?? error, options.path);
    if (error.code === "UNAUTHORIZED")
      return Response.json(
        { detail: options.bearer ? "Invalid or revoked API token" : "Not authenticated" },
        { status, headers: { "www-authenticate": "Bearer" } },
      );
    if (error.code === "NOT_FOUND")
      // A service's "Task not found"; a procedure a switched-off feature does not serve is just not there.
      return Response.json(
        { detail: error.cause instanceof NotFoundError ? error.cause.message : "Not Found" },
        { status },
      );
    if (status === 422) return Response.json({ detail: bodyIssues(error) }, { status });
    if (error.code === "TOO_MANY_REQUESTS") {
      const wait = /(\d+)\s*s\b/.exec(error.message)?.[1];
      return Response.json({ detail: error.message }, { status, headers: wait ? { "retry-after": wait } : {} });
    }
    return Response.json({ detail: error.message }, { status });
  }
  return internalError(error, options.path);
}

/** A procedure's input refused: each zod issue as a FastAPI body issue (the message is written for people). */
function bodyIssues(error: TRPCError): ValidationIssue[] {
  if (error.cause instanceof ZodError && error.cause.issues.length)
    return error.cause.issues.map((issue) => ({
      loc: ["body", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
      msg: issue.message,
      type: "value_error",
    }));
  return [{ loc: ["body"], msg: error.message, type: "value_error" }];
}

function internalError(error: unknown, path: string): Response {
  logger.error(
    { path, error: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
    "REST facade: unexpected error",
  );
  return Response.json({ detail: "Internal Server Error" }, { status: 500 });
}

/** The most rows one procedure call returns; a larger REST `limit` is served in several pages. */
const PAGE_MAX = 200;

/**
 * `limit` rows from `offset` on, through a procedure's keyset pages: the first call skips `offset` rows
 * (and counts, when asked), the next ones follow its cursor.
 */
export async function collectPages<P extends { items: unknown[]; nextCursor: number | null }>(
  limit: number,
  offset: number,
  load: (page: { limit: number; cursor?: number; offset?: number; first: boolean }) => Promise<P>,
): Promise<{ first: P; items: P["items"]; hasMore: boolean }> {
  const first = await load({ limit: Math.min(limit, PAGE_MAX), offset, first: true });
  const items: P["items"] = [...first.items];
  let cursor = first.nextCursor;
  while (cursor !== null && items.length < limit) {
    const next = await load({ limit: Math.min(limit - items.length, PAGE_MAX), cursor, first: false });
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  return { first, items, hasMore: cursor !== null };
}
