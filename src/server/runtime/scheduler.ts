import { tokenKeyring } from "@/server/runtime/keyring";
import { database } from "@/server/db";
import { integrations } from "@/server/runtime/integrations";
import { env } from "@/server/config/env";
import { alertDeliverySettings } from "@/server/config/alert-settings";
import { shutdownOnSignals } from "@/server/runtime/shutdown";
import { engineConfigFromEnv } from "@/server/scheduler/config";
import { SchedulerEngine } from "@/server/scheduler/engine";
import { createExecutorRegistry } from "@/server/scheduler/registry";
import { ensureSystemTasks } from "@/server/scheduler/retention";
import type { ExecutorRegistry } from "@/server/scheduler/types";

/**
 * The engine of this process. Kept on globalThis so that `next dev` hot reloads, which re-evaluate
 * modules, never start a second engine in the same process.
 */
const holder = globalThis as typeof globalThis & { __schedulerEngine?: Promise<SchedulerEngine> };

export function currentScheduler(): Promise<SchedulerEngine> | undefined {
  return holder.__schedulerEngine;
}

/** The engine running in this process and started, or null (none, or not started yet). */
export async function runningScheduler(): Promise<SchedulerEngine | null> {
  const engine = await holder.__schedulerEngine?.catch(() => null);
  return engine && engine.state === "running" ? engine : null;
}

/** Starts this process's engine once; later calls get the same one. `executors` replace defaults by type. */
export function startScheduler(options: {
  kind: "web" | "worker";
  executors?: ExecutorRegistry;
}): Promise<SchedulerEngine> {
  holder.__schedulerEngine ??= (async () => {
    const e = env();
    const { db, engine } = database();
    const integrationSettings = await integrations();
    await ensureSystemTasks(db, new Date());
    const scheduler = new SchedulerEngine({
      db,
      engine,
      kind: options.kind,
      config: engineConfigFromEnv(e),
      registry: {
        ...createExecutorRegistry({
          db,
          keyring: tokenKeyring(),
          ...integrationSettings,
          eventRetentionDays: e.EVENT_RETENTION_DAYS,
          logRetentionDays: e.LOG_RETENTION_DAYS,
          alerts: alertDeliverySettings(e, integrationSettings.localProviderUrl),
        }),
        ...options.executors,
      },
    });
    await scheduler.start();
    return scheduler;
  })();
  return holder.__schedulerEngine;
}

/** SIGTERM/SIGINT in a worker process: drain the engine, then exit (see shutdown.ts). */
export function stopOnSignals(engine: SchedulerEngine) {
  shutdownOnSignals({ http: () => ({ graceMs: 0, announceMs: 0 }), stopScheduler: () => engine.stop() });
}
