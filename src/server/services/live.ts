import { tracked } from "@trpc/server";
import type { LiveEvent } from "@/lib/live";
import type { Scope } from "./scope";
import type { DeliveredEvent, LiveBus } from "@/server/live-bus";

/** Whether the caller may hear of this event: their own, or anyone's for an admin (as `ownedBy` scopes the queries). */
export function concerns(scope: Scope, event: LiveEvent): boolean {
  if (event.kind === "resync") return true;
  return scope.role === "ADMIN" || event.userId === scope.userId;
}

/**
 * The caller's events from now on, each with its id (`tracked`), so a stream that reconnects with its
 * `lastEventId` gets what it missed from this instance's replay ring; when that is not possible (another
 * instance, or too long ago) it gets a `resync` first and the page reads everything again. Ends when
 * the client goes away (`signal`).
 */
export async function* liveEvents(bus: LiveBus, scope: Scope, lastEventId: string | null, signal?: AbortSignal) {
  const queue: DeliveredEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = await bus.subscribe((delivered) => {
    if (!concerns(scope, delivered.event)) return;
    queue.push(delivered);
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
  try {
    if (lastEventId) {
      const missed = bus.replayAfter(lastEventId);
      if (missed === null) yield tracked(`${lastEventId}+resync`, { kind: "resync" } as LiveEvent);
      else {
        const seen = new Set(queue.map((d) => d.id));
        for (const d of missed) if (concerns(scope, d.event) && !seen.has(d.id)) yield tracked(d.id, d.event);
      }
    }
    while (!signal?.aborted) {
      const next = queue.shift();
      if (next) {
        yield tracked(next.id, next.event);
        continue;
      }
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
      wake = null;
    }
  } finally {
    unsubscribe();
  }
}
