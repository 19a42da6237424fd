import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_PROVIDER_SECRET, mintToken, readToken, type ProviderPlatform, type TokenClaims } from "./tokens";
import { SAMPLE_SITES, sampleRobots, sampleSitemap } from "./sites";
import { AlertReceiver } from "./receiver";
import {
  bingStats as modelBingStats,
  demoSearchModel,
  DIMENSIONS,
  genericSearchModel,
  searchAnalytics as modelSearchAnalytics,
  type AnalyticsRow,
  type BingDailyStat,
  type Dimension,
  type SearchModel,
  type SearchPlatform,
} from "./search-model";

/**
 * A local stand-in for the external APIs the executors call, speaking their real request and
 * response formats over real HTTP on 127.0.0.1: Google OAuth (token, tokeninfo, authorize) and the
 * Search Console API; Bing Webmaster (OAuth token, GetUserSites, GetQueryStats, GetPageStats,
 * GetRankAndTrafficStats); WordPress.com (OAuth token, token-info, /me); Wix (OAuth access,
 * token-info); and a few sample websites for the analysis executor. Tests start it and script its
 * faults; the offline demo runs it. Search data comes from the search model (search-model.ts) the
 * demo seed wrote its history from, so the first real fetch continues the seeded trend.
 */

export interface SearchRow {
  query: string;
  page: string;
  clicks: number;
  impressions: number;
  position: number;
}

/** A scripted misbehaviour, served to the next request whose path contains `path` (any request without). */
export type Fault = { path?: string } & (
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "malformed" }
  | { kind: "delay"; ms: number }
);

export interface LocalProvider {
  url: string;
  secret: string;
  /**
   * Scripted search data per site URL (tests), served for any date range and both platforms. Other
   * sites: the demo's properties from their search model, and with `anySite` any site from a generic one.
   */
  sites: Map<string, SearchRow[]>;
  anySite: boolean;
  /** Revoked token ids (jti): an access token answers 401, a refresh token invalid_grant. */
  revoked: Set<string>;
  faults: Fault[];
  /** The demo's alert receivers: the webhook endpoint at /__receiver/webhook and the mail sink. */
  receiver: AlertReceiver;
  /** The mail sink's smtp:// URL, when it was asked for (`mailSinkPort`) and could start. */
  mailUrl: string | null;
  requests: { method: string; path: string; query: string; body: unknown; authorization: string | undefined }[];
  /** Mints a token this provider accepts (tests and the demo seed). */
  token(claims: { platform: ProviderPlatform; kind?: TokenClaims["kind"]; sub?: string; expiresInS?: number }): string;
  close(): Promise<void>;
}

const ACCESS_TTL_S: Record<ProviderPlatform, number> = {
  GSC: 3599,
  BING: 3599,
  WORDPRESS: 10 * 365 * 86_400,
  WIX: 4 * 3600,
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(JSON.stringify(body));
}

/** Google APIs' error envelope. */
function googleError(res: ServerResponse, status: number, message: string, reason: string) {
  send(res, status, { error: { code: status, message, status: reason, errors: [{ message, reason }] } });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return undefined;
  if ((req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface QueryBody {
  startDate?: string;
  endDate?: string;
  dimensions?: string[];
  rowLimit?: number;
  startRow?: number;
}

type RowDimension = "query" | "page";

/** One page of the answer, with startRow/rowLimit. */
function analyticsPage(all: AnalyticsRow[], body: QueryBody) {
  const start = body.startRow ?? 0;
  const limit = Math.min(body.rowLimit ?? 1000, 25_000);
  const page = all.slice(start, start + limit);
  return page.length
    ? { rows: page, responseAggregationType: "byProperty" }
    : { responseAggregationType: "byProperty" };
}

/** Search Analytics over scripted rows: group by the requested dimensions (query, page), sort by clicks; dates are not looked at. */
function scriptedAnalytics(rows: SearchRow[], dimensions: RowDimension[]): AnalyticsRow[] {
  const groups = new Map<string, { keys: string[]; clicks: number; impressions: number; weightedPosition: number }>();
  for (const row of rows) {
    const keys = dimensions.map((d) => row[d]);
    const key = JSON.stringify(keys);
    const group = groups.get(key) ?? { keys, clicks: 0, impressions: 0, weightedPosition: 0 };
    group.clicks += row.clicks;
    group.impressions += row.impressions;
    group.weightedPosition += row.position * row.impressions;
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({
      ...(dimensions.length ? { keys: g.keys } : {}),
      clicks: g.clicks,
      impressions: g.impressions,
      ctr: g.impressions ? g.clicks / g.impressions : 0,
      position: g.impressions ? g.weightedPosition / g.impressions : 0,
    }))
    .sort((a, b) => b.clicks - a.clicks || b.impressions - a.impressions);
}

/** Scripted rows as Bing lists them: each row's numbers spread over 4 weekly data points within the last 28 days. */
function scriptedBingStats(rows: SearchRow[], by: RowDimension, now: number): BingDailyStat[] {
  const out: BingDailyStat[] = [];
  for (const [i, row] of rows.entries()) {
    for (let week = 0; week < 4; week++) {
      const day = now - (week * 7 + (i % 7)) * 86_400_000;
      out.push({
        key: by === "query" ? row.query : row.page,
        date: day - (day % 86_400_000),
        clicks: Math.floor(row.clicks / 4) + (week < row.clicks % 4 ? 1 : 0),
        impressions: Math.floor(row.impressions / 4) + (week < row.impressions % 4 ? 1 : 0),
        position: row.position,
      });
    }
  }
  return out;
}

/** Bing Webmaster's QueryStats/PageStats rows in its JSON: dates in WCF form, the key as "Query" for both. */
function bingStatsJson(stats: BingDailyStat[], by: RowDimension) {
  return stats.map((stat) => ({
    __type: by === "query" ? "QueryStats:#Microsoft.Bing.Webmaster.Api" : "PageStats:#Microsoft.Bing.Webmaster.Api",
    AvgClickPosition: Math.max(1, Math.round((stat.position - 0.3) * 10) / 10),
    AvgImpressionPosition: stat.position,
    Clicks: stat.clicks,
    Date: `/Date(${stat.date})/`,
    Impressions: stat.impressions,
    Query: stat.key,
  }));
}

/** RankAndTrafficStats: the site's clicks and impressions per day (its queries' stats added up). */
function bingTrafficJson(queryStats: BingDailyStat[]) {
  const byDay = new Map<number, { date: number; clicks: number; impressions: number }>();
  for (const stat of queryStats) {
    const day = byDay.get(stat.date) ?? { date: stat.date, clicks: 0, impressions: 0 };
    day.clicks += stat.clicks;
    day.impressions += stat.impressions;
    byDay.set(stat.date, day);
  }
  return [...byDay.values()]
    .sort((a, b) => a.date - b.date)
    .map((day) => ({
      __type: "RankAndTrafficStats:#Microsoft.Bing.Webmaster.Api",
      Clicks: day.clicks,
      Date: `/Date(${day.date})/`,
      Impressions: day.impressions,
    }));
}

/** Where a site's search data comes from: scripted rows, or a search model. */
type SearchSource = { rows: SearchRow[] } | { model: SearchModel };

export async function startLocalProvider(
  options: { port?: number; secret?: string; anySite?: boolean; mailSinkPort?: number } = {},
): Promise<LocalProvider> {
  const secret = options.secret ?? DEFAULT_PROVIDER_SECRET;
  const receiver = new AlertReceiver();
  const provider = {
    secret,
    receiver,
    sites: new Map<string, SearchRow[]>(),
    anySite: options.anySite ?? false,
    revoked: new Set<string>(),
    faults: [] as Fault[],
    requests: [] as LocalProvider["requests"],
  };
  const mint = (platform: ProviderPlatform, kind: TokenClaims["kind"], sub: string, expiresInS: number) =>
    mintToken({ platform, kind, sub, exp: Math.floor(Date.now() / 1000) + expiresInS }, secret);

  /** A valid, unexpired, unrevoked token of this platform and kind, or the reason it is not. */
  const check = (
    token: string | undefined | null,
    platform: ProviderPlatform,
    kind: TokenClaims["kind"],
  ): TokenClaims | "invalid" | "expired" | "revoked" => {
    const claims = token ? readToken(token, secret) : null;
    if (!claims || claims.platform !== platform || claims.kind !== kind) return "invalid";
    if (provider.revoked.has(claims.jti)) return "revoked";
    if (claims.exp * 1000 < Date.now()) return "expired";
    return claims;
  };
  const bearer = (req: IncomingMessage) => req.headers.authorization?.replace(/^Bearer\s+/i, "");
  /** The account's verified sites: the configured ones, or (serving any site) one demo property. */
  const listedSites = () =>
    provider.sites.size ? [...provider.sites.keys()] : provider.anySite ? ["https://www.example.com/"] : [];
  const sourceFor = (siteUrl: string, platform: SearchPlatform): SearchSource | undefined => {
    const rows = provider.sites.get(siteUrl);
    if (rows) return { rows };
    const model =
      demoSearchModel(siteUrl, platform) ??
      (provider.anySite && siteUrl ? genericSearchModel(siteUrl, platform) : undefined);
    return model ? { model } : undefined;
  };

  /** Issues tokens for a code or refresh token grant, in the platform's response shape. */
  function grant(res: ServerResponse, platform: ProviderPlatform, body: Record<string, string | undefined>) {
    const type = body.grant_type;
    const presented = type === "authorization_code" ? body.code : body.refresh_token;
    const claims = check(presented, platform, type === "authorization_code" ? "code" : "refresh");
    if (type !== "authorization_code" && type !== "refresh_token") {
      return send(res, 400, {
        error: "unsupported_grant_type",
        error_description: `grant_type ${String(type)} is not supported`,
      });
    }
    if (typeof claims === "string") {
      const description =
        platform === "GSC"
          ? "Token has been expired or revoked."
          : `The ${type === "authorization_code" ? "code" : "refresh token"} is ${claims}.`;
      if (platform === "WIX")
        return send(res, 400, {
          message: `invalid_grant: ${description}`,
          details: { applicationError: { code: "INVALID_GRANT" } },
        });
      return send(res, 400, { error: "invalid_grant", error_description: description });
    }
    const ttl = ACCESS_TTL_S[platform];
    const access = mint(platform, "access", claims.sub, ttl);
    if (platform === "WORDPRESS")
      return send(res, 200, {
        access_token: access,
        token_type: "bearer",
        blog_id: "4242",
        blog_url: "https://demo.wordpress.example",
        scope: "global",
      });
    const refresh =
      type === "authorization_code" || platform === "WIX"
        ? mint(platform, "refresh", claims.sub, 180 * 86_400)
        : undefined;
    send(res, 200, {
      access_token: access,
      expires_in: ttl,
      token_type: "Bearer",
      ...(refresh ? { refresh_token: refresh } : {}),
      scope: platform === "GSC" ? "https://www.googleapis.com/auth/webmasters.readonly" : "webmaster.manage",
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    // The alert receivers read the raw body themselves (a signature covers its exact bytes).
    if (await receiver.handle(req, res, url.pathname)) return;
    const body = await readBody(req);
    provider.requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search,
      body,
      authorization: req.headers.authorization,
    });
    // ── Control endpoints: script faults and revocations over HTTP (the demo, or a test in another process).
    if (url.pathname === "/__provider/faults" && req.method === "POST") {
      const fault = body as Fault;
      if (!fault || !["status", "malformed", "delay"].includes(fault.kind))
        return send(res, 400, {
          error: "a fault is {kind: status|malformed|delay, path?, status?, ms?, headers?, body?}",
        });
      provider.faults.push(fault);
      return send(res, 200, { queued: provider.faults.length });
    }
    if (url.pathname === "/__provider/revoke" && req.method === "POST") {
      const claims = readToken(String((body as { token?: string } | undefined)?.token ?? ""), secret);
      if (!claims) return send(res, 400, { error: "not a token of this provider" });
      provider.revoked.add(claims.jti);
      return send(res, 200, { revoked: claims.jti });
    }
    const faultIndex = provider.faults.findIndex((f) => !f.path || url.pathname.includes(f.path));
    const fault = faultIndex >= 0 ? provider.faults.splice(faultIndex, 1)[0] : undefined;
    if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
    else if (fault?.kind === "malformed") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end('{"rows": [ {"keys": ["trunc');
    } else if (fault?.kind === "status") {
      return send(
        res,
        fault.status,
        fault.body ?? { error: { code: fault.status, message: "scripted failure", status: "UNAVAILABLE" } },
        fault.headers,
      );
    }
    const form = (body ?? {}) as Record<string, string | undefined>;
    const path = url.pathname;

    // ── OAuth authorize (all platforms): the local provider approves at once and redirects back with a code.
    const authorize: Record<string, ProviderPlatform> = {
      "/o/oauth2/v2/auth": "GSC",
      "/webmasters/oauth/authorize": "BING",
      "/oauth2/authorize": "WORDPRESS",
      "/installer/install": "WIX",
    };
    if (authorize[path] && req.method === "GET") {
      const redirect = url.searchParams.get("redirect_uri") ?? url.searchParams.get("redirectUrl");
      if (!redirect) return send(res, 400, { error: "invalid_request", error_description: "redirect_uri is required" });
      const back = new URL(redirect);
      back.searchParams.set(
        "code",
        mint(authorize[path], "code", url.searchParams.get("login_hint") ?? "local-account", 600),
      );
      const state = url.searchParams.get("state");
      if (state) back.searchParams.set("state", state);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }

    // ── Google
    if (path === "/token" && req.method === "POST") return grant(res, "GSC", form);
    if (path === "/tokeninfo") {
      const claims = check(url.searchParams.get("access_token"), "GSC", "access");
      if (typeof claims === "string")
        return send(res, 400, {
          error: "invalid_token",
          error_description: claims === "invalid" ? "Invalid Value" : `Token ${claims}`,
        });
      return send(res, 200, {
        azp: "local-client",
        aud: "local-client",
        sub: claims.sub,
        scope: "https://www.googleapis.com/auth/webmasters.readonly",
        exp: String(claims.exp),
        expires_in: String(Math.max(0, claims.exp - Math.floor(Date.now() / 1000))),
        email: `${claims.sub}@example.com`,
      });
    }
    if (path.startsWith("/webmasters/v3/")) {
      const claims = check(bearer(req), "GSC", "access");
      if (typeof claims === "string")
        return googleError(
          res,
          401,
          "Request had invalid authentication credentials. Expected OAuth 2 access token.",
          "UNAUTHENTICATED",
        );
      if (path === "/webmasters/v3/sites") {
        return send(res, 200, {
          siteEntry: listedSites().map((siteUrl) => ({ siteUrl, permissionLevel: "siteOwner" })),
        });
      }
      const analytics = path.match(/^\/webmasters\/v3\/sites\/([^/]+)\/searchAnalytics\/query$/);
      if (analytics && req.method === "POST") {
        const siteUrl = decodeURIComponent(analytics[1]!);
        const source = sourceFor(siteUrl, "GSC");
        if (!source)
          return googleError(
            res,
            403,
            `User does not have sufficient permission for site '${siteUrl}'. See also: https://support.google.com/webmasters/answer/2451999.`,
            "PERMISSION_DENIED",
          );
        const query = (body && typeof body === "object" ? body : {}) as QueryBody;
        const dimensions = Array.isArray(query.dimensions) ? query.dimensions : [];
        const unknown = dimensions.find((d) => !DIMENSIONS.includes(d as Dimension));
        if (unknown !== undefined)
          return googleError(res, 400, `Invalid value at 'dimensions' (${String(unknown)}).`, "INVALID_ARGUMENT");
        if ("rows" in source) {
          if (dimensions.some((d) => d !== "query" && d !== "page"))
            return googleError(
              res,
              400,
              "The scripted rows of this site have only the query and page dimensions.",
              "INVALID_ARGUMENT",
            );
          return send(res, 200, analyticsPage(scriptedAnalytics(source.rows, dimensions as RowDimension[]), query));
        }
        try {
          const rows = modelSearchAnalytics(
            source.model,
            siteUrl,
            {
              startDate: String(query.startDate ?? ""),
              endDate: String(query.endDate ?? ""),
              dimensions: dimensions as Dimension[],
            },
            new Date(),
          );
          return send(res, 200, analyticsPage(rows, query));
        } catch (error) {
          if (error instanceof RangeError) return googleError(res, 400, error.message, "INVALID_ARGUMENT");
          throw error;
        }
      }
    }

    // ── Bing Webmaster
    if (path === "/webmasters/oauth/token" && req.method === "POST") return grant(res, "BING", form);
    if (path.startsWith("/webmaster/api.svc/json/")) {
      const claims = check(bearer(req), "BING", "access");
      if (typeof claims === "string")
        return send(res, 401, { ErrorCode: 14, Message: "NotAuthorized: the access token is invalid or expired" });
      const method = path.slice("/webmaster/api.svc/json/".length);
      if (method === "GetUserSites")
        return send(res, 200, {
          d: listedSites().map((Url) => ({ __type: "Site:#Microsoft.Bing.Webmaster.Api", Url, IsVerified: true })),
        });
      if (method === "GetQueryStats" || method === "GetPageStats" || method === "GetRankAndTrafficStats") {
        const siteUrl = url.searchParams.get("siteUrl") ?? "";
        const source = sourceFor(siteUrl, "BING");
        if (!source)
          return send(res, 400, { ErrorCode: 7, Message: `InvalidSiteUrl: ${siteUrl} is not verified for this user` });
        const now = new Date();
        const stats = (by: RowDimension) =>
          "rows" in source
            ? scriptedBingStats(source.rows, by, now.getTime())
            : modelBingStats(source.model, siteUrl, by, now);
        if (method === "GetRankAndTrafficStats") return send(res, 200, { d: bingTrafficJson(stats("query")) });
        const by = method === "GetQueryStats" ? "query" : "page";
        return send(res, 200, { d: bingStatsJson(stats(by), by) });
      }
      return send(res, 404, { ErrorCode: 0, Message: `Unknown method ${method}` });
    }

    // ── WordPress.com
    if (path === "/oauth2/token" && req.method === "POST") return grant(res, "WORDPRESS", form);
    if (path === "/oauth2/token-info" && req.method === "GET") {
      const claims = check(url.searchParams.get("token"), "WORDPRESS", "access");
      if (typeof claims === "string")
        return send(res, 400, { error: "invalid_token", error_description: "The OAuth2 token is invalid." });
      return send(res, 200, {
        client_id: url.searchParams.get("client_id") ?? "local-client",
        user_id: "77",
        blog_id: "4242",
        scope: "global",
      });
    }
    if (path === "/rest/v1.1/me") {
      const claims = check(bearer(req), "WORDPRESS", "access");
      if (typeof claims === "string")
        return send(res, 403, {
          error: "authorization_required",
          message: "An active access token must be used to query information about the current user.",
        });
      return send(res, 200, {
        ID: 77,
        username: claims.sub,
        display_name: claims.sub,
        primary_blog: 4242,
        primary_blog_url: "https://demo.wordpress.example",
      });
    }

    // ── Wix
    if (path === "/oauth/access" && req.method === "POST") return grant(res, "WIX", form);
    if (path === "/oauth2/token-info" && req.method === "POST") {
      const claims = check(form.token, "WIX", "access");
      if (typeof claims === "string")
        return send(res, 401, { message: "Invalid token", details: { applicationError: { code: "INVALID_TOKEN" } } });
      return send(res, 200, {
        active: true,
        subjectType: "USER",
        subjectId: claims.sub,
        exp: String(claims.exp),
        iat: String(claims.exp - ACCESS_TTL_S.WIX),
        clientId: "local-client",
        siteId: "site-4242",
      });
    }

    // ── Sample websites for the analysis executor
    if (path === "/robots.txt") {
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end(sampleRobots(`http://${req.headers.host}`));
    }
    if (path === "/sitemap.xml") {
      res.writeHead(200, { "content-type": "application/xml" });
      return res.end(sampleSitemap(`http://${req.headers.host}`));
    }
    const site = path.match(/^\/sites\/([a-z0-9-]+)\/?(.*)$/);
    if (site) {
      const sample = SAMPLE_SITES[site[1]!];
      if (sample?.redirectTo && !site[2]) {
        res.writeHead(301, { location: `/sites/${sample.redirectTo}/` });
        return res.end();
      }
      const page = sample?.pages[site[2] ?? ""];
      if (sample && page !== undefined) {
        if (sample.delayMs) await new Promise((resolve) => setTimeout(resolve, sample.delayMs));
        res.writeHead(sample.status ?? 200, { "content-type": "text/html; charset=utf-8" });
        return res.end(page);
      }
      res.writeHead(404, { "content-type": "text/html" });
      return res.end("<!doctype html><title>Not found</title><h1>Not found</h1>");
    }
    send(res, 404, { error: { code: 404, message: `No route for ${req.method} ${path}`, status: "NOT_FOUND" } });
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const mailUrl = options.mailSinkPort !== undefined ? await receiver.startMailSink(options.mailSinkPort) : null;
  return Object.assign(provider, {
    url: `http://127.0.0.1:${port}`,
    mailUrl,
    token: (c: { platform: ProviderPlatform; kind?: TokenClaims["kind"]; sub?: string; expiresInS?: number }) =>
      mint(c.platform, c.kind ?? "access", c.sub ?? "local-account", c.expiresInS ?? ACCESS_TTL_S[c.platform]),
    close: async () => {
      await receiver.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  });
}
