import type { TaskType } from "@/generated/sqlite/enums";
import { tokenCheckMinutes } from "@/server/integrations/config";
import { integrationsEnvSchema } from "@/server/config/integrations";
import type { Db } from "@/server/db";
import type { ExecutorDeps } from "./executors/deps";
import { insightsExecutor } from "./executors/insights";
import { oauthTokenExecutor } from "./executors/oauth-token";
import { websiteAnalysisExecutor } from "./executors/website-analysis";
import { retentionExecutor, SYSTEM_RETENTION_KEY } from "./retention";
import { alertDeliveryExecutor, DELIVERY_TASK_MINUTES, type AlertDeliverySettings } from "./alerts/deliver";
import { SYSTEM_ALERT_DELIVERY_KEY } from "./alerts/outbox";
import type { Executor } from "./types";

/** What the executors need: the platforms' endpoints, the keyring, the database, retention settings. */
export interface RegistryDeps extends ExecutorDeps {
  db: Db;
  eventRetentionDays: number;
  logRetentionDays: number;
  /** Where alerts go out (SMTP, the webhook allow-list, the app's address); unset: e-mail unavailable. */
  alerts?: AlertDeliverySettings;
}

/** What a kind's default schedule may depend on (the token-check interval is a setting). */
export interface ScheduleSettings {
  tokenCheckMinutes: number;
}

interface TaskRuntime {
  /** How often a new task of this kind runs. */
  frequencyMinutes: (settings: ScheduleSettings) => number;
  /** One task per purpose: the key unique per owner, from what the task works on (a platform, a site). */
  dedupeKey: (target: string) => string;
  /** The code that runs it. */
  executor: (deps: RegistryDeps) => Executor;
  /** Its names in the original system's REST contract (the /api/scheduler facade). */
  rest: { type: string; functionName: string };
}

const DAY = 24 * 60;

/**
 * The task-kind catalogue, server part (the client-safe part, with labels and categories, is
 * `src/lib/task-kinds.ts`): each kind's default schedule, dedupe key, executor and legacy names.
 */
export const TASK_RUNTIME: Record<TaskType, TaskRuntime> = {
  OAUTH_TOKEN_MONITORING: {
    frequencyMinutes: (settings) => settings.tokenCheckMinutes,
    dedupeKey: (platform) => `OAUTH_TOKEN_MONITORING:${platform}`,
    executor: (deps) => oauthTokenExecutor(deps),
    rest: { type: "oauth_token_monitoring", functionName: "oauth_token_monitoring_executor.execute_task" },
  },
  GSC_INSIGHTS: {
    frequencyMinutes: () => DAY,
    dedupeKey: (platform) => `GSC_INSIGHTS:${platform}`,
    executor: (deps) => insightsExecutor(deps, "GSC"),
    rest: { type: "gsc_insights", functionName: "gsc_insights_executor.execute_task" },
  },
  BING_INSIGHTS: {
    frequencyMinutes: () => DAY,
    dedupeKey: (platform) => `BING_INSIGHTS:${platform}`,
    executor: (deps) => insightsExecutor(deps, "BING"),
    rest: { type: "bing_insights", functionName: "bing_insights_executor.execute_task" },
  },
  WEBSITE_ANALYSIS: {
    frequencyMinutes: () => DAY,
    dedupeKey: (url) => `WEBSITE_ANALYSIS:${url}`,
    executor: (deps) => websiteAnalysisExecutor(deps),
    rest: { type: "website_analysis", functionName: "website_analysis_executor.execute_task" },
  },
  SYSTEM_RETENTION: {
    frequencyMinutes: () => DAY,
    dedupeKey: () => SYSTEM_RETENTION_KEY,
    executor: (deps) =>
      retentionExecutor(deps.db, {
        eventRetentionDays: deps.eventRetentionDays,
        logRetentionDays: deps.logRetentionDays,
      }),
    rest: { type: "system_retention", functionName: "retention.execute_task" },
  },
  SYSTEM_ALERT_DELIVERY: {
    frequencyMinutes: () => DELIVERY_TASK_MINUTES,
    dedupeKey: () => SYSTEM_ALERT_DELIVERY_KEY,
    executor: (deps) => alertDeliveryExecutor(deps.db, deps.keyring, deps.alerts),
    rest: { type: "system_alert_delivery", functionName: "alerts.deliver" },
  },
};

/** The schedule with every setting at its default (TOKEN_CHECK_INTERVAL_DAYS unset: a week). */
export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = {
  tokenCheckMinutes: tokenCheckMinutes(integrationsEnvSchema.parse({})),
};
