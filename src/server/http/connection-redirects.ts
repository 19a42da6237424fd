import { NextResponse } from "next/server";
import type { RouteAccess } from "@/server/api/route-access";

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
  const back = new URL("/dashboard/connections", origin);
  back.searchParams.set(
    "error",
    access.code === "FORBIDDEN"
      ? "Your account is read-only: it cannot connect or disconnect platforms."
      : access.message,
  );
  return NextResponse.redirect(back, 303);
}
