import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalProvider, type LocalProvider, type SearchRow } from "../../dev/provider/server";
import { IntegrationError, nextQuotaReset, parseRetryAfter } from "@/server/integrations/http";
import { fetchPerformanceSummary, querySearchAnalytics } from "@/server/integrations/search-console";

const SITE = "https://www.example.com/";
const range = { siteUrl: SITE, startDate: "2026-10-31", endDate: "2026-11-27" };

function rows(n: number): SearchRow[] {
  return Array.from({ length: n }, (_, i) => ({
    query: `query ${i}`,
    page: `${SITE}page-${i % 7}`,
    clicks: n - i,
    impressions: (n - i) * 10,
    position: 1 + (i % 20),
  }));
}

async function failure(p: Promise<unknown>): Promise<IntegrationError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof IntegrationError) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("Search Console client against the local provider", () => {
  let provider: LocalProvider;
  let token: string;
  const client = () => ({ baseUrl: provider.url, accessToken: token, timeoutMs: 2000 });

  beforeAll(async () => {
    provider = await startLocalProvider();
    token = provider.token({ platform: "GSC" });
  });
  beforeEach(() => {
    provider.sites.set(SITE, rows(60));
    provider.faults.length = 0;
    provider.requests.length = 0;
  });
  afterAll(async () => {
    await provider.close();
  });

  it("follows startRow pagination until a short page", async () => {
    const all = await querySearchAnalytics(client(), { ...range, dimensions: ["query"], pageSize: 25 });
    expect(all).toHaveLength(60);
    expect(new Set(all.map((r) => r.keys![0])).size).toBe(60);
    const bodies = provider.requests.map((r) => r.body as { startRow: number; rowLimit: number });
    expect(bodies.map((b) => b.startRow)).toEqual([0, 25, 50]);
    expect(provider.requests[0]!.path).toBe(`/webmasters/v3/sites/${encodeURIComponent(SITE)}/searchAnalytics/query`);
    expect(provider.requests[0]!.authorization).toBe(`Bearer ${token}`);
  });

  it("summarises totals, top queries and top pages", async () => {
    const summary = await fetchPerformanceSummary(client(), range, 5);
    const expectedClicks = rows(60).reduce((a, r) => a + r.clicks, 0);
    expect(summary.clicks).toBe(expectedClicks);
    expect(summary.impressions).toBe(expectedClicks * 10);
    expect(summary.ctr).toBeCloseTo(0.1);
    expect(summary.topQueries.map((r) => r.keys![0])).toEqual(["query 0", "query 1", "query 2", "query 3", "query 4"]);
    expect(summary.topPages).toHaveLength(5);
  });

  it("classifies 429 as api_limit with the Retry-After time", async () => {
    provider.faults.push({
      kind: "status",
      status: 429,
      headers: { "retry-after": "7" },
      body: { error: { code: 429, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" } },
    });
    const error = await failure(querySearchAnalytics(client(), range));
    expect(error).toMatchObject({ category: "API_LIMIT", retryable: true, status: 429, retryAfterMs: 7000 });
    expect(error.message).toContain("Quota exceeded");
  });

  it("tells a used-up daily quota from a rate limit: not retried, and the API serves again at its reset", async () => {
    provider.faults.push({
      kind: "status",
      status: 429,
      body: {
        error: {
          code: 429,
          message: "Search Analytics daily quota exceeded for this project",
          status: "RESOURCE_EXHAUSTED",
        },
      },
    });
    const before = Date.now();
    const quota = await failure(querySearchAnalytics(client(), { ...range, dimensions: ["query"] }));
    expect(quota).toMatchObject({ category: "API_LIMIT", retryable: false, status: 429 });
    // Google's quotas reset at midnight Pacific time: the next one, within a day.
    expect(quota.resumeAt!.getTime()).toBe(nextQuotaReset("Search Console", new Date(before)).getTime());
    expect(quota.resumeAt!.getTime() - before).toBeLessThanOrEqual(86_400_000);
    // Bing's at midnight UTC; a Retry-After, when the API sends one, wins.
    expect(nextQuotaReset("Bing Webmaster", new Date("2026-11-30T22:15:00Z")).toISOString()).toBe(
      "2026-12-01T00:00:00.000Z",
    );
    expect(nextQuotaReset("Search Console", new Date("2026-11-30T22:15:00Z")).toISOString()).toBe(
      "2026-12-01T08:00:00.000Z",
    );
    provider.faults.push({
      kind: "status",
      status: 429,
      headers: { "retry-after": "120" },
      body: { error: { code: 429, message: "daily limit reached", status: "RESOURCE_EXHAUSTED" } },
    });
    const told = await failure(querySearchAnalytics(client(), { ...range, dimensions: ["query"] }));
    expect(told.resumeAt!.getTime() - Date.now()).toBeGreaterThan(110_000);
    expect(told.resumeAt!.getTime() - Date.now()).toBeLessThanOrEqual(120_000);
  });

  it("classifies a bad token as auth_error, not retryable", async () => {
    const error = await failure(querySearchAnalytics({ ...client(), accessToken: "expired" }, range));
    expect(error).toMatchObject({ category: "AUTH_ERROR", retryable: false, status: 401 });
    const forbidden = await failure(querySearchAnalytics(client(), { ...range, siteUrl: "https://not-mine.example/" }));
    expect(forbidden).toMatchObject({ category: "AUTH_ERROR", status: 403 });
  });

  it("classifies 5xx and timeouts as network errors (retryable), malformed JSON as unknown", async () => {
    provider.faults.push({ kind: "status", status: 503 });
    expect(await failure(querySearchAnalytics(client(), range))).toMatchObject({
      category: "NETWORK_ERROR",
      retryable: true,
      status: 503,
    });
    provider.faults.push({ kind: "delay", ms: 500 });
    const slow = await failure(querySearchAnalytics({ ...client(), timeoutMs: 100 }, range));
    expect(slow).toMatchObject({ category: "NETWORK_ERROR", retryable: true });
    expect(slow.message).toContain("timed out");
    provider.faults.push({ kind: "malformed" });
    expect(await failure(querySearchAnalytics(client(), range))).toMatchObject({ category: "UNKNOWN" });
  });

  it("classifies a refused connection as a network error", async () => {
    const closed = await startLocalProvider();
    const url = closed.url;
    await closed.close();
    expect(await failure(querySearchAnalytics({ ...client(), baseUrl: url }, range))).toMatchObject({
      category: "NETWORK_ERROR",
      retryable: true,
    });
  });

  it("takes scripted faults and revocations over HTTP too", async () => {
    const queued = await fetch(`${provider.url}/__provider/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "status", status: 500, path: "searchAnalytics" }),
    });
    expect(queued.status).toBe(200);
    expect(await failure(querySearchAnalytics(client(), range))).toMatchObject({
      category: "NETWORK_ERROR",
      status: 500,
    });
    const doomed = provider.token({ platform: "GSC" });
    expect(
      (
        await fetch(`${provider.url}/__provider/revoke`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token: doomed }),
        })
      ).status,
    ).toBe(200);
    expect(await failure(querySearchAnalytics({ ...client(), accessToken: doomed }, range))).toMatchObject({
      category: "AUTH_ERROR",
      status: 401,
    });
  });

  it("reads Retry-After in seconds or as an HTTP date", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:28:10 GMT", Date.parse("Wed, 21 Oct 2026 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
