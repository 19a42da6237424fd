import { notFound } from "next/navigation";
import { Overview } from "@/components/overview";
import { env } from "@/server/env";
import { auth } from "@/server/auth";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export const metadata = { title: "Overview" };

export default async function DashboardPage() {
  if (!env().SCHEDULER_ENABLE_DASHBOARD) notFound();
  // Started here, streamed with the page: no loading flash on first paint. Only with a session:
  // after sign-out this page re-renders while the layout redirects, and the call would fail.
  if ((await auth())?.user) {
    void getQueryClient().prefetchQuery(trpc.dashboard.overview.queryOptions({ days: 7 }));
  }
  return (
    <HydrateClient>
      <Overview />
    </HydrateClient>
  );
}
