import { TRPCError } from "@trpc/server";
import { createHttpContext } from "./http";
import { enforceAccess, type AccessRule, type Context } from "./trpc";
import type { Scope } from "@/server/services/scope";

export type RouteAccess =
  { ok: true; ctx: Context; scope: Scope } | { ok: false; code: TRPCError["code"]; message: string };

/**
 * A route handler's caller, checked by the same access policy as every tRPC procedure
 * (`enforceAccess`): the session from the request's cookie, then the rule. A route that changes
 * something (connecting a platform) passes `"mutation"`, so a read-only viewer is refused there too.
 */
export async function routeAccess(
  req: Request,
  rule: Exclude<AccessRule, "public">,
  type: "query" | "mutation",
): Promise<RouteAccess> {
  const ctx = await createHttpContext({ req });
  try {
    const scope = await enforceAccess(ctx, rule, type);
    return { ok: true, ctx, scope: scope! };
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
