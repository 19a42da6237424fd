import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Logs } from "@/components/logs";
import { Loading } from "@/components/ui/query-state";
import { env } from "@/server/env";

export const metadata = { title: "Execution logs" };

export default function LogsPage() {
  if (!env().SCHEDULER_ENABLE_MONITORING) notFound();
  return (
    <Suspense fallback={<Loading what="logs" />}>
      <Logs />
    </Suspense>
  );
}
