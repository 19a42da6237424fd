/**
 * The local provider answers Search Console and Bing Webmaster from its search model
 * (dev/provider/search-model.ts): the demo's properties with their own numbers per platform, any
 * other site (with anySite) with a plausible generic model; dates, dimensions and paging as the APIs
 * have them; the same answer from any provider, whenever it was started. Scripted rows still win.
 */
import { format, subDays } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalProvider, type LocalProvider } from "../../dev/provider/server";
import { fetchBingSummary } from "@/server/integrations/bing";
import { IntegrationError } from "@/server/integrations/http";
import { fetchPerformanceSummary, querySearchAnalytics } from "@/server/integrations/search-console";

const SHOP = "https://www.example.com/";
const now = new Date();
const window = (siteUrl: string, end = subDays(now, 1)) => ({
  siteUrl,
  startDate: format(subDays(end, 27), "yyyy-MM-dd"),
  endDate: format(end, "yyyy-MM-dd"),
});

async function failure(p: Promise<unknown>): Promise<IntegrationError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof IntegrationError) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("the local provider's search model", () => {
  let provider: LocalProvider;
  let any: LocalProvider;
  const gsc = (p: LocalProvider) => ({ baseUrl: p.url, accessToken: p.token({ platform: "GSC" }), timeoutMs: 5000 });
  const bing = (p: LocalProvider) => ({ baseUrl: p.url, accessToken: p.token({ platform: "BING" }), timeoutMs: 5000 });

  beforeAll(async () => {
    provider = await startLocalProvider();
    any = await startLocalProvider({ anySite: true });
  });
  afterAll(async () => {
    await provider.close();
    await any.close();
  });

  it("serves a demo property by date, query and page, the rows adding up to the totals, in pages of startRow/rowLimit", async () => {
    const range = window(SHOP);
    const [totals] = await querySearchAnalytics(gsc(provider), { ...range, maxRows: 1 });
    const days = await querySearchAnalytics(gsc(provider), { ...range, dimensions: ["date"] });
    expect(days.map((d) => d.keys![0]).sort()).toEqual(
      Array.from({ length: 28 }, (_, i) => format(subDays(now, 28 - i), "yyyy-MM-dd")),
    );
    const sum = (rows: { clicks: number }[]) => rows.reduce((a, r) => a + r.clicks, 0);
    expect(Math.abs(sum(days) - totals!.clicks)).toBeLessThanOrEqual(14);
    // The long tail: more queries than one page holds, paged through, each once.
    const queries = await querySearchAnalytics(gsc(provider), { ...range, dimensions: ["query"], pageSize: 20 });
    expect(queries.length).toBeGreaterThan(40);
    expect(new Set(queries.map((q) => q.keys![0])).size).toBe(queries.length);
    const bodies = provider.requests
      .filter((r) => r.path.includes("searchAnalytics"))
      .map((r) => (r.body as { startRow: number }).startRow);
    expect(bodies.slice(-3)).toEqual([
      Math.floor(queries.length / 20) * 20 - 40,
      Math.floor(queries.length / 20) * 20 - 20,
      Math.floor(queries.length / 20) * 20,
    ]);
    expect(Math.abs(sum(queries) - totals!.clicks) / totals!.clicks).toBeLessThan(0.03);
    const pages = await querySearchAnalytics(gsc(provider), { ...range, dimensions: ["page"] });
    expect(pages.every((p) => p.keys![0]!.startsWith(SHOP))).toBe(true);
    expect(Math.abs(sum(pages) - totals!.clicks) / totals!.clicks).toBeLessThan(0.03);
    // Both dimensions at once: each query's row is split over the pages.
    const pairs = await querySearchAnalytics(gsc(provider), { ...range, dimensions: ["query", "page"], maxRows: 5 });
    expect(pairs[0]!.keys).toHaveLength(2);
  });

  it("has no data for days to come, and refuses a request without dates or with an unknown dimension", async () => {
    const future = await fetchPerformanceSummary(
      gsc(provider),
      window(SHOP, new Date(now.getTime() + 40 * 86_400_000)),
    );
    expect(future).toMatchObject({ clicks: 0, impressions: 0, topQueries: [] });
    const missing = await failure(querySearchAnalytics(gsc(provider), { siteUrl: SHOP, startDate: "", endDate: "" }));
    expect(missing).toMatchObject({ status: 400 });
    const unknown = await fetch(
      `${provider.url}/webmasters/v3/sites/${encodeURIComponent(SHOP)}/searchAnalytics/query`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${provider.token({ platform: "GSC" })}`, "content-type": "application/json" },
        body: JSON.stringify({ ...window(SHOP), dimensions: ["weather"] }),
      },
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { status: "INVALID_ARGUMENT" } });
  });

  it("gives Bing its own numbers for the same site, its daily traffic the sum of its query stats", async () => {
    const google = await fetchPerformanceSummary(gsc(provider), window(SHOP));
    const microsoft = await fetchBingSummary(bing(provider), SHOP, now);
    expect(microsoft.clicks).toBeGreaterThan(0);
    expect(microsoft.clicks).toBeLessThan(google.clicks / 2);
    expect(microsoft.topQueries[0]!.key).toBe("handmade ceramic mugs");
    expect(microsoft.topQueries[0]!.clicks).not.toBe(google.topQueries[0]!.clicks);
    const get = async (method: string) => {
      const response = await fetch(
        `${provider.url}/webmaster/api.svc/json/${method}?siteUrl=${encodeURIComponent(SHOP)}`,
        { headers: { authorization: `Bearer ${provider.token({ platform: "BING" })}` } },
      );
      return ((await response.json()) as { d: { Date: string; Clicks: number; Impressions: number }[] }).d;
    };
    const [traffic, queryStats] = await Promise.all([get("GetRankAndTrafficStats"), get("GetQueryStats")]);
    expect(traffic[0]).toMatchObject({
      __type: "RankAndTrafficStats:#Microsoft.Bing.Webmaster.Api",
      Date: expect.stringMatching(/^\/Date\(\d+\)\/$/),
    });
    const byDay = new Map<string, number>();
    for (const stat of queryStats) byDay.set(stat.Date, (byDay.get(stat.Date) ?? 0) + stat.Clicks);
    expect(traffic.map((d) => [d.Date, d.Clicks])).toEqual([...byDay.entries()].sort());
  });

  it("answers the same from any provider, whenever it was started", async () => {
    const later = await startLocalProvider();
    try {
      expect(await fetchPerformanceSummary(gsc(later), window(SHOP, subDays(now, 3)))).toEqual(
        await fetchPerformanceSummary(gsc(provider), window(SHOP, subDays(now, 3))),
      );
      const at = subDays(now, 2);
      expect(await fetchBingSummary(bing(later), SHOP, at)).toEqual(await fetchBingSummary(bing(provider), SHOP, at));
    } finally {
      await later.close();
    }
  });

  it("gives any other site plausible queries of its own, different on Bing, unless a test scripted its rows", async () => {
    const site = "https://www.acme-tools.example/";
    const google = await fetchPerformanceSummary(gsc(any), window(site));
    const microsoft = await fetchBingSummary(bing(any), site, now);
    const queries = google.topQueries.map((q) => q.keys![0]!);
    expect(queries).toContain("acme tools");
    expect(queries.every((q) => /^[a-z0-9' ]+$/.test(q) && !/\bwww\b/.test(q))).toBe(true);
    expect(google.topPages.every((p) => p.keys![0]!.startsWith(site))).toBe(true);
    expect(microsoft.clicks).toBeLessThan(google.clicks);
    expect(microsoft.topQueries.map((q) => q.clicks)).not.toEqual(google.topQueries.map((q) => q.clicks));
    // Another site, another model.
    expect(
      (await fetchPerformanceSummary(gsc(any), window("https://trailhead-outfitters.example/"))).topQueries.map(
        (q) => q.keys![0],
      ),
    ).not.toEqual(queries);
    // Scripted rows win over any model, for both platforms.
    any.sites.set(SHOP, [{ query: "scripted", page: `${SHOP}scripted`, clicks: 7, impressions: 70, position: 3 }]);
    try {
      expect(await fetchPerformanceSummary(gsc(any), window(SHOP))).toMatchObject({ clicks: 7, impressions: 70 });
      expect(await fetchBingSummary(bing(any), SHOP, now)).toMatchObject({ clicks: 7, impressions: 70 });
    } finally {
      any.sites.delete(SHOP);
    }
  });
});
