import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));
const optionalUrl = optional.refine((v) => v === undefined || /^https?:\/\//.test(v), {
  message: "must be an http(s) URL",
});

/** Integration variables: client credentials per platform, endpoint overrides, the local provider. */
export const integrationsEnvSchema = z.object({
  /** The demo's stand-in for the platforms: off unless asked (`npm run demo`/`dev` pass `auto`). */
  LOCAL_PROVIDER: z.enum(["auto", "true", "false"], { error: "must be auto, true or false" }).default("false"),
  LOCAL_PROVIDER_PORT: z.coerce.number().int().min(0).max(65535).default(3999),
  GSC_CLIENT_ID: optional,
  GSC_CLIENT_SECRET: optional,
  BING_CLIENT_ID: optional,
  BING_CLIENT_SECRET: optional,
  WORDPRESS_CLIENT_ID: optional,
  WORDPRESS_CLIENT_SECRET: optional,
  WIX_CLIENT_ID: optional,
  WIX_CLIENT_SECRET: optional,
  GOOGLE_AUTHORIZE_URL: optionalUrl,
  GOOGLE_OAUTH_BASE_URL: optionalUrl,
  SEARCH_CONSOLE_BASE_URL: optionalUrl,
  BING_AUTHORIZE_URL: optionalUrl,
  BING_OAUTH_BASE_URL: optionalUrl,
  BING_API_BASE_URL: optionalUrl,
  WORDPRESS_AUTHORIZE_URL: optionalUrl,
  WORDPRESS_BASE_URL: optionalUrl,
  WIX_AUTHORIZE_URL: optionalUrl,
  WIX_BASE_URL: optionalUrl,
  /** Development only: let website analysis fetch private, loopback and link-local addresses. */
  FETCH_ALLOW_PRIVATE_NETWORKS: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .optional()
    .transform((v) => v === "true" || v === "1"),
  TOKEN_REFRESH_WITHIN_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /** How often a connection's token is checked (the interval of its token-monitoring task). */
  TOKEN_CHECK_INTERVAL_DAYS: z.coerce.number().min(0.01).max(60).default(7),
});
export type IntegrationsEnv = z.infer<typeof integrationsEnvSchema>;
