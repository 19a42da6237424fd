import type { AlertChannelKind, AlertSeverity } from "@/generated/sqlite/enums";

/**
 * The alert-kind catalogue: what can raise an alert, defined once. The rules page, the `alerts` router's
 * inputs, the outbox (src/server/scheduler/alerts/outbox.ts) and the messages read it; a user's rule row
 * only overrides a kind's defaults, so every account starts with these on (in-app; channels are the user's).
 */

/** A number the user sets on a rule (N days, N points, X %). */
interface Threshold {
  unit: "days" | "points" | "percent";
  default: number;
  min: number;
  max: number;
  /** The rule's sentence with the number in it ("expires within 7 days"). */
  phrase: (n: number) => string;
}

interface AlertKind {
  label: string;
  /** What raises it, in a sentence for the rules page. */
  description: string;
  severity: AlertSeverity;
  /**
   * An episode lasts while its condition holds (a task needing intervention): one alert for it, reminders
   * while it lasts, a recovery notice when it clears. Otherwise a one-off event (a score drop).
   */
  episodic: boolean;
  threshold: Threshold | null;
  /** Only admins have it (the system's own health). */
  adminOnly: boolean;
}

export const ALERT_KINDS = {
  TASK_NEEDS_INTERVENTION: {
    label: "Task needs intervention",
    description: "A task failed repeatedly and was cooled off, or failed in a way only you can fix.",
    severity: "ERROR",
    episodic: true,
    threshold: null,
    adminOnly: false,
  },
  TASK_RECOVERED: {
    label: "Problem cleared",
    description: "A task that needed you runs again, a late task started, or a connection works again.",
    severity: "INFO",
    episodic: false,
    threshold: null,
    adminOnly: false,
  },
  RECONNECT_REQUIRED: {
    label: "Token expired or revoked",
    description: "A platform connection stopped working and must be connected again.",
    severity: "ERROR",
    episodic: true,
    threshold: null,
    adminOnly: false,
  },
  TOKEN_EXPIRING: {
    label: "Token expires soon",
    description: "A platform's token expires soon and could not be refreshed.",
    severity: "WARNING",
    episodic: true,
    threshold: { unit: "days", default: 7, min: 1, max: 90, phrase: (n) => `within ${n} day${n === 1 ? "" : "s"}` },
    adminOnly: false,
  },
  TASK_LATE: {
    label: "Task late or missed",
    description: "A task's run did not start within its grace period (late), or a whole run was skipped (missed).",
    severity: "WARNING",
    episodic: true,
    threshold: null,
    adminOnly: false,
  },
  SCORE_DROP: {
    label: "Website score dropped",
    description: "A website's SEO score fell from one analysis to the next.",
    severity: "WARNING",
    episodic: false,
    threshold: { unit: "points", default: 10, min: 1, max: 100, phrase: (n) => `by at least ${n} points` },
    adminOnly: false,
  },
  TRAFFIC_DROP: {
    label: "Clicks or impressions dropped",
    description: "Search clicks or impressions fell week over week.",
    severity: "WARNING",
    episodic: false,
    threshold: { unit: "percent", default: 30, min: 1, max: 100, phrase: (n) => `by at least ${n} %` },
    adminOnly: false,
  },
  NO_LIVE_WORKER: {
    label: "No worker running",
    description: "No scheduler worker has been alive for two minutes, so no task can start.",
    severity: "ERROR",
    episodic: true,
    threshold: null,
    adminOnly: true,
  },
} as const satisfies Record<string, AlertKind>;

export type AlertKindName = keyof typeof ALERT_KINDS;

/** Every alert kind, in the catalogue's order (a non-empty tuple, for `z.enum`). */
export const ALERT_KIND_NAMES = Object.keys(ALERT_KINDS) as [AlertKindName, ...AlertKindName[]];

export function isAlertKind(kind: string): kind is AlertKindName {
  return Object.hasOwn(ALERT_KINDS, kind);
}

/** The kinds a user of this role has rules for. */
export function alertKindsFor(role: string): AlertKindName[] {
  return ALERT_KIND_NAMES.filter((kind) => role === "ADMIN" || !ALERT_KINDS[kind].adminOnly);
}

/** A label for any stored kind (an unknown one, from an older version, shows as it is). */
export function alertKindLabel(kind: string): string {
  return isAlertKind(kind) ? ALERT_KINDS[kind].label : kind;
}

interface ChannelKind {
  label: string;
  /** What the channel's address is. */
  target: "url" | "email";
  hint: string;
}

export const CHANNEL_KINDS = {
  EMAIL: { label: "E-mail", target: "email", hint: "A message per alert, or one daily digest." },
  WEBHOOK: {
    label: "Webhook",
    target: "url",
    hint: "A signed JSON POST (Standard Webhooks) to an HTTPS URL you run.",
  },
  SLACK: {
    label: "Slack",
    target: "url",
    hint: "A Slack incoming-webhook URL (hooks.slack.com/services/…), or any service that takes Slack's format (Mattermost, Rocket.Chat).",
  },
} as const satisfies Record<AlertChannelKind, ChannelKind>;

export const CHANNEL_KIND_NAMES = Object.keys(CHANNEL_KINDS) as [AlertChannelKind, ...AlertChannelKind[]];

/** Reminder intervals a rule offers, in minutes (null: no reminders). */
export const REMINDER_CHOICES = [null, 60, 4 * 60, 24 * 60] as const;

/** How many attempts a delivery gets before it is marked failed (a person can retry it then). */
export const DELIVERY_MAX_ATTEMPTS = 6;
