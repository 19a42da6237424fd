import { ALL_TASK_TYPES } from "@/lib/task-kinds";
import { TASK_RUNTIME, type RegistryDeps } from "./task-kinds";
import type { ExecutorRegistry } from "./types";

export type { RegistryDeps };

/** The executor for each task type, from the task-kind catalogue. */
export function createExecutorRegistry(deps: RegistryDeps): ExecutorRegistry {
  return Object.fromEntries(ALL_TASK_TYPES.map((type) => [type, TASK_RUNTIME[type].executor(deps)]));
}
