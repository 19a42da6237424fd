import { NextResponse, type NextRequest } from "next/server";
import { hasForeignOrigin } from "@/server/http/origin";

/** Methods that only read: every other one sent to a page is a server action (sign-in, sign-up, ...). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A Content Security Policy with a fresh nonce for every page: Next.js puts the nonce on its own
 * inline and chunk scripts, and 'strict-dynamic' lets those load the rest, so no other script runs
 * (no 'unsafe-inline' for scripts). Styles keep 'unsafe-inline': the chart and toast libraries set
 * style attributes. API routes answer JSON and are not matched.
 *
 * A POST to a page from another site's Origin (a server action, such as sign-up, posted cross-site) is
 * refused here with 403: Next's own check would refuse it too, but by throwing, which answered 500.
 */
export function proxy(request: NextRequest) {
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
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|apple-touch-icon.png|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
