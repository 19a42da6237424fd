import type { Db } from "@/server/db";
import { retentionExecutor } from "./retention";
import type { ExecutorRegistry } from "./types";

export interface RegistryDeps {
  db: Db;
  eventRetentionDays: number;
  logRetentionDays: number;
}

/** The executor for each task type. */
export function createExecutorRegistry(deps: RegistryDeps): ExecutorRegistry {
  return {
    SYSTEM_RETENTION: retentionExecutor(deps.db, { eventRetentionDays: deps.eventRetentionDays, logRetentionDays: deps.logRetentionDays }),
  };
}
