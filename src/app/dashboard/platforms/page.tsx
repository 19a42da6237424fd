import { notFound } from "next/navigation";
import { Platforms } from "@/components/platforms";
import { features } from "@/server/config/env";

export const metadata = { title: "Platform health" };

export default function PlatformsPage() {
  if (!features().platform) notFound();
  return <Platforms />;
}
