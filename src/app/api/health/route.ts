import { database } from "@/server/db";
import { env } from "@/server/config/env";
import { runningScheduler } from "@/server/runtime/scheduler";
import { healthResponse } from "@/server/services/system";
import { isDraining } from "@/server/runtime/shutdown";

export const dynamic = "force-dynamic";

/** For probes and load balancers: 200 (ok or degraded) or 503 (database down, or draining). No user data, no auth. */
export async function GET() {
  // Shutting down: still serving, but a balancer should send new requests elsewhere.
  if (isDraining()) return Response.json({ status: "draining" }, { status: 503 });
  return healthResponse(database().db, env(), await runningScheduler());
}
