import type { Db } from "@/server/db";
import { ownedBy, type Scope } from "./scope";

/** The user's platform connections. Token columns are never selected. */
export async function listConnections(db: Db, scope: Scope) {
  const rows = await db.platformConnection.findMany({
    where: ownedBy(scope),
    orderBy: [{ platform: "asc" }],
    select: {
      id: true,
      platform: true,
      status: true,
      accountLabel: true,
      siteUrls: true,
      selectedSiteUrl: true,
      tokenExpiresAt: true,
      lastCheckedAt: true,
      lastError: true,
      connectedAt: true,
    },
  });
  return rows.map((r) => ({ ...r, siteUrls: Array.isArray(r.siteUrls) ? (r.siteUrls as string[]) : [] }));
}
