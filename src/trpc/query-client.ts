import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

export function makeQueryClient() {
  return new QueryClient({
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
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

/**
 * A polling interval that backs off while the server errs (doubling, up to 5 minutes) and returns to
 * normal on the first success. React Query already pauses polling in hidden tabs.
 */
export function pollEvery(ms: number) {
  return (query: { state: { status: string; fetchFailureCount: number } }) =>
    query.state.status === "error" || query.state.fetchFailureCount > 0 ? Math.min(300_000, ms * 2 ** Math.min(8, query.state.fetchFailureCount)) : ms;
}
