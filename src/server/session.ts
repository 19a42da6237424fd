import { LRUCache } from "lru-cache";
import { decode, getToken } from "next-auth/jwt";
import { env } from "@/server/config/env";

const SECURE_COOKIE = "__Secure-authjs.session-token";
const PLAIN_COOKIE = "authjs.session-token";

/**
 * Decoded session tokens, by the token itself. Decrypting a next-auth JWE (HKDF key derivation plus
 * AES) costs more than the query most API calls make; a token never changes, so the result can be
 * reused until the token expires. The cache holds only verified tokens' user ids.
 */
const decoded = new LRUCache<string, { userId: string; expiresAt: number }>({ max: 10_000 });

/**
 * The signed-in user's id for an API request, read from next-auth's session cookie (plain or
 * `__Secure-` over HTTPS, chunked or not). Null without a valid, unexpired session.
 */
export async function sessionUserIdFromRequest(req: Request, now = Date.now()): Promise<string | null> {
  const secret = env().AUTH_SECRET;
  const secureCookie = req.headers.get("cookie")?.includes(SECURE_COOKIE) ?? false;
  const token = await getToken({ req, secret, secureCookie, raw: true });
  if (!token) return null;
  const salt = secureCookie ? SECURE_COOKIE : PLAIN_COOKIE;
  const key = `${salt}:${token}`; // a token is valid only under the cookie name it was made for
  const hit = decoded.get(key);
  if (hit) {
    if (hit.expiresAt > now) return hit.userId;
    decoded.delete(key);
    return null;
  }
  const payload = await decode({ token, secret, salt }).catch(() => null);
  if (typeof payload?.sub !== "string" || typeof payload.exp !== "number") return null;
  decoded.set(key, { userId: payload.sub, expiresAt: payload.exp * 1000 });
  return payload.exp * 1000 > now ? payload.sub : null;
}
