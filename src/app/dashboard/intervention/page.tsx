import { notFound } from "next/navigation";
import { Intervention } from "@/components/intervention";
import { env } from "@/server/env";

export const metadata = { title: "Intervention" };

export default function InterventionPage() {
  if (!env().SCHEDULER_ENABLE_TASKS) notFound();
  return <Intervention />;
}
