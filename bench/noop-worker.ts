/**
 * A real `npm run worker` process (same entry, same engine, same recording of every run) whose
 * executors do nothing: what the benchmark measures is the engine's own cost per run.
 */
import { runWorker } from "@/worker";
import type { Executor } from "@/server/scheduler/types";

const noop: Executor = async () => ({ ok: true, result: { noop: true } });

void runWorker({ OAUTH_TOKEN_MONITORING: noop, GSC_INSIGHTS: noop, BING_INSIGHTS: noop, WEBSITE_ANALYSIS: noop });
