import type { Platform } from "@/generated/sqlite/enums";

/** Where each platform's APIs live; every URL is configurable so tests and the demo can use the local provider. */
export interface Endpoints {
  google: { authorizeUrl: string; oauthBaseUrl: string; searchConsoleBaseUrl: string };
  bing: { authorizeUrl: string; oauthBaseUrl: string; apiBaseUrl: string };
  wordpress: { authorizeUrl: string; baseUrl: string };
  wix: { authorizeUrl: string; baseUrl: string };
}

export const PUBLIC_ENDPOINTS: Endpoints = {
  google: {
    authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    oauthBaseUrl: "https://oauth2.googleapis.com",
    searchConsoleBaseUrl: "https://searchconsole.googleapis.com",
  },
  bing: {
    authorizeUrl: "https://www.bing.com/webmasters/oauth/authorize",
    oauthBaseUrl: "https://www.bing.com",
    apiBaseUrl: "https://ssl.bing.com",
  },
  wordpress: {
    authorizeUrl: "https://public-api.wordpress.com/oauth2/authorize",
    baseUrl: "https://public-api.wordpress.com",
  },
  wix: { authorizeUrl: "https://www.wix.com/installer/install", baseUrl: "https://www.wixapis.com" },
};

/** Every endpoint on one origin: the local provider's (dev/provider), which serves them all under the real paths. */
export function localEndpoints(origin: string): Endpoints {
  const o = origin.replace(/\/$/, "");
  return {
    google: { authorizeUrl: `${o}/o/oauth2/v2/auth`, oauthBaseUrl: o, searchConsoleBaseUrl: o },
    bing: { authorizeUrl: `${o}/webmasters/oauth/authorize`, oauthBaseUrl: o, apiBaseUrl: o },
    wordpress: { authorizeUrl: `${o}/oauth2/authorize`, baseUrl: o },
    wix: { authorizeUrl: `${o}/installer/install`, baseUrl: o },
  };
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export type PlatformCredentials = Partial<Record<Platform, ClientCredentials>>;
