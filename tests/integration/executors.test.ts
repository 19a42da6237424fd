import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startLocalProvider, type LocalProvider } from "../../dev/provider/server";
import { readToken } from "../../dev/provider/tokens";
import { decryptToken, encryptToken, keyringFrom } from "@/server/crypto";
import { integrationSettings } from "@/server/integrations/config";
import { integrationsEnvSchema } from "@/server/config/integrations";
import { SchedulerEngine } from "@/server/scheduler/engine";
import { createExecutorRegistry } from "@/server/scheduler/registry";
import type { Platform, TaskType } from "@/generated/sqlite/enums";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const keyring = keyringFrom(Buffer.alloc(32, 9).toString("base64"));
const HOUR = 3600;

describe.each(testEngines())("real executors against the local provider on %s", (engine) => {
  let t: TestDatabase;
  let provider: LocalProvider;
  let userId: string;
  let settings: ReturnType<typeof integrationSettings>;
  const logged: string[] = [];

  async function connect(
    platform: Platform,
    tokens: { access?: string | null; refresh?: string | null; expiresInS?: number; sites?: string[] } = {},
  ) {
    return t.db.platformConnection.create({
      data: {
        userId,
        platform,
        accessTokenEnc:
          tokens.access === null ? null : encryptToken(tokens.access ?? provider.token({ platform }), keyring),
        refreshTokenEnc:
          tokens.refresh === null
            ? null
            : encryptToken(
                tokens.refresh ?? provider.token({ platform, kind: "refresh", expiresInS: 180 * 86_400 }),
                keyring,
              ),
        tokenExpiresAt: new Date(Date.now() + (tokens.expiresInS ?? HOUR) * 1000),
        siteUrls: tokens.sites ?? [],
        selectedSiteUrl: tokens.sites?.[0] ?? null,
      },
    });
  }
  async function run(
    type: TaskType,
    data: { connectionId?: string; websiteUrl?: string; websiteRole?: "OWN" | "COMPETITOR" } = {},
    overrides: Partial<typeof settings> = {},
  ) {
    const task = await t.db.task.create({
      data: {
        userId,
        type,
        dedupeKey: `${type}:${Math.random()}`,
        frequencyMinutes: 60,
        nextRunAt: new Date(Date.now() - 1000),
        ...data,
      },
    });
    const registry = createExecutorRegistry({
      db: t.db,
      keyring,
      ...settings,
      ...overrides,
      eventRetentionDays: 90,
      logRetentionDays: 90,
    });
    const e = new SchedulerEngine({ db: t.db, engine, registry, config: { maxAttempts: 1, timeoutMs: 10_000 } });
    await e.runCycle();
    const log = await t.db.executionLog.findFirstOrThrow({ where: { taskId: task.id } });
    return { task, log, result: log.result as Record<string, unknown> | null };
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    userId = (await createTestUser(t.db)).id;
    provider = await startLocalProvider();
    provider.sites.set("https://www.example.com/", [
      { query: "ceramic mugs", page: "https://www.example.com/mugs", clicks: 120, impressions: 2400, position: 3.2 },
      { query: "handmade bowls", page: "https://www.example.com/bowls", clicks: 80, impressions: 1600, position: 5.1 },
      { query: "vases", page: "https://www.example.com/vases", clicks: 5, impressions: 900, position: 14 },
    ]);
    settings = integrationSettings(integrationsEnvSchema.parse({}), provider.url);
    for (const method of ["log", "error", "warn"] as const) {
      const original = console[method];
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(" "));
        original(...args);
      });
    }
  });
  beforeEach(async () => {
    provider.faults.length = 0;
    await t.db.alert.deleteMany();
    await t.db.platformConnection.deleteMany();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await provider.close();
    await t.drop();
  });

  describe("OAuth token monitoring", () => {
    it("refreshes a Google token that expires within 7 days and stores the new one encrypted", async () => {
      const connection = await connect("GSC");
      const { log, result } = await run("OAUTH_TOKEN_MONITORING", { connectionId: connection.id });
      expect(log.status).toBe("SUCCESS");
      expect(result).toMatchObject({ outcome: "refreshed", platform: "GSC" });
      const stored = await t.db.platformConnection.findUniqueOrThrow({ where: { id: connection.id } });
      expect(stored.status).toBe("CONNECTED");
      expect(stored.accessTokenEnc).not.toBe(connection.accessTokenEnc);
      expect(readToken(decryptToken(stored.accessTokenEnc!, keyring))).toMatchObject({
        platform: "GSC",
        kind: "access",
      });
    });

    it("reports a token that is good for longer than the window as valid", async () => {
      const connection = await connect("GSC");
      const { result } = await run("OAUTH_TOKEN_MONITORING", { connectionId: connection.id }, { refreshWithinDays: 0 });
      expect(result).toMatchObject({ outcome: "valid" });
    });

    it("refreshes an expired token (Wix, JSON token endpoint) and checks Bing with a cheap call", async () => {
      const wix = await connect("WIX", {
        access: provider.token({ platform: "WIX", expiresInS: -60 }),
        expiresInS: -60,
      });
      expect((await run("OAUTH_TOKEN_MONITORING", { connectionId: wix.id })).result).toMatchObject({
        outcome: "refreshed",
        platform: "WIX",
      });
      const bing = await connect("BING", { refresh: null, expiresInS: 30 * 86_400 });
      expect((await run("OAUTH_TOKEN_MONITORING", { connectionId: bing.id })).result).toMatchObject({
        outcome: "valid",
        platform: "BING",
      });
    });

    it("a revoked refresh token needs the user: not retryable, connection REVOKED, one alert", async () => {
      const refresh = provider.token({ platform: "GSC", kind: "refresh" });
      provider.revoked.add(readToken(refresh)!.jti);
      const connection = await connect("GSC", {
        refresh,
        access: provider.token({ platform: "GSC", expiresInS: -10 }),
        expiresInS: -10,
      });
      const first = await run("OAUTH_TOKEN_MONITORING", { connectionId: connection.id });
      expect(first.log).toMatchObject({ status: "FAILED", errorCategory: "AUTH_ERROR", retryable: false });
      expect(first.log.errorMessage).toContain("invalid_grant");
      expect(first.result).toMatchObject({ outcome: "refresh_failed" });
      expect(await t.db.platformConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
        status: "REVOKED",
      });
      await run("OAUTH_TOKEN_MONITORING", { connectionId: connection.id });
      expect(await t.db.alert.count({ where: { connectionId: connection.id, kind: "RECONNECT_REQUIRED" } })).toBe(1);
    });

    it("an invalid WordPress token (no refresh possible) is expired: the user must reconnect", async () => {
      const connection = await connect("WORDPRESS", { access: "lp_forged.token", refresh: null });
      const { log, result } = await run("OAUTH_TOKEN_MONITORING", { connectionId: connection.id });
      expect(log).toMatchObject({ status: "FAILED", errorCategory: "AUTH_ERROR", retryable: false });
      expect(result).toMatchObject({ outcome: "expired" });
      expect(log.errorMessage).toBe(
        "The WordPress token expired and cannot be refreshed: reconnect WordPress to continue",
      ); // in words, no enum names
      expect(await t.db.platformConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
        status: "EXPIRED",
      });
    });

    it("a provider outage is a retryable network error; a deleted connection is not found", async () => {
      const connection = await connect("GSC");
      provider.faults.push({ path: "/tokeninfo", kind: "status", status: 502 });
      const { log } = await run("OAUTH_TOKEN_MONITORING", { connectionId: connection.id });
      expect(log).toMatchObject({ status: "FAILED", errorCategory: "NETWORK_ERROR", retryable: true });
      const gone = await connect("BING");
      await t.db.platformConnection.delete({ where: { id: gone.id } });
      const missing = await run("OAUTH_TOKEN_MONITORING", {}); // the task outlived its connection (connectionId set to null)
      expect(missing.log).toMatchObject({ errorCategory: "CONFIG_ERROR", retryable: false });
      expect(missing.result).toMatchObject({ outcome: "not_found" });
    });
  });

  describe("insights", () => {
    it("stores a Search Console snapshot with totals and top queries, data source api", async () => {
      const connection = await connect("GSC", { sites: ["https://www.example.com/"] });
      const { log, result } = await run("GSC_INSIGHTS", { connectionId: connection.id });
      expect(log).toMatchObject({ status: "SUCCESS", dataSource: "api" });
      expect(result).toMatchObject({
        siteUrl: "https://www.example.com/",
        clicks: 205,
        impressions: 4900,
        topQuery: "ceramic mugs",
      });
      const snapshot = await t.db.insightSnapshot.findFirstOrThrow({ where: { taskId: log.taskId } });
      expect(snapshot).toMatchObject({ platform: "GSC", clicks: 205, impressions: 4900, dataSource: "api" });
      expect((snapshot.topQueries as { key: string }[]).map((q) => q.key)).toEqual([
        "ceramic mugs",
        "handmade bowls",
        "vases",
      ]);
    });

    it("finds the site when none is chosen, and refreshes once on a 401", async () => {
      const access = provider.token({ platform: "GSC" });
      provider.revoked.add(readToken(access)!.jti); // the API refuses it; the refresh token still works
      const connection = await connect("GSC", { access });
      const { log } = await run("GSC_INSIGHTS", { connectionId: connection.id });
      expect(log.status).toBe("SUCCESS");
      expect(await t.db.platformConnection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
        selectedSiteUrl: "https://www.example.com/",
      });
    });

    it("classifies 429 as api_limit with the retry time, and malformed JSON as unknown", async () => {
      const connection = await connect("GSC", { sites: ["https://www.example.com/"] });
      provider.faults.push({
        path: "searchAnalytics",
        kind: "status",
        status: 429,
        headers: { "retry-after": "30" },
        body: { error: { code: 429, message: "Quota exceeded for quota metric", status: "RESOURCE_EXHAUSTED" } },
      });
      const limited = await run("GSC_INSIGHTS", { connectionId: connection.id });
      expect(limited.log).toMatchObject({ status: "FAILED", errorCategory: "API_LIMIT", retryable: true });
      expect(limited.result).toMatchObject({ retryAfterMs: 30_000 });
      provider.faults.push({ path: "searchAnalytics", kind: "malformed" });
      expect((await run("GSC_INSIGHTS", { connectionId: connection.id })).log).toMatchObject({
        status: "FAILED",
        errorCategory: "UNKNOWN",
      });
    });

    it("stores a Bing Webmaster snapshot from query and page stats", async () => {
      const connection = await connect("BING", { sites: ["https://www.example.com/"] });
      const { log, result } = await run("BING_INSIGHTS", { connectionId: connection.id });
      expect(log).toMatchObject({ status: "SUCCESS", dataSource: "api" });
      expect(result).toMatchObject({ clicks: 205, impressions: 4900, topQuery: "ceramic mugs" });
      const snapshot = await t.db.insightSnapshot.findFirstOrThrow({ where: { taskId: log.taskId } });
      expect((snapshot.topPages as { key: string }[])[0]!.key).toBe("https://www.example.com/mugs");
    });
  });

  describe("website analysis", () => {
    it("analyses a well-kept site, then shows the change on the next run", async () => {
      const url = `${provider.url}/sites/shop/`;
      const first = await run("WEBSITE_ANALYSIS", { websiteUrl: url, websiteRole: "OWN" });
      expect(first.log.status).toBe("SUCCESS");
      const analysis = await t.db.websiteAnalysis.findFirstOrThrow({ where: { taskId: first.task.id } });
      expect(analysis).toMatchObject({
        statusCode: 200,
        title: "Example Shop – Handmade ceramics, shipped worldwide",
        imagesWithoutAlt: 0,
        images: 2,
        internalLinks: 2,
        externalLinks: 1,
      });
      expect(analysis.wordCount).toBeGreaterThan(800);
      expect(analysis.seoScore).toBe(100);
      expect(analysis.headings).toMatchObject({ h1: ["Handmade ceramics"], h2: ["Mugs", "Bowls"], h3: ["Care"] });
      expect(analysis.details).toMatchObject({
        robotsTxt: { found: true },
        sitemap: { found: true },
        structuredData: { jsonLd: 1 },
        openGraph: { title: "Example Shop" },
        change: null,
      });
      // Same task again: the change from the previous run.
      const registry = createExecutorRegistry({
        db: t.db,
        keyring,
        ...settings,
        eventRetentionDays: 90,
        logRetentionDays: 90,
      });
      await t.db.task.update({ where: { id: first.task.id }, data: { nextRunAt: new Date(Date.now() - 1000) } });
      await new SchedulerEngine({ db: t.db, engine, registry }).runCycle();
      const second = await t.db.websiteAnalysis.findFirstOrThrow({
        where: { taskId: first.task.id },
        orderBy: { analyzedAt: "desc" },
      });
      expect(second.details).toMatchObject({ change: { seoScore: 0, wordCount: 0, titleChanged: false } });
    });

    it("scores a neglected page lower, with the reasons", async () => {
      const { log } = await run("WEBSITE_ANALYSIS", { websiteUrl: `${provider.url}/sites/blog/` });
      const analysis = await t.db.websiteAnalysis.findFirstOrThrow({ where: { taskId: log.taskId } });
      expect(analysis).toMatchObject({ metaDescription: null, imagesWithoutAlt: 3, externalLinks: 2 });
      expect(analysis.seoScore).toBeLessThan(50);
      const reasons = (analysis.details as { scoreReasons: string[] }).scoreReasons.join("\n");
      expect(reasons).toContain("no meta description");
      expect(reasons).toContain("2 <h1> headings");
      expect(reasons).toContain("3 of 3 images have no alt text");
      expect(reasons).toContain("noindex");
    });

    it("follows a redirect, and records a site that is down as a retryable failure", async () => {
      const moved = await run("WEBSITE_ANALYSIS", {
        websiteUrl: `${provider.url}/sites/competitor-old`,
        websiteRole: "COMPETITOR",
      });
      expect(moved.result).toMatchObject({ finalUrl: `${provider.url}/sites/competitor/`, statusCode: 200 });
      const down = await run("WEBSITE_ANALYSIS", { websiteUrl: `${provider.url}/sites/broken/` });
      expect(down.log).toMatchObject({ status: "FAILED", errorCategory: "NETWORK_ERROR", retryable: true });
      expect(await t.db.websiteAnalysis.findFirstOrThrow({ where: { taskId: down.task.id } })).toMatchObject({
        statusCode: 503,
        error: "HTTP 503",
      });
    });

    it("stops at the redirect limit, and truncates a page beyond the size cap instead of reading it all", async () => {
      const loop = await run("WEBSITE_ANALYSIS", { websiteUrl: `${provider.url}/sites/loop` });
      expect(loop.log).toMatchObject({
        status: "FAILED",
        errorCategory: "CONFIG_ERROR",
        errorMessage: "more than 5 redirects",
      });
      const huge = await run(
        "WEBSITE_ANALYSIS",
        { websiteUrl: `${provider.url}/sites/huge/` },
        { fetchPolicy: { ...settings.fetchPolicy, maxBytes: 256 * 1024 } },
      );
      expect(huge.log.status).toBe("SUCCESS");
      const analysis = await t.db.websiteAnalysis.findFirstOrThrow({ where: { taskId: huge.task.id } });
      expect(analysis.details).toMatchObject({ truncated: true });
      expect(analysis.wordCount).toBeLessThan(60_000); // about 256 KB of words, not 3 MB
    });

    it("times out a slow site as a network error", async () => {
      const { log } = await run(
        "WEBSITE_ANALYSIS",
        { websiteUrl: `${provider.url}/sites/slow/` },
        { fetchPolicy: { ...settings.fetchPolicy, timeoutMs: 300 } },
      );
      expect(log).toMatchObject({ status: "FAILED", errorCategory: "NETWORK_ERROR", retryable: true });
      expect(log.errorMessage).toContain("timed out");
    });

    it("with the local provider on, fetches its sample sites and nothing else of it (not its OAuth or API endpoints)", async () => {
      const ok = await run("WEBSITE_ANALYSIS", { websiteUrl: `${provider.url}/sites/shop/` });
      expect(ok.log.status).toBe("SUCCESS");
      for (const path of [
        "/o/oauth2/v2/auth?client_id=local-client&response_type=code&redirect_uri=http://x/",
        "/oauth2/authorize",
        "/webmasters/v3/sites",
        "/__provider/faults",
        "/sites/../o/oauth2/v2/auth", // resolved by the URL parser before the check
        "/sites",
      ]) {
        const { log } = await run("WEBSITE_ANALYSIS", { websiteUrl: `${provider.url}${path}` });
        expect(log, path).toMatchObject({ status: "FAILED", errorCategory: "CONFIG_ERROR", retryable: false });
        expect(log.errorMessage, path).toMatch(/refused/);
      }
    });

    it("refuses private, loopback and link-local addresses and other schemes (SSRF guard)", async () => {
      const strict = { fetchPolicy: { ...settings.fetchPolicy, allowedPrivateUrls: [] } };
      for (const url of [
        `${provider.url}/sites/shop/`,
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "file:///etc/passwd",
        "http://localhost:1/",
      ]) {
        const { log } = await run("WEBSITE_ANALYSIS", { websiteUrl: url }, strict);
        expect(log, url).toMatchObject({ status: "FAILED", errorCategory: "CONFIG_ERROR", retryable: false });
        expect(log.errorMessage, url).toMatch(/refused/);
      }
    });
  });

  it("never writes a token into execution logs, events, results or server logs", async () => {
    const connections = await t.db.platformConnection.findMany();
    const tokens = connections
      .flatMap((c) => [c.accessTokenEnc, c.refreshTokenEnc])
      .filter((x): x is string => Boolean(x))
      .map((x) => decryptToken(x, keyring));
    const logs = JSON.stringify(await t.db.executionLog.findMany());
    const events = JSON.stringify(await t.db.schedulerEvent.findMany());
    const alerts = JSON.stringify(await t.db.alert.findMany());
    for (const token of tokens) {
      for (const text of [logs, events, alerts, logged.join("\n")]) expect(text.includes(token)).toBe(false);
    }
    expect(logs).not.toMatch(/lp_[A-Za-z0-9_-]{20,}/); // no provider token of any connection, past or present
    expect(logged.join("\n")).not.toMatch(/lp_[A-Za-z0-9_-]{20,}/);
  });
});
