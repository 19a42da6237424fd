import { database } from "@/server/db";
import { logger } from "@/server/logger";
import { checkLateTaskAlerts, raiseNoLiveWorkerAlerts } from "@/server/services/overdue";

const CHECK_EVERY_MS = 30_000;
const holder = globalThis as typeof globalThis & { __watchdog?: NodeJS.Timeout };

/**
 * Every web instance watches the workers, whether it runs an engine or not: when none has been alive
 * for two minutes, the admins get an alert (once per outage, whichever instance notices first); and late
 * or missed tasks raise their owners' alerts (once per due time).
 */
export function startWatchdog(): void {
  if (holder.__watchdog) return;
  const since = new Date();
  holder.__watchdog = setInterval(() => {
    raiseNoLiveWorkerAlerts(database().db, new Date(), since)
      .then((raised) => {
        if (raised) logger.warn({ admins: raised }, "no live worker: the admins were alerted");
      })
      .then(() => checkLateTaskAlerts(database().db, new Date()))
      .then(({ raised }) => {
        if (raised) logger.info({ raised }, "late tasks: alerts raised");
      })
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, "worker watchdog check failed"));
  }, CHECK_EVERY_MS);
  holder.__watchdog.unref();
}
