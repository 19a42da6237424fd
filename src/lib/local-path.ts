/**
 * A path on this site to go to (after signing in), from an untrusted value such as `?callbackUrl=`;
 * anything else is the fallback, so no link can send a person elsewhere (an open redirect). Parsed as a
 * browser parses it, backslashes as slashes and tabs and newlines dropped, so "/\evil.example" or
 * "/<TAB>/evil.example" cannot name another host; what comes back is the parsed, normalized path.
 */
export function localPath(value: unknown, fallback = "/dashboard"): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  const base = "http://this-site.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}
