import { database } from "@/server/db";
import { env } from "@/server/env";
import { runningScheduler } from "@/server/scheduler/runtime";
import { systemHealth } from "@/server/services/system";

export const dynamic = "force-dynamic";

/**
 * For probes and load balancers: 200 while the instance can serve (ok or degraded), 503 when the
 * database is down. No user data, no auth.
 */
export async function GET() {
  const health = await systemHealth(database().db, env(), await runningScheduler());
  return Response.json(health, { status: health.status === "down" ? 503 : 200 });
}
