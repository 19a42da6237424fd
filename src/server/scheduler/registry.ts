import type { Db } from "@/server/db";
import type { ExecutorDeps } from "./executors/deps";
import { insightsExecutor } from "./executors/insights";
import { oauthTokenExecutor } from "./executors/oauth-token";
import { websiteAnalysisExecutor } from "./executors/website-analysis";
import { retentionExecutor } from "./retention";
import type { ExecutorRegistry } from "./types";

export interface RegistryDeps extends ExecutorDeps {
  db: Db;
  eventRetentionDays: number;
  logRetentionDays: number;
}

/** The executor for each task type. */
export function createExecutorRegistry(deps: RegistryDeps): ExecutorRegistry {
  return {
    OAUTH_TOKEN_MONITORING: oauthTokenExecutor(deps),
    GSC_INSIGHTS: insightsExecutor(deps, "GSC"),
    BING_INSIGHTS: insightsExecutor(deps, "BING"),
    WEBSITE_ANALYSIS: websiteAnalysisExecutor(deps),
    SYSTEM_RETENTION: retentionExecutor(deps.db, {
      eventRetentionDays: deps.eventRetentionDays,
      logRetentionDays: deps.logRetentionDays,
    }),
  };
}
