/**
 * The events of `live.events`, defined once: what the server pushes (src/server/live) and what the
 * pages read again when one arrives (src/components/live-updates.tsx). Client-safe.
 */

/** A run started or finished, a change made by hand, or "read everything again" (events were missed). */
export type LiveEvent =
  | { kind: "run.started"; userId: string | null; taskId: string; logId: number | null }
  | { kind: "run.finished"; userId: string | null; taskId: string; logId: number | null; status: string }
  | { kind: "changed"; userId: string | null; taskId?: string | null }
  | { kind: "resync" };

/** While the stream is up, the pages poll this slowly, as a safety net; while it is down, at their own pace. */
export const LIVE_SAFETY_POLL_MS = 60_000;

/** Events arriving within this window are answered by one refresh of the affected lists. */
export const LIVE_COALESCE_MS = 100;
