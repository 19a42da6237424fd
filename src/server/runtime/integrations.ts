import { env } from "@/server/config/env";
import { logger } from "@/server/logger";
import { integrationSettings, localProviderEnabled, type IntegrationSettings } from "@/server/integrations/config";

const holder = globalThis as typeof globalThis & { __integrations?: Promise<IntegrationSettings> };

/**
 * This process's integration settings. With the local provider on, it is started here (once per
 * process); when its port is taken, another process of this installation already serves it, and
 * since its tokens are signed rather than stored, that one serves this process just as well.
 */
export function integrations(): Promise<IntegrationSettings> {
  holder.__integrations ??= (async () => {
    const e = env();
    if (!localProviderEnabled(e)) return integrationSettings(e, null);
    const url = `http://127.0.0.1:${e.LOCAL_PROVIDER_PORT}`;
    try {
      const { startDemoProvider } = await import("@/demo/local-provider");
      const provider = await startDemoProvider(e.LOCAL_PROVIDER_PORT);
      logger.info({ url: provider.url }, "local provider started (no platform client credentials configured)");
      return integrationSettings(e, provider.url);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
      return integrationSettings(e, url);
    }
  })();
  return holder.__integrations;
}
