import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import ipaddr from "ipaddr.js";
import { Webhook } from "standardwebhooks";
import { IntegrationError } from "./http";
import { isPublicAddress, lookupRefusingPrivate } from "./website";

export interface WebhookPolicy {
  /** "host:port" targets allowed although private, over http too (WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: string[];
  /** Exact private URLs allowed (the demo's receiver on the local provider, and not its other endpoints). */
  allowedPrivateUrls: string[];
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = { allowedHosts: [], allowedPrivateUrls: [], timeoutMs: 10_000 };

/** The target as "host:port", the port explicit, as WEBHOOK_ALLOWED_HOSTS names it. */
function hostPort(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.hostname.toLowerCase()}:${port}`;
}

/**
 * Refuses a webhook target before any connection: only https to a public host, unless the host is
 * explicitly allowed (then http and private addresses too). No credentials in the URL.
 */
export function checkWebhookUrl(raw: string, policy: WebhookPolicy): { url: URL; allowPrivate: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new IntegrationError(`"${raw}" is not a valid URL`, "CONFIG_ERROR", false);
  }
  const allowPrivate =
    policy.allowedHosts.includes(hostPort(url)) || policy.allowedPrivateUrls.includes(`${url.origin}${url.pathname}`);
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:"))
    throw new IntegrationError("refused: webhooks are sent to https:// URLs only", "CONFIG_ERROR", false);
  if (url.username || url.password)
    throw new IntegrationError("refused: URLs with credentials are not sent to", "CONFIG_ERROR", false);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host))
    throw new IntegrationError(
      `refused: ${host} is a private, loopback or link-local address (an administrator can allow it in WEBHOOK_ALLOWED_HOSTS)`,
      "CONFIG_ERROR",
      false,
    );
  return { url, allowPrivate };
}

/**
 * `checkWebhookUrl`, and the host's name resolved now: a name that resolves only to private addresses
 * ("localhost", an internal name) is refused when the channel is saved, not first when it is sent. A name that
 * does not resolve yet is let through (the guard checks again at every connection).
 */
export async function checkWebhookTarget(raw: string, policy: WebhookPolicy): Promise<void> {
  const { url, allowPrivate } = checkWebhookUrl(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (allowPrivate || ipaddr.isValid(host)) return;
  const addresses = await lookup(host, { all: true }).catch(() => []);
  if (addresses.length > 0 && addresses.every((a) => !isPublicAddress(a.address)))
    throw new IntegrationError(
      `refused: ${host} resolves to a private, loopback or link-local address (an administrator can allow it in WEBHOOK_ALLOWED_HOSTS)`,
      "CONFIG_ERROR",
      false,
    );
}

/** A fresh signing secret in the Standard Webhooks form: "whsec_" and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return `whsec_${Buffer.from(bytes).toString("base64")}`;
}

/** The Standard Webhooks headers of one message: its id, the time it is sent, and the v1 signature. */
export function webhookHeaders(secret: string, id: string, sentAt: Date, body: string): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, sentAt, body),
  };
}

export interface WebhookResponse {
  status: number;
  /** The start of the receiver's answer, for the delivery log. */
  body: string;
}

/**
 * POSTs a JSON body over real HTTP, signed when a secret is given, through the SSRF guard (checked again
 * at connection time, so DNS cannot point it inside). No redirects are followed. A 2xx is delivered; any
 * other answer or a network failure is an IntegrationError (retryable unless the target is refused or the
 * receiver answered a 4xx other than 408/429).
 */
export async function sendWebhook(message: {
  url: string;
  body: string;
  id: string;
  sentAt: Date;
  secret: string | null;
  policy: WebhookPolicy;
  signal?: AbortSignal;
}): Promise<WebhookResponse> {
  const { url, allowPrivate } = checkWebhookUrl(message.url, message.policy);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "SchedulerDashboard-Webhooks/1.0",
    ...(message.secret ? webhookHeaders(message.secret, message.id, message.sentAt, message.body) : {}),
  };
  const response = await new Promise<WebhookResponse>((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const req = client.request(
      url,
      {
        method: "POST",
        lookup: lookupRefusingPrivate(allowPrivate),
        timeout: message.policy.timeoutMs,
        headers: { ...headers, "content-length": String(Buffer.byteLength(message.body)) },
        signal: message.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < 2048) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, 500) }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(
        Object.assign(new Error(`no answer within ${message.policy.timeoutMs / 1000} s`), { code: "ETIMEDOUT" }),
      ),
    );
    req.on("error", reject);
    req.end(message.body);
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ESSRF") throw new IntegrationError(error.message, "CONFIG_ERROR", false);
    if (error.code === "ENOTFOUND")
      throw new IntegrationError(`${url.hostname} does not resolve (DNS)`, "NETWORK_ERROR", true);
    if (error.code === "ETIMEDOUT") throw new IntegrationError(error.message, "TIMEOUT", true);
    throw new IntegrationError(`sending to ${url.host}: ${error.message}`, "NETWORK_ERROR", true);
  });
  if (response.status >= 200 && response.status < 300) return response;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new IntegrationError(
    `the receiver answered HTTP ${response.status}${response.body ? `: ${response.body.slice(0, 200)}` : ""}`,
    response.status === 401 || response.status === 403 ? "AUTH_ERROR" : retryable ? "NETWORK_ERROR" : "CONFIG_ERROR",
    retryable,
    response.status,
  );
}
