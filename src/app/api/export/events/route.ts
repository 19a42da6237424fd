import type { NextRequest } from "next/server";
import { appFacadeDeps } from "@/server/rest/app-deps";
import { handleExport } from "@/server/rest/export";

export const dynamic = "force-dynamic";

/**
 * The scheduler events of the event history's filter (`type`, `types`, `days`),
 * every matching row as CSV or NDJSON (`format`), streamed; the session cookie or a Bearer API token.
 */
export function GET(request: NextRequest) {
  return handleExport(request, "events", appFacadeDeps(request));
}
