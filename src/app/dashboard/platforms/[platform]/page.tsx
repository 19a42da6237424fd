import { notFound } from "next/navigation";
import { Platforms } from "@/components/platforms";
import { platformInput } from "@/lib/validation/platform";
import { features } from "@/server/config/env";

export const metadata = { title: "Platform" };

export default async function PlatformPage({ params }: { params: Promise<{ platform: string }> }) {
  if (!features().platform) notFound();
  const parsed = platformInput.safeParse({ platform: (await params).platform.toUpperCase() });
  if (!parsed.success) notFound();
  return <Platforms only={parsed.data.platform} />;
}
