import type { NextRequest } from "next/server";
import { requestOrigin } from "@/server/http/origin";
import { openApiDocument } from "@/server/rest/openapi";

export const dynamic = "force-dynamic";

/** The OpenAPI document of the REST facade. */
export function GET(request: NextRequest) {
  return Response.json(openApiDocument(requestOrigin(request)));
}
