import type { Platform } from "@/generated/sqlite/enums";
import type { ClientCredentials, Endpoints } from "./endpoints";
import { IntegrationError, requestJson } from "./http";

export interface TokenSet {
  accessToken: string;
  /** Only when the provider issued a new one. */
  refreshToken?: string;
  expiresAt: Date | null;
}

export type TokenCheck =
  { valid: true; expiresAt: Date | null; account: string | null } | { valid: false; reason: string };

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
}

const TIMEOUT_MS = 15_000;

function tokenSet(response: TokenResponse, now: number): TokenSet {
  if (!response.access_token)
    throw new IntegrationError("the token endpoint returned no access_token", "UNKNOWN", true);
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token || undefined,
    expiresAt: typeof response.expires_in === "number" ? new Date(now + response.expires_in * 1000) : null,
  };
}

/** Which platforms can renew an access token without the user (WordPress.com tokens do not expire and have no refresh). */
export const CAN_REFRESH: Record<Platform, boolean> = { GSC: true, BING: true, WORDPRESS: false, WIX: true };

/** The authorization-code flow's first step: where to send the user's browser. */
export function authorizeUrl(
  platform: Platform,
  endpoints: Endpoints,
  credentials: ClientCredentials,
  redirectUri: string,
  state: string,
): string {
  const params = new URLSearchParams({
    client_id: credentials.clientId,
    redirect_uri: redirectUri,
    state,
    response_type: "code",
  });
  switch (platform) {
    case "GSC":
      params.set("scope", "https://www.googleapis.com/auth/webmasters.readonly");
      params.set("access_type", "offline");
      params.set("prompt", "consent");
      return `${endpoints.google.authorizeUrl}?${params}`;
    case "BING":
      params.set("scope", "webmaster.manage");
      return `${endpoints.bing.authorizeUrl}?${params}`;
    case "WORDPRESS":
      params.set("scope", "global");
      return `${endpoints.wordpress.authorizeUrl}?${params}`;
    case "WIX":
      return `${endpoints.wix.authorizeUrl}?appId=${encodeURIComponent(credentials.clientId)}&redirectUrl=${encodeURIComponent(redirectUri)}&redirect_uri=${encodeURIComponent(redirectUri)}&state=${encodeURIComponent(state)}`;
  }
}

function tokenEndpoint(platform: Platform, endpoints: Endpoints): string {
  switch (platform) {
    case "GSC":
      return `${endpoints.google.oauthBaseUrl}/token`;
    case "BING":
      return `${endpoints.bing.oauthBaseUrl}/webmasters/oauth/token`;
    case "WORDPRESS":
      return `${endpoints.wordpress.baseUrl}/oauth2/token`;
    case "WIX":
      return `${endpoints.wix.baseUrl}/oauth/access`;
  }
}

async function grant(
  platform: Platform,
  endpoints: Endpoints,
  credentials: ClientCredentials,
  fields: Record<string, string>,
  signal?: AbortSignal,
): Promise<TokenSet> {
  const api = `${platform} token endpoint`;
  const base = { client_id: credentials.clientId, client_secret: credentials.clientSecret, ...fields };
  const now = Date.now();
  // Wix takes JSON; the others the standard form encoding.
  const response =
    platform === "WIX"
      ? await requestJson<TokenResponse>(tokenEndpoint(platform, endpoints), {
          api,
          body: base,
          timeoutMs: TIMEOUT_MS,
          signal,
        })
      : await requestJson<TokenResponse>(tokenEndpoint(platform, endpoints), {
          api,
          form: base,
          timeoutMs: TIMEOUT_MS,
          signal,
        });
  return tokenSet(response, now);
}

export function exchangeCode(
  platform: Platform,
  endpoints: Endpoints,
  credentials: ClientCredentials,
  code: string,
  redirectUri: string,
  signal?: AbortSignal,
) {
  return grant(
    platform,
    endpoints,
    credentials,
    { grant_type: "authorization_code", code, redirect_uri: redirectUri },
    signal,
  );
}

export function refreshAccessToken(
  platform: Platform,
  endpoints: Endpoints,
  credentials: ClientCredentials,
  refreshToken: string,
  signal?: AbortSignal,
) {
  return grant(platform, endpoints, credentials, { grant_type: "refresh_token", refresh_token: refreshToken }, signal);
}

/**
 * Asks the provider whether an access token still works: Google's tokeninfo, WordPress.com's and
 * Wix's token-info, and for Bing (which has none) a cheap authenticated call. A refused token is
 * `valid: false`; a transient failure throws a retryable IntegrationError.
 */
export async function checkAccessToken(
  platform: Platform,
  endpoints: Endpoints,
  credentials: ClientCredentials,
  accessToken: string,
  signal?: AbortSignal,
): Promise<TokenCheck> {
  const options = { timeoutMs: TIMEOUT_MS, signal };
  try {
    switch (platform) {
      case "GSC": {
        const info = await requestJson<{ exp?: string; email?: string; sub?: string }>(
          `${endpoints.google.oauthBaseUrl}/tokeninfo?access_token=${encodeURIComponent(accessToken)}`,
          { ...options, api: "Google tokeninfo" },
        );
        return {
          valid: true,
          expiresAt: info.exp ? new Date(Number(info.exp) * 1000) : null,
          account: info.email ?? info.sub ?? null,
        };
      }
      case "BING": {
        await requestJson<unknown>(`${endpoints.bing.apiBaseUrl}/webmaster/api.svc/json/GetUserSites`, {
          ...options,
          api: "Bing Webmaster",
          headers: { authorization: `Bearer ${accessToken}` },
        });
        return { valid: true, expiresAt: null, account: null };
      }
      case "WORDPRESS": {
        const url = `${endpoints.wordpress.baseUrl}/oauth2/token-info?client_id=${encodeURIComponent(credentials.clientId)}&token=${encodeURIComponent(accessToken)}`;
        const info = await requestJson<{ user_id?: string; blog_id?: string }>(url, {
          ...options,
          api: "WordPress.com token-info",
        });
        return { valid: true, expiresAt: null, account: info.user_id ?? null };
      }
      case "WIX": {
        const info = await requestJson<{ active?: boolean; exp?: string; subjectId?: string }>(
          `${endpoints.wix.baseUrl}/oauth2/token-info`,
          { ...options, api: "Wix token-info", body: { token: accessToken } },
        );
        if (info.active === false) return { valid: false, reason: "token is not active" };
        return {
          valid: true,
          expiresAt: info.exp ? new Date(Number(info.exp) * 1000) : null,
          account: info.subjectId ?? null,
        };
      }
    }
  } catch (error) {
    if (error instanceof IntegrationError && error.category === "AUTH_ERROR")
      return { valid: false, reason: error.message };
    throw error;
  }
}
