import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Logs } from "@/components/logs";
import { Loading } from "@/components/ui/query-state";
import { features } from "@/server/config/env";

export const metadata = { title: "Execution logs" };

export default function LogsPage() {
  if (!features().monitoring) notFound();
  return (
    <Suspense fallback={<Loading what="logs" />}>
      <Logs />
    </Suspense>
  );
}
