import { TZDate } from "@date-fns/tz";
import { format, formatDistanceStrict, formatDuration, intervalToDuration } from "date-fns";

/**
 * How every page writes a time, in the viewer's time zone: one absolute format with its zone
 * ("2026-11-30 22:46 UTC", "2026-11-30 23:46 UTC+1") and one relative form ("3 minutes ago").
 * Pure and deterministic (date-fns, not the runtime's locale data), so the server's render and the
 * browser's hydration produce the same text for the same zone and moment.
 */
export function formatDateTime(value: Date, zone: string): string {
  const local = new TZDate(value, zone);
  return `${format(local, "yyyy-MM-dd HH:mm")} ${zoneLabel(local)}`;
}

/** A calendar day in the viewer's zone ("2026-11-30"). */
export function formatDay(value: Date, zone: string): string {
  return format(new TZDate(value, zone), "yyyy-MM-dd");
}

/** "UTC", "UTC+1", "UTC+5:30", "UTC−8": the offset in effect at that moment. */
function zoneLabel(local: TZDate): string {
  const minutes = -local.getTimezoneOffset();
  if (minutes === 0) return "UTC";
  const sign = minutes > 0 ? "+" : "−";
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, "0")}` : ""}`;
}

/** "just now", "3 minutes ago", "in 2 hours", against the given now (a clock a few seconds behind is still "just now"). */
export function formatRelative(value: Date, now: Date): string {
  const delta = value.getTime() - now.getTime();
  if (delta > -45_000 && delta < 20_000) return "just now";
  if (delta >= 20_000 && delta < 45_000) return "in a moment";
  return formatDistanceStrict(value, now, { addSuffix: true });
}

/** Whether the runtime knows this IANA zone name (a cookie is only a hint). */
export function isTimeZone(zone: string | undefined | null): zone is string {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The cookie in which the browser tells the server its zone, so the first render is already in it. */
export const TIME_ZONE_COOKIE = "tz";

/** A span of time in words, rounded to its largest unit: "7 minutes", "3 hours", "2 days". */
export function formatSpan(ms: number): string {
  return formatDistanceStrict(0, Math.max(0, ms));
}

/** A span of time in words, exactly to the minute: "2 hours 24 minutes", "16 hours 48 minutes", "45 minutes". */
export function formatSpanExact(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return formatDuration(intervalToDuration({ start: 0, end: minutes * 60_000 }), {
    format: ["days", "hours", "minutes"],
  });
}
