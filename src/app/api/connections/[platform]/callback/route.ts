import { NextResponse, type NextRequest } from "next/server";
import { platformInput } from "@/lib/validation/platform";
import { routeAccess } from "@/server/api/route-access";
import { refusedConnection, withError } from "@/server/http/connection-redirects";
import { requestOrigin } from "@/server/http/origin";
import { tokenKeyring } from "@/server/runtime/keyring";
import { env } from "@/server/config/env";
import { integrations } from "@/server/runtime/integrations";
import { completeAuthorization } from "@/server/services/connections";
import { ConflictError } from "@/server/errors";

export const dynamic = "force-dynamic";

/**
 * The provider's redirect back: verify the state, exchange the code, store the connection, provision
 * its tasks. The same access policy as a mutation: a viewer (or anyone signed out) is refused before anything is stored.
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
  const query = request.nextUrl.searchParams;
  try {
    await completeAuthorization(
      access.ctx.db,
      access.ctx.integrations ?? (await integrations()),
      tokenKeyring(),
      {
        userId: access.scope.userId,
        platform,
        code: query.get("code"),
        state: query.get("state"),
        error: query.get("error"),
        cookie: request.cookies.get(`oauth_state_${platform}`)?.value,
        redirectUri: new URL(`/api/connections/${platform.toLowerCase()}/callback`, origin).toString(),
        secret: env().AUTH_SECRET,
      },
      access.ctx.scheduler, // the service wakes it: the new tasks are due now
    );
    access.ctx.aggregates?.forget(access.scope.userId, { prefix: true }); // the overview shows the new connection at once
    back.searchParams.set("connected", platform);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    withError(back, error.message);
  }
  const response = NextResponse.redirect(back);
  response.cookies.delete({ name: `oauth_state_${platform}`, path: "/api/connections" });
  return response;
}
