import { notFound } from "next/navigation";
import { Jobs } from "@/components/jobs";
import { env } from "@/server/env";

export const metadata = { title: "Jobs" };

export default function JobsPage() {
  if (!env().SCHEDULER_ENABLE_DASHBOARD) notFound();
  return <Jobs />;
}
