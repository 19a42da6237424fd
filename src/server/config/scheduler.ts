import { z } from "zod";
import type { TaskType } from "@/generated/sqlite/enums";
import { ALL_TASK_TYPES } from "@/lib/task-kinds";

const positiveInt = z.coerce.number().int().min(1);
const TYPE_NAMES = ALL_TASK_TYPES;

/** "WEBSITE_ANALYSIS=2,GSC_INSIGHTS=4" → { WEBSITE_ANALYSIS: 2, GSC_INSIGHTS: 4 } */
const typeLimits = z.string().transform((text, ctx) => {
  const limits: Partial<Record<TaskType, number>> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split("=").map((s) => s.trim());
    const limit = Number(value);
    if (!TYPE_NAMES.includes(name as TaskType) || !Number.isInteger(limit) || limit < 1) {
      ctx.addIssue({
        code: "custom",
        message: `"${part}" is not TYPE=limit with TYPE one of ${TYPE_NAMES.join(", ")} and limit >= 1`,
      });
      return z.NEVER;
    }
    limits[name as TaskType] = limit;
  }
  return limits;
});

/** SCHEDULER_* variables; each one is optional and overrides one default. */
export const schedulerEnvSchema = z.object({
  SCHEDULER_CONCURRENCY: positiveInt.optional(),
  SCHEDULER_CLAIM_BATCH: positiveInt.optional(),
  SCHEDULER_TYPE_CONCURRENCY: typeLimits.optional(),
  SCHEDULER_LEASE_MS: z.coerce.number().int().min(1000).optional(),
  SCHEDULER_HEARTBEAT_MS: z.coerce.number().int().min(100).optional(),
  SCHEDULER_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(100).optional(),
  SCHEDULER_POLL_MS: z.coerce.number().int().min(10).max(60_000).optional(),
  SCHEDULER_TIMEOUT_MS: z.coerce.number().int().min(100).optional(),
  SCHEDULER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).optional(),
  SCHEDULER_MAX_ATTEMPTS: positiveInt.max(20).optional(),
  SCHEDULER_BACKOFF_BASE_MS: z.coerce.number().int().min(0).optional(),
  SCHEDULER_BACKOFF_CAP_MS: z.coerce.number().int().min(0).optional(),
  SCHEDULER_INTERVENTION_CONSECUTIVE: positiveInt.optional(),
  SCHEDULER_INTERVENTION_RECENT: positiveInt.optional(),
  SCHEDULER_INTERVENTION_WINDOW_MS: positiveInt.optional(),
  SCHEDULER_COOLOFF_MS: positiveInt.optional(),
  SCHEDULER_COOLOFF_CAP_MS: positiveInt.optional(),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(7).max(365).default(90),
  LOG_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
});

export type SchedulerEnv = z.infer<typeof schedulerEnvSchema>;

/** A worker is alive while it was seen within this long (a few heartbeats): one threshold for every view of the workers. */
export const WORKER_ALIVE_MS = 90_000;
