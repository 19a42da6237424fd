import { notFound } from "next/navigation";
import { Overview } from "@/components/overview";
import { env } from "@/server/env";
import { auth } from "@/server/auth";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export const metadata = { title: "Overview" };

export default async function DashboardPage() {
  if (!env().SCHEDULER_ENABLE_DASHBOARD) notFound();
  // Awaited, so the server renders the figures and the browser hydrates the very same data (a query
  // still pending here would render a skeleton on the server and figures in the browser: a hydration
  // error). Only with a session: after sign-out this page re-renders while the layout redirects.
  if ((await auth())?.user) {
    await getQueryClient().prefetchQuery(trpc.dashboard.overview.queryOptions({ days: 7 }));
  }
  return (
    <HydrateClient>
      <Overview />
    </HydrateClient>
  );
}
