import type { NextRequest } from "next/server";

/** The first value of a header a chain of proxies may have appended to ("a, b"): the one the client sent. */
function firstValue(value: string | null): string | null {
  const first = value?.split(",")[0]?.trim();
  return first ? first : null;
}

/**
 * The host the browser used: `X-Forwarded-Host` (its first value) when a proxy set it, else `Host`. This is
 * the host Next's own server-action check compares the Origin with.
 */
export function requestHost(request: Pick<NextRequest, "headers">): string | null {
  return firstValue(request.headers.get("x-forwarded-host")) ?? firstValue(request.headers.get("host"));
}

/**
 * The origin the browser used, from the Host (or X-Forwarded-*) headers: Next's `nextUrl.origin`
 * can name the bind address instead (localhost for 127.0.0.1), and an OAuth redirect to another
 * host than the one holding the session cookie would arrive signed out.
 */
export function requestOrigin(request: NextRequest): string {
  const host = requestHost(request);
  const proto = firstValue(request.headers.get("x-forwarded-proto")) ?? request.nextUrl.protocol.replace(/:$/, "");
  return host ? `${proto}://${host}` : request.nextUrl.origin;
}

/**
 * Whether a request's `Origin` names another site than the one it was sent to (by host, as Next's
 * server-action check compares): a foreign, opaque (`null`) or malformed Origin is foreign. A request
 * without Origin is not: browsers send it with every POST, so only a hand-made request lacks it, and that
 * carries no one's cookies but its author's.
 */
export function hasForeignOrigin(request: Pick<NextRequest, "headers">): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  const host = requestHost(request);
  if (!host || origin === "null") return true;
  try {
    return new URL(origin).host.toLowerCase() !== host.toLowerCase();
  } catch {
    return true;
  }
}
