import { z } from "zod";
import { ALL_TASK_TYPES } from "@/lib/task-kinds";

/** Prisma's TaskType, through the catalogue (configuration is a leaf: it reads only src/lib). */
type TaskType = (typeof ALL_TASK_TYPES)[number];

const positiveInt = z.coerce.number().int().min(1);
const TYPE_NAMES = ALL_TASK_TYPES;

/**
 * The per-type limits an instance runs with when SCHEDULER_TYPE_CONCURRENCY does not name the type.
 * Must equal `defaultEngineConfig.typeConcurrency` (src/server/scheduler/config.ts); a unit test checks it.
 */
export const DEFAULT_TYPE_CONCURRENCY: Readonly<Partial<Record<TaskType, number>>> = Object.freeze({
  WEBSITE_ANALYSIS: 3,
});

/**
 * "GSC_INSIGHTS=4" → { WEBSITE_ANALYSIS: 3, GSC_INSIGHTS: 4 }: the setting is merged over the defaults, so
 * a type it does not name keeps its default limit (to raise WEBSITE_ANALYSIS's, name it).
 */
const typeLimits = z.string().transform((text, ctx) => {
  const limits: Partial<Record<TaskType, number>> = { ...DEFAULT_TYPE_CONCURRENCY };
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

/**
 * SCHEDULER_* variables; each one is optional and overrides one default (the engine's defaults are in
 * src/server/scheduler/config.ts). SCHEDULER_MAX_ATTEMPTS counts attempts, not retries: 3 = the first
 * run and up to 2 retries.
 */
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
