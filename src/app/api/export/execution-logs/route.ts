import type { NextRequest } from "next/server";
import { appFacadeDeps } from "@/server/rest/app-deps";
import { handleExport } from "@/server/rest/export";

export const dynamic = "force-dynamic";

/**
 * The execution logs of the Logs page's filter (`status`, `taskType`, `taskId`, `trigger`, `from`, `to`),
 * every matching row as CSV or NDJSON (`format`), streamed; the session cookie or a Bearer API token.
 */
export function GET(request: NextRequest) {
  return handleExport(request, "execution-logs", appFacadeDeps(request));
}
