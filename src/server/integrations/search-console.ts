import { requestJson } from "./http";

/** Google's public endpoint; tests and the offline demo point it at the local provider. */
export const SEARCH_CONSOLE_BASE_URL = "https://searchconsole.googleapis.com";

/** The API's page size limit. */
export const MAX_ROW_LIMIT = 25_000;

export interface SearchAnalyticsRow {
  keys?: string[];
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
}

interface QueryResponse {
  rows?: SearchAnalyticsRow[];
  responseAggregationType?: string;
}

export interface SearchConsoleClientOptions {
  baseUrl?: string;
  accessToken: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PerformanceQuery {
  siteUrl: string;
  startDate: string; // YYYY-MM-DD
  endDate: string;
  dimensions?: ("query" | "page" | "date" | "country" | "device")[];
  /** Rows per request (≤ 25,000); all pages are fetched up to `maxRows`. */
  pageSize?: number;
  maxRows?: number;
}

/**
 * The Search Analytics query API (POST /webmasters/v3/sites/{siteUrl}/searchAnalytics/query),
 * following `startRow` pagination until a short page or `maxRows`.
 */
export async function querySearchAnalytics(
  client: SearchConsoleClientOptions,
  query: PerformanceQuery,
): Promise<SearchAnalyticsRow[]> {
  const base = (client.baseUrl ?? SEARCH_CONSOLE_BASE_URL).replace(/\/$/, "");
  const url = `${base}/webmasters/v3/sites/${encodeURIComponent(query.siteUrl)}/searchAnalytics/query`;
  const pageSize = Math.min(MAX_ROW_LIMIT, query.pageSize ?? MAX_ROW_LIMIT);
  const maxRows = query.maxRows ?? 100_000;
  const rows: SearchAnalyticsRow[] = [];
  for (let startRow = 0; startRow < maxRows; startRow += pageSize) {
    const page = await requestJson<QueryResponse>(url, {
      api: "Search Console",
      headers: { authorization: `Bearer ${client.accessToken}` },
      body: {
        startDate: query.startDate,
        endDate: query.endDate,
        dimensions: query.dimensions ?? [],
        rowLimit: pageSize,
        startRow,
      },
      timeoutMs: client.timeoutMs,
      signal: client.signal,
    });
    const got = page.rows ?? [];
    rows.push(...got.slice(0, maxRows - rows.length));
    if (got.length < pageSize) break;
  }
  return rows;
}

export interface PerformanceSummary {
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
  topQueries: SearchAnalyticsRow[];
  topPages: SearchAnalyticsRow[];
}

/** Totals (a query without dimensions) plus the top queries and pages by clicks. */
export async function fetchPerformanceSummary(
  client: SearchConsoleClientOptions,
  site: { siteUrl: string; startDate: string; endDate: string },
  top = 25,
): Promise<PerformanceSummary> {
  const [totals] = await querySearchAnalytics(client, { ...site, maxRows: 1 });
  const queries = await querySearchAnalytics(client, { ...site, dimensions: ["query"] });
  const pages = await querySearchAnalytics(client, { ...site, dimensions: ["page"] });
  const byClicks = (a: SearchAnalyticsRow, b: SearchAnalyticsRow) =>
    b.clicks - a.clicks || b.impressions - a.impressions;
  return {
    clicks: totals?.clicks ?? 0,
    impressions: totals?.impressions ?? 0,
    ctr: totals?.ctr ?? 0,
    position: totals?.position ?? 0,
    topQueries: queries.sort(byClicks).slice(0, top),
    topPages: pages.sort(byClicks).slice(0, top),
  };
}
