import { format, subDays } from "date-fns";
import { raiseTrafficDrop } from "../alerts/conditions";
import type { Prisma } from "@/generated/sqlite/client";
import { PLATFORM_NAMES } from "@/lib/validation/platform";
import { fetchBingSummary } from "@/server/integrations/bing";
import { IntegrationError, requestJson } from "@/server/integrations/http";
import { fetchPerformanceSummary } from "@/server/integrations/search-console";
import type { Executor } from "../types";
import { failureOf, loadConnection, withTokenRetry, type ExecutorDeps, type LoadedConnection } from "./deps";

const DAYS = 28;

/** The site to report on: the chosen one, else the first verified one (listing the account's sites when none is known). */
async function siteOf(
  deps: ExecutorDeps,
  connection: LoadedConnection,
  now: Date,
  signal: AbortSignal,
): Promise<string> {
  if (connection.selectedSiteUrl) return connection.selectedSiteUrl;
  if (connection.siteUrls[0]) return connection.siteUrls[0];
  const sites = await withTokenRetry(deps, connection, now, signal, async (accessToken) => {
    if (connection.platform === "GSC") {
      const listed = await requestJson<{ siteEntry?: { siteUrl: string; permissionLevel: string }[] }>(
        `${deps.endpoints.google.searchConsoleBaseUrl}/webmasters/v3/sites`,
        {
          api: "Search Console",
          headers: { authorization: `Bearer ${accessToken}` },
          signal,
        },
      );
      return (listed.siteEntry ?? []).filter((s) => s.permissionLevel !== "siteUnverifiedUser").map((s) => s.siteUrl);
    }
    const listed = await requestJson<{ d?: { Url: string; IsVerified: boolean }[] }>(
      `${deps.endpoints.bing.apiBaseUrl}/webmaster/api.svc/json/GetUserSites`,
      {
        api: "Bing Webmaster",
        headers: { authorization: `Bearer ${accessToken}` },
        signal,
      },
    );
    return (listed.d ?? []).filter((s) => s.IsVerified).map((s) => s.Url);
  });
  if (!sites[0])
    throw new IntegrationError(
      `no verified site in this ${PLATFORM_NAMES[connection.platform]} account`,
      "CONFIG_ERROR",
      false,
    );
  await deps.db.platformConnection.update({
    where: { id: connection.id },
    data: { siteUrls: sites, selectedSiteUrl: sites[0] },
  });
  return sites[0];
}

/** Search Console or Bing Webmaster performance of the last 28 days, stored as a snapshot. */
export function insightsExecutor(deps: ExecutorDeps, platform: "GSC" | "BING"): Executor {
  return async (task, { signal, now: clock }) => {
    const now = clock();
    try {
      const connection = await loadConnection(deps, task);
      const siteUrl = await siteOf(deps, connection, now, signal);
      const endDate = subDays(now, 1);
      const startDate = subDays(endDate, DAYS - 1);
      const summary =
        platform === "GSC"
          ? await withTokenRetry(deps, connection, now, signal, (accessToken) =>
              fetchPerformanceSummary(
                { baseUrl: deps.endpoints.google.searchConsoleBaseUrl, accessToken, signal },
                { siteUrl, startDate: format(startDate, "yyyy-MM-dd"), endDate: format(endDate, "yyyy-MM-dd") },
              ),
            ).then((s) => ({
              ...s,
              topQueries: s.topQueries.map((r) => ({
                key: r.keys?.[0] ?? "",
                clicks: r.clicks,
                impressions: r.impressions,
                ctr: r.ctr,
                position: r.position,
              })),
              topPages: s.topPages.map((r) => ({
                key: r.keys?.[0] ?? "",
                clicks: r.clicks,
                impressions: r.impressions,
                ctr: r.ctr,
                position: r.position,
              })),
            }))
          : await withTokenRetry(deps, connection, now, signal, (accessToken) =>
              fetchBingSummary({ baseUrl: deps.endpoints.bing.apiBaseUrl, accessToken, signal }, siteUrl, now, DAYS),
            );
      const snapshot = await deps.db.$transaction(async (tx) => {
        const created = await tx.insightSnapshot.create({
          data: {
            userId: connection.userId,
            taskId: task.id,
            platform,
            siteUrl,
            startDate,
            endDate,
            clicks: summary.clicks,
            impressions: summary.impressions,
            ctr: summary.ctr,
            position: summary.position,
            topQueries: summary.topQueries as unknown as Prisma.InputJsonValue,
            topPages: summary.topPages as unknown as Prisma.InputJsonValue,
            dataSource: "api",
            fetchedAt: now,
          },
          select: { id: true },
        });
        await raiseTrafficDrop(
          tx,
          {
            id: created.id,
            userId: connection.userId,
            taskId: task.id,
            platform,
            siteUrl,
            endDate,
            clicks: summary.clicks,
            impressions: summary.impressions,
          },
          now,
        );
        return created;
      });
      return {
        ok: true,
        dataSource: "api",
        result: {
          snapshotId: snapshot.id,
          siteUrl,
          startDate: format(startDate, "yyyy-MM-dd"),
          endDate: format(endDate, "yyyy-MM-dd"),
          clicks: summary.clicks,
          impressions: summary.impressions,
          ctr: Math.round(summary.ctr * 10_000) / 10_000,
          position: Math.round(summary.position * 10) / 10,
          topQuery: summary.topQueries[0]?.key ?? null,
        },
      };
    } catch (error) {
      return failureOf(error);
    }
  };
}
