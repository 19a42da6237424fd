import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Overview } from "@/components/overview";
import { Loading } from "@/components/ui/query-state";
import { rangeOf } from "@/lib/chart-range";
import { features } from "@/server/config/env";
import { auth } from "@/server/auth";
import { api, HydrateClient } from "@/trpc/server";

export const metadata = { title: "Overview" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ range?: string }> }) {
  if (!features().dashboard) notFound();
  // Awaited, so the server renders the figures and the browser hydrates the very same data (a query
  // still pending here would render a skeleton on the server and figures in the browser: a hydration
  // error). Only with a session: after sign-out this page re-renders while the layout redirects.
  if ((await auth())?.user) {
    const range = rangeOf((await searchParams).range);
    await Promise.all([api.dashboard.overview.prefetch({ days: 7 }), api.dashboard.charts.prefetch({ range })]);
  }
  return (
    <HydrateClient>
      <Suspense fallback={<Loading what="the overview" />}>
        <Overview />
      </Suspense>
    </HydrateClient>
  );
}
