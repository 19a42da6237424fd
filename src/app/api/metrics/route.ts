import { env } from "@/server/config/env";
import { database } from "@/server/db";
import { metricsResponse } from "@/server/metrics";
import { refreshAllMetrics } from "@/server/services/system";

export const dynamic = "force-dynamic";

/**
 * Prometheus text format (prom-client). Totals only, nothing user-specific, but the procedure names and
 * call counts include the admin ones: with `METRICS_TOKEN` set, only `Authorization: Bearer <token>` may read it.
 */
export function GET(request: Request) {
  return metricsResponse(request, env().METRICS_TOKEN, () => database().db, refreshAllMetrics);
}
