import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Jobs } from "@/components/jobs";
import { Loading } from "@/components/ui/query-state";
import { env } from "@/server/env";

export const metadata = { title: "Jobs" };

export default function JobsPage() {
  if (!env().SCHEDULER_ENABLE_DASHBOARD) notFound();
  return (
    <Suspense fallback={<Loading what="jobs" />}>
      <Jobs />
    </Suspense>
  );
}
