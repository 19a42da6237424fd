import { notFound } from "next/navigation";
import { Events } from "@/components/events";
import { env } from "@/server/env";

export const metadata = { title: "Event history" };

export default function EventsPage() {
  if (!env().SCHEDULER_ENABLE_MONITORING) notFound();
  return <Events />;
}
