/**
 * The platforms a user can connect and their names as people read them. Free of zod, so the pages that
 * only name a platform do not carry the validation library (`validation/platform.ts` builds its schemas
 * on these).
 */
export const PLATFORMS = ["GSC", "BING", "WORDPRESS", "WIX"] as const;
export const PLATFORM_NAMES: Record<(typeof PLATFORMS)[number], string> = {
  GSC: "Google Search Console",
  BING: "Bing Webmaster",
  WORDPRESS: "WordPress",
  WIX: "Wix",
};
