import "server-only";

import { createHydrationHelpers } from "@trpc/react-query/rsc";
import { cache } from "react";
import { createHttpContext } from "@/server/api/http";
import { createCaller, type AppRouter } from "@/server/api/root";
import { makeQueryClient } from "./query-client";

/** One query client per server request, so prefetched data reaches the client through hydration. */
export const getQueryClient = cache(makeQueryClient);

/**
 * Server components call and prefetch through the same procedures (and the same auth) as the browser:
 * `await api.dashboard.overview.prefetch(input)` inside `<HydrateClient>`, which dehydrates only finished
 * queries (the query client's `shouldDehydrateQuery`).
 */
export const { trpc: api, HydrateClient } = createHydrationHelpers<AppRouter>(
  createCaller(cache(() => createHttpContext())),
  getQueryClient,
);
