import { TZDate } from "@date-fns/tz";
import { addDays, startOfDay } from "date-fns";
import type { FailureCategory } from "@/generated/sqlite/enums";

/** A failed call to an external API, classified the way the engine's failure rules need it. */
export class IntegrationError extends Error {
  constructor(
    message: string,
    readonly category: FailureCategory,
    readonly retryable: boolean,
    readonly status: number | null = null,
    /** From a 429's Retry-After header. */
    readonly retryAfterMs: number | null = null,
    /** A daily quota is used up: the API serves again at this time (its reset). */
    readonly resumeAt: Date | null = null,
  ) {
    super(message);
    this.name = "IntegrationError";
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The error message an API put in its JSON body ({error: {message}} or {error_description}), if any. */
function apiMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: string } | string;
      error_description?: string;
      message?: string;
    };
    if (typeof parsed.error === "object" && parsed.error?.message) return parsed.error.message;
    return (
      parsed.error_description ?? (typeof parsed.error === "string" ? parsed.error : null) ?? parsed.message ?? null
    );
  } catch {
    return null;
  }
}

/** How the APIs word a used-up daily quota (as opposed to a short-term rate limit). */
const DAILY_QUOTA = /\b(daily|per day|today|quota (?:exceeded|reached|exhausted) for (?:the )?day)\b/i;

/**
 * When a daily quota resets: Google's APIs at midnight Pacific time, the others (Bing) at midnight UTC.
 * Used when the API does not say (no Retry-After).
 */
export function nextQuotaReset(api: string, now: Date): Date {
  const zone = /search console|google/i.test(api) ? "America/Los_Angeles" : "UTC";
  return new Date(startOfDay(addDays(new TZDate(now, zone), 1)).getTime());
}

export interface RequestOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of JSON (OAuth token endpoints). */
  form?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Names the API in error messages ("Search Console"). */
  api: string;
}

/**
 * One JSON request over real HTTP, with a timeout, mapped to a classified IntegrationError:
 * 401/403 → auth_error (not retryable), 429 → api_limit (retryable, with Retry-After),
 * 5xx / network / timeout → network_error (retryable), other 4xx → config_error, bad JSON → unknown.
 */
export async function requestJson<T>(url: string, options: RequestOptions): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    const hasBody = options.body !== undefined || options.form !== undefined;
    response = await fetch(url, {
      method: options.method ?? (hasBody ? "POST" : "GET"),
      headers: {
        accept: "application/json",
        ...(options.form
          ? { "content-type": "application/x-www-form-urlencoded" }
          : options.body === undefined
            ? {}
            : { "content-type": "application/json" }),
        ...options.headers,
      },
      body: options.form
        ? new URLSearchParams(options.form).toString()
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
      signal,
      redirect: "follow",
    });
  } catch (error) {
    const reason = timeout.aborted
      ? `timed out after ${options.timeoutMs ?? 30_000} ms`
      : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
    throw new IntegrationError(`${options.api}: ${reason}`, "NETWORK_ERROR", true);
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) {
    const detail = apiMessage(text) ?? response.statusText;
    const message = `${options.api}: HTTP ${response.status} ${detail}`.trim();
    if (response.status === 401 || response.status === 403)
      throw new IntegrationError(message, "AUTH_ERROR", false, response.status);
    // OAuth: a refused grant or token (revoked, expired refresh token) needs the user, not a retry.
    if (response.status === 400 && /invalid_grant|invalid_token|INVALID_GRANT|INVALID_TOKEN/.test(text)) {
      throw new IntegrationError(
        `${message}${/invalid_grant|INVALID_GRANT/.test(text) && !message.includes("invalid_grant") ? " (invalid_grant)" : ""}`,
        "AUTH_ERROR",
        false,
        400,
      );
    }
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      // A used-up daily quota comes back at its reset, not after a backoff: retrying sooner only fails again.
      if (DAILY_QUOTA.test(detail)) {
        const resumeAt =
          retryAfterMs !== null ? new Date(Date.now() + retryAfterMs) : nextQuotaReset(options.api, new Date());
        throw new IntegrationError(message, "API_LIMIT", false, 429, retryAfterMs, resumeAt);
      }
      throw new IntegrationError(message, "API_LIMIT", true, 429, retryAfterMs);
    }
    if (response.status >= 500) throw new IntegrationError(message, "NETWORK_ERROR", true, response.status);
    throw new IntegrationError(message, "CONFIG_ERROR", false, response.status);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new IntegrationError(`${options.api}: the response is not valid JSON`, "UNKNOWN", true, response.status);
  }
}
