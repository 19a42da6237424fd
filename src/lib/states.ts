/**
 * The states people see, defined once: what a connection's status means and offers, and what a
 * failure is in words. Client-safe (pure), so services compute with it and pages label with it.
 */

import { PLATFORM_NAMES } from "./platforms";

/** What a task works on, as people name it: the platform's name or the website's address. */
export function targetName(target: string | null | undefined): string {
  return target ? (PLATFORM_NAMES[target as keyof typeof PLATFORM_NAMES] ?? target) : "—";
}

export type ConnectionStatusName = "CONNECTED" | "EXPIRING" | "EXPIRED" | "REVOKED" | "ERROR" | "DISCONNECTED";

/** Connection statuses only the user can fix, by connecting again. */
export const RECONNECT_STATUSES = ["EXPIRED", "REVOKED", "ERROR"] as const satisfies readonly ConnectionStatusName[];

export type Tone = "good" | "warn" | "bad" | "neutral";

export const CONNECTION_STATES: Record<
  ConnectionStatusName,
  { label: string; tone: Tone; needsReconnect: boolean; detail: string }
> = {
  CONNECTED: { label: "Connected", tone: "good", needsReconnect: false, detail: "The token works." },
  EXPIRING: {
    label: "Expires soon",
    tone: "warn",
    needsReconnect: false,
    detail: "The token still works but expires soon and cannot be renewed without you.",
  },
  EXPIRED: {
    label: "Expired",
    tone: "bad",
    needsReconnect: true,
    detail: "The token expired and cannot be refreshed: connect again to resume its tasks.",
  },
  REVOKED: {
    label: "Access revoked",
    tone: "bad",
    needsReconnect: true,
    detail: "The platform refused the token: connect again to resume its tasks.",
  },
  ERROR: {
    label: "Error",
    tone: "bad",
    needsReconnect: true,
    detail: "The connection stopped working: connect again to resume its tasks.",
  },
  DISCONNECTED: { label: "Not connected", tone: "neutral", needsReconnect: false, detail: "Not connected." },
};

export function needsReconnect(status: string | null | undefined): boolean {
  return (RECONNECT_STATUSES as readonly string[]).includes(status ?? "");
}

/** "1 task needs", "3 tasks need": counts in words, singular or plural. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/**
 * A failure as people say it, from its category and message: "Daily quota used up", "Connection
 * timed out", "Server error (HTTP 502)". Used for error fingerprints instead of masked patterns.
 */
export function failureInWords(category: string | null | undefined, message: string): string {
  const m = message.toLowerCase();
  const status = /\bhttp (\d{3})\b/i.exec(message)?.[1];
  if (/invalid_grant|expired or revoked|reconnect|no refresh token/.test(m)) return "Authorization expired or revoked";
  if (/\bquota\b/.test(m) && /daily|per day|today|for the day/.test(m)) return "Daily quota used up";
  if (status === "429" || /rate limit/.test(m)) return "Rate limited by the API";
  if (/etimedout|timed out|timeout/.test(m)) return "Connection timed out";
  if (/econnrefused/.test(m)) return "Connection refused (the server is down)";
  if (/enotfound|getaddrinfo/.test(m)) return "Address not found (DNS)";
  if (/econnreset|socket hang up/.test(m)) return "Connection dropped";
  if (/worker lost/.test(m)) return "The worker running it stopped";
  if (status === "401" || status === "403") return `Access refused (HTTP ${status})`;
  if (status && Number(status) >= 500) return `Server error (HTTP ${status})`;
  if (status && Number(status) >= 400) return `Request refused (HTTP ${status})`;
  if (/not valid json|malformed|unexpected response/.test(m)) return "Unreadable answer from the API";
  if (category === "CONFIG_ERROR") return "Settings problem";
  return message.length > 80 ? `${message.slice(0, 77)}…` : message;
}

/** "1 connection to reconnect and 2 tasks": what needs attention, in words (overview and Intervention alike). */
export function attentionInWords(count: { connections: number; tasks: number }): string {
  const parts = [
    count.connections ? plural(count.connections, "connection") + " to reconnect" : null,
    count.tasks ? plural(count.tasks, "task") : null,
  ].filter(Boolean);
  return parts.join(" and ");
}

/** "1 task needs your attention", "1 connection to reconnect and 2 tasks need your attention". */
export function attentionSentence(count: { total: number; connections: number; tasks: number }): string {
  if (count.total === 0) return "Nothing needs your attention: no failing task and no broken connection.";
  const single = count.total === 1;
  return `${attentionInWords(count)} ${single ? "needs" : "need"} your attention.`;
}
