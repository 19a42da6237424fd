import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Jobs } from "@/components/jobs";
import { Loading } from "@/components/ui/query-state";
import { features } from "@/server/config/env";

export const metadata = { title: "Jobs" };

export default function JobsPage() {
  if (!features().dashboard) notFound();
  return (
    <Suspense fallback={<Loading what="jobs" />}>
      <Jobs />
    </Suspense>
  );
}
