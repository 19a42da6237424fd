import { defaultShouldDehydrateQuery, QueryClient, type MutationCache } from "@tanstack/react-query";
import superjson from "superjson";
import { LIVE_SAFETY_POLL_MS } from "@/lib/live";
import { liveConnected } from "./live-status";

declare module "@tanstack/react-query" {
  interface Register {
    /** `errorShown: true`: the mutation shows its own error (inline or in a toast), the global handler stays quiet. */
    mutationMeta: { errorShown?: boolean };
  }
}

export function makeQueryClient(mutationCache?: MutationCache) {
  return new QueryClient({
    mutationCache,
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Client errors (bad input, not found, signed out) will not fix themselves by retrying.
        retry: (failureCount, error) => {
          const code = (error as { data?: { httpStatus?: number } }).data?.httpStatus;
          return (code === undefined || code >= 500) && failureCount < 2;
        },
      },
      dehydrate: {
        serializeData: superjson.serialize,
        // Only finished queries cross to the browser: a pending one would render as loading on the
        // server and as data in the browser, a hydration mismatch. Pages await what they prefetch.
        shouldDehydrateQuery: defaultShouldDehydrateQuery,
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

/** How often a widget polls while nothing it shows is in flight, and while something is. */
export const POLL = { activeRun: 2_000 } as const;

/**
 * A polling interval that backs off while the server errs (doubling, up to 5 minutes) and returns to
 * normal on the first success. With `active`, it polls every POLL.activeRun while the data shows a
 * run in flight, so a run started by a button visibly finishes without a reload. While the live stream
 * is up (`live.events`) and nothing is in flight, it polls only every LIVE_SAFETY_POLL_MS: the
 * stream's events refresh the pages. React Query already pauses polling in hidden tabs.
 */
export function pollEvery<TData>(ms: number, active?: (data: TData) => boolean) {
  return (query: { state: { status: string; fetchFailureCount: number; data: TData | undefined } }) => {
    const { state } = query;
    if (state.status === "error" || state.fetchFailureCount > 0)
      return Math.min(300_000, ms * 2 ** Math.min(8, state.fetchFailureCount));
    if (active && state.data !== undefined && active(state.data)) return Math.min(ms, POLL.activeRun);
    // The live stream says when something changed; polling is then only a safety net. Work in flight
    // (above) is still followed closely: the system's own tasks (alert deliveries) announce to admins only.
    return liveConnected() ? Math.max(ms, LIVE_SAFETY_POLL_MS) : ms;
  };
}
