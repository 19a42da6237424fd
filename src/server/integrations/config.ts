import type { IntegrationsEnv } from "@/server/config/integrations";

export type { IntegrationsEnv };
import type { Platform } from "@/generated/sqlite/enums";
import { localEndpoints, PUBLIC_ENDPOINTS, type Endpoints, type PlatformCredentials } from "./endpoints";
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from "./website";

const PLATFORMS: Platform[] = ["GSC", "BING", "WORDPRESS", "WIX"];

export function configuredCredentials(e: IntegrationsEnv): PlatformCredentials {
  const credentials: PlatformCredentials = {};
  for (const p of PLATFORMS) {
    const id = e[`${p}_CLIENT_ID`];
    const secret = e[`${p}_CLIENT_SECRET`];
    if (id && secret) credentials[p] = { clientId: id, clientSecret: secret };
  }
  return credentials;
}

/**
 * Whether the local provider (a demo and test device) runs: only when asked. `true` always; `auto` (what
 * `npm run demo` and `npm run dev` pass) when no platform has real client credentials; `false`, the
 * default, never, so `npm start` in production does not serve it.
 */
export function localProviderEnabled(e: IntegrationsEnv): boolean {
  if (e.LOCAL_PROVIDER !== "auto") return e.LOCAL_PROVIDER === "true";
  return Object.keys(configuredCredentials(e)).length === 0;
}

/** The interval of a new connection's token check, from TOKEN_CHECK_INTERVAL_DAYS. */
export function tokenCheckMinutes(e: Pick<IntegrationsEnv, "TOKEN_CHECK_INTERVAL_DAYS">): number {
  return Math.round(e.TOKEN_CHECK_INTERVAL_DAYS * 24 * 60);
}

export interface IntegrationSettings {
  endpoints: Endpoints;
  credentials: PlatformCredentials;
  fetchPolicy: FetchPolicy;
  refreshWithinDays: number;
  /** Interval of the token-monitoring task a new connection gets. */
  tokenCheckMinutes: number;
  /** Set when the local provider serves the APIs. */
  localProviderUrl: string | null;
}

/** Endpoints and credentials: the public services with env overrides, or everything on the local provider. */
export function integrationSettings(e: IntegrationsEnv, localProviderUrl: string | null): IntegrationSettings {
  const fetchPolicy: FetchPolicy = { ...DEFAULT_FETCH_POLICY, allowPrivateNetworks: e.FETCH_ALLOW_PRIVATE_NETWORKS };
  if (localProviderUrl) {
    const local = { clientId: "local-client", clientSecret: "local-secret" };
    const origin = new URL(localProviderUrl).origin;
    return {
      endpoints: localEndpoints(localProviderUrl),
      credentials: { GSC: local, BING: local, WORDPRESS: local, WIX: local },
      // The demo's sample sites and their robots.txt and sitemap, and nothing else private: not the
      // provider's OAuth and API endpoints, which a user's "website" could otherwise make us call.
      fetchPolicy: {
        ...fetchPolicy,
        allowedPrivateUrls: [`${origin}/sites/`, `${origin}/robots.txt`, `${origin}/sitemap.xml`],
      },
      refreshWithinDays: e.TOKEN_REFRESH_WITHIN_DAYS,
      tokenCheckMinutes: tokenCheckMinutes(e),
      localProviderUrl,
    };
  }
  const p = PUBLIC_ENDPOINTS;
  return {
    endpoints: {
      google: {
        authorizeUrl: e.GOOGLE_AUTHORIZE_URL ?? p.google.authorizeUrl,
        oauthBaseUrl: e.GOOGLE_OAUTH_BASE_URL ?? p.google.oauthBaseUrl,
        searchConsoleBaseUrl: e.SEARCH_CONSOLE_BASE_URL ?? p.google.searchConsoleBaseUrl,
      },
      bing: {
        authorizeUrl: e.BING_AUTHORIZE_URL ?? p.bing.authorizeUrl,
        oauthBaseUrl: e.BING_OAUTH_BASE_URL ?? p.bing.oauthBaseUrl,
        apiBaseUrl: e.BING_API_BASE_URL ?? p.bing.apiBaseUrl,
      },
      wordpress: {
        authorizeUrl: e.WORDPRESS_AUTHORIZE_URL ?? p.wordpress.authorizeUrl,
        baseUrl: e.WORDPRESS_BASE_URL ?? p.wordpress.baseUrl,
      },
      wix: { authorizeUrl: e.WIX_AUTHORIZE_URL ?? p.wix.authorizeUrl, baseUrl: e.WIX_BASE_URL ?? p.wix.baseUrl },
    },
    credentials: configuredCredentials(e),
    fetchPolicy,
    refreshWithinDays: e.TOKEN_REFRESH_WITHIN_DAYS,
    tokenCheckMinutes: tokenCheckMinutes(e),
    localProviderUrl: null,
  };
}
