import { database } from "@/server/db";
import { env } from "@/server/env";
import { runningScheduler } from "@/server/scheduler/runtime";
import { healthResponse } from "@/server/services/system";

export const dynamic = "force-dynamic";

/** For probes and load balancers: 200 (ok or degraded) or 503 (database down). No user data, no auth. */
export async function GET() {
  return healthResponse(database().db, env(), await runningScheduler());
}
