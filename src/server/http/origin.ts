import type { NextRequest } from "next/server";

/**
 * The origin the browser used, from the Host (or X-Forwarded-*) headers: Next's `nextUrl.origin`
 * can name the bind address instead (localhost for 127.0.0.1), and an OAuth redirect to another
 * host than the one holding the session cookie would arrive signed out.
 */
export function requestOrigin(request: NextRequest): string {
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const proto = request.headers.get("x-forwarded-proto") ?? request.nextUrl.protocol.replace(/:$/, "");
  return host ? `${proto}://${host}` : request.nextUrl.origin;
}
