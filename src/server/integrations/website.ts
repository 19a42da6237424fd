import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { IntegrationError } from "./http";

export interface FetchPolicy {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Development only: allow private, loopback and link-local addresses. */
  allowPrivateNetworks: boolean;
  /**
   * Private URLs fetched all the same (the demo's sample sites on the local provider): an entry ending in
   * "/" allows every path under it, any other entry exactly its path (whatever the query). Compared with
   * the parsed URL, so "/sites/../oauth" (already resolved by the parser) cannot escape a prefix.
   */
  allowedPrivateUrls: string[];
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  timeoutMs: 15_000,
  maxBytes: 2 * 1024 * 1024,
  maxRedirects: 5,
  allowPrivateNetworks: false,
  allowedPrivateUrls: [],
};

export interface FetchedPage {
  requestedUrl: string;
  finalUrl: string;
  status: number;
  redirects: string[];
  ttfbMs: number;
  totalMs: number;
  contentType: string | null;
  body: string;
  truncated: boolean;
}

/** Only public unicast addresses may be fetched: no loopback, private, link-local, multicast, reserved... */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === "unicast";
}

/** Refuses a URL before any connection: scheme, credentials, and literal addresses. */
export function checkUrl(raw: string, policy: FetchPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new IntegrationError(`"${raw}" is not a valid URL`, "CONFIG_ERROR", false);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new IntegrationError(
      `refused: only http and https URLs can be analysed (got ${url.protocol})`,
      "CONFIG_ERROR",
      false,
    );
  if (url.username || url.password)
    throw new IntegrationError("refused: URLs with credentials are not fetched", "CONFIG_ERROR", false);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(host) && !isPublicAddress(host) && !allowed(url, policy)) {
    throw new IntegrationError(`refused: ${host} is a private, loopback or link-local address`, "CONFIG_ERROR", false);
  }
  return url;
}

function allowed(url: URL, policy: FetchPolicy): boolean {
  if (policy.allowPrivateNetworks) return true;
  const target = `${url.origin}${url.pathname}`;
  return policy.allowedPrivateUrls.some((entry) => (entry.endsWith("/") ? target.startsWith(entry) : target === entry));
}

/**
 * A DNS lookup that refuses private addresses at connection time (unless `allowPrivate`), so a hostname
 * that resolves (or re-resolves, DNS rebinding) to an internal address is never connected to. Website
 * fetches and webhook deliveries both connect through it.
 */
export function lookupRefusingPrivate(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const list = addresses as LookupAddress[];
      const usable = allowPrivate ? list : list.filter((a) => isPublicAddress(a.address));
      if (usable.length === 0) {
        return callback(
          Object.assign(new Error(`refused: ${hostname} resolves to a private, loopback or link-local address`), {
            code: "ESSRF",
          }),
          "",
          4,
        );
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

function requestOnce(url: URL, policy: FetchPolicy, deadline: number, started: number) {
  return new Promise<{
    status: number;
    location: string | null;
    contentType: string | null;
    body: string;
    truncated: boolean;
    ttfbMs: number;
  }>((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const remaining = Math.max(1, deadline - Date.now());
    const req = client.request(
      url,
      {
        method: "GET",
        lookup: lookupRefusingPrivate(allowed(url, policy)),
        timeout: remaining,
        headers: {
          "user-agent": "SchedulerDashboard-Analyzer/1.0 (+website analysis)",
          accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        },
      },
      (res) => {
        const ttfbMs = Date.now() - started;
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on("data", (chunk: Buffer) => {
          if (truncated) return;
          size += chunk.length;
          if (size > policy.maxBytes) {
            truncated = true;
            chunks.push(chunk.subarray(0, chunk.length - (size - policy.maxBytes)));
            res.destroy();
            finish();
            return;
          }
          chunks.push(chunk);
        });
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          resolve({
            status: res.statusCode ?? 0,
            location: typeof res.headers.location === "string" ? res.headers.location : null,
            contentType: res.headers["content-type"] ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
            truncated,
            ttfbMs,
          });
        };
        res.on("end", finish);
        res.on("error", (error) => (truncated ? finish() : reject(error)));
      },
    );
    req.on("timeout", () =>
      req.destroy(Object.assign(new Error(`timed out after ${policy.timeoutMs} ms`), { code: "ETIMEDOUT" })),
    );
    req.on("error", reject);
    req.end();
  });
}

/**
 * Fetches a page for analysis over real HTTP: http(s) only, private addresses refused (checked on
 * every redirect and at connect time), a timeout over the whole exchange, a size cap and a limit
 * on redirects. Failures are classified IntegrationErrors.
 */
export async function fetchPage(rawUrl: string, policy: FetchPolicy = DEFAULT_FETCH_POLICY): Promise<FetchedPage> {
  const started = Date.now();
  const deadline = started + policy.timeoutMs;
  const redirects: string[] = [];
  let url = checkUrl(rawUrl, policy);
  for (;;) {
    let response;
    try {
      response = await requestOnce(url, policy, deadline, started);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === "ESSRF") throw new IntegrationError(e.message, "CONFIG_ERROR", false);
      if (e.code === "ENOTFOUND")
        throw new IntegrationError(`${url.hostname} does not resolve (DNS)`, "CONFIG_ERROR", false);
      throw new IntegrationError(`fetching ${url.toString()}: ${e.message}`, "NETWORK_ERROR", true);
    }
    if (response.status >= 300 && response.status < 400 && response.location) {
      if (redirects.length >= policy.maxRedirects)
        throw new IntegrationError(`more than ${policy.maxRedirects} redirects`, "CONFIG_ERROR", false);
      redirects.push(url.toString());
      url = checkUrl(new URL(response.location, url).toString(), policy);
      continue;
    }
    return {
      requestedUrl: rawUrl,
      finalUrl: url.toString(),
      status: response.status,
      redirects,
      ttfbMs: response.ttfbMs,
      totalMs: Date.now() - started,
      contentType: response.contentType,
      body: response.body,
      truncated: response.truncated,
    };
  }
}
