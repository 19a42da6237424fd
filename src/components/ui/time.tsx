"use client";

import { createContext, useContext, useEffect, useSyncExternalStore } from "react";
import { formatDateTime, formatRelative, TIME_ZONE_COOKIE } from "@/lib/format";

/**
 * The zone and the moment the server rendered the page with. Client components read time through
 * `useZone` and `useNow`, which hydrate with exactly these values (so the browser's first render
 * matches the server's HTML: no hydration error) and then switch to the browser's own zone and clock.
 */
const TimeContext = createContext<{ zone: string; now: number }>({ zone: "UTC", now: 0 });

const TICK_MS = 15_000;
const noSubscription = () => () => undefined;
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

// One clock for the page, read as a stable snapshot between ticks (as useSyncExternalStore requires),
// and set afresh whenever a component starts watching it, so a new "just now" is never "in a moment".
let clock = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
const tick = () => {
  clock = Date.now();
  listeners.forEach((listener) => listener());
};
const clockSnapshot = () => clock;
function subscribeClock(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(tick, TICK_MS);
  queueMicrotask(tick);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function TimeProvider({ zone, now, children }: { zone: string; now: number; children: React.ReactNode }) {
  useEffect(() => {
    // Tell the server the browser's zone, so the next page is rendered in it from the start.
    const zoneNow = browserZone();
    if (zoneNow !== zone)
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zoneNow)}; path=/; max-age=31536000; samesite=lax`;
  }, [zone]);
  return <TimeContext.Provider value={{ zone, now }}>{children}</TimeContext.Provider>;
}

/** The viewer's IANA time zone. */
export function useZone(): string {
  const server = useContext(TimeContext).zone;
  return useSyncExternalStore(noSubscription, browserZone, () => server);
}

/** Now, ticking every 15 seconds (relative times stay true while a page is open). */
export function useNow(): Date {
  const server = useContext(TimeContext).now;
  return new Date(useSyncExternalStore(subscribeClock, clockSnapshot, () => server));
}

/**
 * A moment as every page shows it: absolute ("2026-11-30 22:46 UTC") or relative ("3 minutes ago",
 * with the absolute time on hover), in the viewer's zone. `fallback` when there is none.
 */
export function Time({
  value,
  relative = false,
  fallback = "—",
  className,
}: {
  value: Date | null | undefined;
  relative?: boolean;
  fallback?: string;
  className?: string;
}) {
  const zone = useZone();
  const now = useNow();
  if (!value) return <span className={className}>{fallback}</span>;
  const absolute = formatDateTime(value, zone);
  return (
    <time dateTime={value.toISOString()} title={absolute} className={className}>
      {relative ? formatRelative(value, now) : absolute}
    </time>
  );
}
