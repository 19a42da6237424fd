import { notFound } from "next/navigation";
import { Events } from "@/components/events";
import { features } from "@/server/config/env";

export const metadata = { title: "Event history" };

export default function EventsPage() {
  if (!features().monitoring) notFound();
  return <Events />;
}
