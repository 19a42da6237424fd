import { notFound } from "next/navigation";
import { Connections } from "@/components/connections";
import { features } from "@/server/config/env";
import { PLATFORM_NAMES, platformInput } from "@/lib/validation/platform";
import { verifiedError } from "@/server/http/connection-redirects";

export const metadata = { title: "Connections" };

export default async function ConnectionsPage({
  searchParams,
}: {
  searchParams: Promise<{ connected?: string; error?: string; sig?: string }>;
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
      error={verifiedError(params.error, params.sig)?.slice(0, 300) ?? undefined}
    />
  );
}
