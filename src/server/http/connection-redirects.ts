import { createHmac, timingSafeEqual } from "node:crypto";
import { NextResponse } from "next/server";
import type { RouteAccess } from "@/server/api/route-access";
import { env } from "@/server/config/env";

const signature = (message: string) =>
  createHmac("sha256", env().AUTH_SECRET).update(`connection-error:${message}`).digest("base64url");

/**
 * Puts a reason on the way back to Connections, signed: the page shows only a reason this server wrote,
 * so a link cannot make the page display text of a stranger's choosing ("call this number").
 */
export function withError(url: URL, message: string): URL {
  url.searchParams.set("error", message);
  url.searchParams.set("sig", signature(message));
  return url;
}

/** The reason of a way back to Connections when this server wrote it, else null. */
export function verifiedError(message: unknown, sig: unknown): string | null {
  if (typeof message !== "string" || typeof sig !== "string") return null;
  const expected = Buffer.from(signature(message));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given) ? message : null;
}

/**
 * Where a refused connect or callback request goes: signed-out callers to sign-in (and back to
 * Connections afterwards), everyone else back to Connections with the reason in words.
 */
export function refusedConnection(access: Extract<RouteAccess, { ok: false }>, origin: string) {
  if (access.code === "UNAUTHORIZED")
    return NextResponse.redirect(
      new URL(`/signin?callbackUrl=${encodeURIComponent("/dashboard/connections")}`, origin),
      303,
    );
  const back = withError(
    new URL("/dashboard/connections", origin),
    access.code === "FORBIDDEN"
      ? "Your account is read-only: it cannot connect or disconnect platforms."
      : access.message,
  );
  return NextResponse.redirect(back, 303);
}
