import { database } from "@/server/db";
import { logger } from "@/server/logger";
import { raiseNoLiveWorkerAlerts } from "@/server/services/overdue";

const CHECK_EVERY_MS = 30_000;
const holder = globalThis as typeof globalThis & { __watchdog?: NodeJS.Timeout };

/**
 * Every web instance watches the workers, whether it runs an engine or not: when none has been alive
 * for two minutes, the admins get an alert (once per outage, whichever instance notices first).
 */
export function startWatchdog(): void {
  if (holder.__watchdog) return;
  const since = new Date();
  holder.__watchdog = setInterval(() => {
    raiseNoLiveWorkerAlerts(database().db, new Date(), since)
      .then((raised) => {
        if (raised) logger.warn({ admins: raised }, "no live worker: the admins were alerted");
      })
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, "worker watchdog check failed"));
  }, CHECK_EVERY_MS);
  holder.__watchdog.unref();
}
