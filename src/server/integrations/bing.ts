import { requestJson } from "./http";

interface BingStat {
  Query: string;
  Date: string; // WCF JSON date: "/Date(1732752000000)/" (optionally with an offset)
  Clicks: number;
  Impressions: number;
  AvgImpressionPosition: number;
  AvgClickPosition: number;
}

export interface BingRow {
  key: string;
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
}

export interface BingClientOptions {
  baseUrl: string;
  accessToken: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** "/Date(1732752000000)/" or "/Date(1732752000000-0800)/" → epoch ms. */
export function parseWcfDate(value: string): number | null {
  const match = /\/Date\((-?\d+)(?:[+-]\d{4})?\)\//.exec(value);
  return match ? Number(match[1]) : null;
}

async function stats(
  client: BingClientOptions,
  method: "GetQueryStats" | "GetPageStats",
  siteUrl: string,
): Promise<BingStat[]> {
  const url = `${client.baseUrl.replace(/\/$/, "")}/webmaster/api.svc/json/${method}?siteUrl=${encodeURIComponent(siteUrl)}`;
  const response = await requestJson<{ d?: BingStat[] }>(url, {
    api: "Bing Webmaster",
    headers: { authorization: `Bearer ${client.accessToken}` },
    timeoutMs: client.timeoutMs,
    signal: client.signal,
  });
  return Array.isArray(response.d) ? response.d : [];
}

/** Adds up the daily rows of the window per key; position is impression-weighted. */
function aggregate(rows: BingStat[], since: number, until: number): BingRow[] {
  const byKey = new Map<string, { clicks: number; impressions: number; weighted: number }>();
  for (const row of rows) {
    const at = parseWcfDate(row.Date);
    if (at === null || at < since || at > until) continue;
    const entry = byKey.get(row.Query) ?? { clicks: 0, impressions: 0, weighted: 0 };
    entry.clicks += row.Clicks;
    entry.impressions += row.Impressions;
    entry.weighted += row.AvgImpressionPosition * row.Impressions;
    byKey.set(row.Query, entry);
  }
  return [...byKey.entries()]
    .map(([key, e]) => ({
      key,
      clicks: e.clicks,
      impressions: e.impressions,
      ctr: e.impressions ? e.clicks / e.impressions : 0,
      position: e.impressions ? e.weighted / e.impressions : 0,
    }))
    .sort((a, b) => b.clicks - a.clicks || b.impressions - a.impressions);
}

export interface BingSummary {
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
  topQueries: BingRow[];
  topPages: BingRow[];
  queryCount: number;
  pageCount: number;
}

/** Query and page statistics of the last `days` days from Bing Webmaster's GetQueryStats / GetPageStats. */
export async function fetchBingSummary(
  client: BingClientOptions,
  siteUrl: string,
  now: Date,
  days = 28,
  top = 25,
): Promise<BingSummary> {
  const until = now.getTime();
  const since = until - days * 86_400_000;
  const queries = aggregate(await stats(client, "GetQueryStats", siteUrl), since, until);
  const pages = aggregate(await stats(client, "GetPageStats", siteUrl), since, until);
  const clicks = queries.reduce((a, r) => a + r.clicks, 0);
  const impressions = queries.reduce((a, r) => a + r.impressions, 0);
  const weighted = queries.reduce((a, r) => a + r.position * r.impressions, 0);
  return {
    clicks,
    impressions,
    ctr: impressions ? clicks / impressions : 0,
    position: impressions ? weighted / impressions : 0,
    topQueries: queries.slice(0, top),
    topPages: pages.slice(0, top),
    queryCount: queries.length,
    pageCount: pages.length,
  };
}
