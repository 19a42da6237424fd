import { database } from "@/server/db";
import { refreshMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text format (prom-client). Totals only: nothing user-specific. */
export async function GET() {
  try {
    const registry = await refreshMetrics(database().db);
    return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
  } catch {
    return new Response("# database unavailable\n", { status: 503, headers: { "content-type": "text/plain" } });
  }
}
