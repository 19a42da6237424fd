import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The local provider's tokens: signed, self-describing strings, so the provider needs no storage
 * and seeded demo connections can hold tokens it accepts. Only this fake server reads them; the
 * app treats them as opaque, like real tokens.
 */
export type ProviderPlatform = "GSC" | "BING" | "WORDPRESS" | "WIX";
export interface TokenClaims {
  platform: ProviderPlatform;
  kind: "access" | "refresh" | "code";
  /** The account the token belongs to. */
  sub: string;
  /** Expiry, epoch seconds. */
  exp: number;
  jti: string;
}

export const DEFAULT_PROVIDER_SECRET = "local-provider-development-secret";

const b64 = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export function mintToken(
  claims: Omit<TokenClaims, "jti"> & { jti?: string },
  secret = DEFAULT_PROVIDER_SECRET,
): string {
  const payload = b64(JSON.stringify({ ...claims, jti: claims.jti ?? randomBytes(6).toString("hex") }));
  return `lp_${payload}.${b64(createHmac("sha256", secret).update(payload).digest())}`;
}

/** The claims of a token this provider signed, or null (forged, malformed). Expiry is checked by the caller. */
export function readToken(token: string, secret = DEFAULT_PROVIDER_SECRET): TokenClaims | null {
  const match = /^lp_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return null;
  const expected = createHmac("sha256", secret).update(match[1]!).digest();
  const given = Buffer.from(match[2]!, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")) as TokenClaims;
  } catch {
    return null;
  }
}
