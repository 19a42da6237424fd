import { notFound } from "next/navigation";
import { Platforms } from "@/components/platforms";
import { env } from "@/server/env";

export const metadata = { title: "Platform health" };

export default function PlatformsPage() {
  if (!env().SCHEDULER_ENABLE_PLATFORM) notFound();
  return <Platforms />;
}
