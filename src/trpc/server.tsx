import "server-only";

import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cache } from "react";
import { createHttpContext } from "@/server/api/http";
import { appRouter } from "@/server/api/root";
import { makeQueryClient } from "./query-client";

/** One query client per server request, so prefetched data reaches the client through hydration. */
export const getQueryClient = cache(makeQueryClient);

/** Server components prefetch through the same procedures (and the same auth) as the browser. */
export const trpc = createTRPCOptionsProxy({
  ctx: cache(createHttpContext),
  router: appRouter,
  queryClient: getQueryClient,
});

export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
