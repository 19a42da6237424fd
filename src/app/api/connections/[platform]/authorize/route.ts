import { NextResponse, type NextRequest } from "next/server";
import { platformInput } from "@/lib/validation/platform";
import { routeAccess } from "@/server/api/route-access";
import { requestOrigin } from "@/server/http/origin";
import { env } from "@/server/config/env";
import { integrations } from "@/server/runtime/integrations";
import { refusedConnection, withError } from "@/server/http/connection-redirects";
import { startAuthorization } from "@/server/services/connections";
import { ConflictError } from "@/server/errors";

export const dynamic = "force-dynamic";

/**
 * Starts the OAuth authorization-code flow: a signed state cookie, then the provider's consent page.
 * Connecting changes the account, so it passes the same access policy as a mutation (no viewer).
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ platform: string }> }) {
  const origin = requestOrigin(request);
  const back = new URL("/dashboard/connections", origin);
  const access = await routeAccess(request, "user", "mutation");
  if (!access.ok) return refusedConnection(access, origin);
  const parsed = platformInput.safeParse({ platform: (await params).platform.toUpperCase() });
  if (!parsed.success) {
    withError(back, "Unknown platform");
    return NextResponse.redirect(back);
  }
  const { platform } = parsed.data;
  const redirectUri = new URL(`/api/connections/${platform.toLowerCase()}/callback`, origin).toString();
  try {
    const { url, cookie } = startAuthorization(
      await integrations(),
      access.scope.userId,
      platform,
      redirectUri,
      env().AUTH_SECRET,
    );
    const response = NextResponse.redirect(url);
    response.cookies.set(`oauth_state_${platform}`, cookie, {
      httpOnly: true,
      sameSite: "lax",
      secure: request.nextUrl.protocol === "https:",
      path: "/api/connections",
      maxAge: 600,
    });
    return response;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    withError(back, error.message);
    return NextResponse.redirect(back);
  }
}
