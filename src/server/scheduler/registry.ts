import type { Db } from "@/server/db";
import { ALL_TASK_TYPES } from "@/lib/task-kinds";
import type { ExecutorDeps } from "./executors/deps";
import { TASK_RUNTIME } from "./task-kinds";
import type { ExecutorRegistry } from "./types";

export interface RegistryDeps extends ExecutorDeps {
  db: Db;
  eventRetentionDays: number;
  logRetentionDays: number;
}

/** The executor for each task type, from the task-kind catalogue. */
export function createExecutorRegistry(deps: RegistryDeps): ExecutorRegistry {
  return Object.fromEntries(ALL_TASK_TYPES.map((type) => [type, TASK_RUNTIME[type].executor(deps)]));
}
