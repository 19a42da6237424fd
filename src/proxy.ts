import { NextResponse, type NextRequest } from "next/server";
import { hasForeignOrigin } from "@/server/http/origin";

/** Methods that only read: every other one sent to a page is a server action (sign-in, sign-up, ...). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A Content Security Policy with a fresh nonce for every page: Next.js puts the nonce on its own
 * inline and chunk scripts, and 'strict-dynamic' lets those load the rest, so no other script runs
 * (no 'unsafe-inline' for scripts). Styles keep 'unsafe-inline': the chart and toast libraries set
 * style attributes. API routes pass through untouched; only those with a "%" in the path come here at
 * all, to be checked for a broken encoding.
 *
 * A POST to a page from another site's Origin (a server action, such as sign-up, posted cross-site) is
 * refused here with 403: Next's own check would refuse it too, but by throwing, which answered 500.
 */
export function proxy(request: NextRequest) {
  // A path whose percent-encoding is broken ("%ZZ", a lone "%", an encoded surrogate) names nothing:
  // 400 here, before authentication (so also for the signed-out) and before Next's own decoding, which
  // answered 500.
  if (!decodesCleanly(request.nextUrl.pathname)) {
    return request.nextUrl.pathname.startsWith("/api/")
      ? NextResponse.json({ detail: "The path is not valid percent-encoded UTF-8" }, { status: 400 })
      : new NextResponse("Bad request: the address is not valid\n", {
          status: 400,
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
  }
  // API routes answer JSON under their own rules (origin checks included): no page headers for them.
  if (request.nextUrl.pathname.startsWith("/api/")) return NextResponse.next();
  if (!SAFE_METHODS.has(request.method) && hasForeignOrigin(request)) {
    return new NextResponse("Cross-site request refused\n", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV !== "production");
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  // The page asked for, so a sign-in redirect can come back to it (filters included).
  headers.set("x-request-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

function decodesCleanly(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    // next dev evaluates modules with eval for fast refresh; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Sign-in with GitHub or Google posts a form that redirects to the provider.
    "form-action 'self' https://github.com https://accounts.google.com",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const config = {
  matcher: [
    // API paths only when they hold a percent sign (the malformed-encoding check); others skip the proxy.
    "/api/:rest(.*%.*)",
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|apple-touch-icon.png|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
