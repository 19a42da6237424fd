import { getDb } from "@/server/db";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for probes and load balancers. No data, no auth. */
export async function GET() {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", database: "up" });
  } catch {
    return Response.json({ status: "error", database: "down" }, { status: 503 });
  }
}
