import { notFound } from "next/navigation";
import { Connections } from "@/components/connections";
import { features } from "@/server/config/env";
import { PLATFORM_NAMES, platformInput } from "@/lib/validation/platform";

export const metadata = { title: "Connections" };

export default async function ConnectionsPage({
  searchParams,
}: {
  searchParams: Promise<{ connected?: string; error?: string }>;
}) {
  if (!features().platform) notFound();
  const params = await searchParams;
  const connected = platformInput.safeParse({ platform: params.connected });
  return (
    <Connections
      notice={
        connected.success
          ? `${PLATFORM_NAMES[connected.data.platform]} is connected; its tasks will run shortly.`
          : undefined
      }
      error={typeof params.error === "string" ? params.error.slice(0, 300) : undefined}
    />
  );
}
