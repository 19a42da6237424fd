/**
 * `npm run worker`: a standalone scheduler worker for scale-out. It runs the same engine as the web
 * server, against the same database; start as many as needed (PostgreSQL), and set
 * SCHEDULER_ENABLED=false on the web instances if they should only serve the dashboard.
 */
import { loadEnvConfig } from "@next/env";
import { prepareServerOrExit } from "@/server/runtime/start";
import { startScheduler, stopOnSignals } from "@/server/runtime/scheduler";
import type { ExecutorRegistry } from "@/server/scheduler/types";

/** `executors` replace the default executors of their types (tests use this). */
export async function runWorker(executors?: ExecutorRegistry) {
  await prepareServerOrExit({ seed: false });
  const engine = await startScheduler({ kind: "worker", executors });
  stopOnSignals(engine);
  return engine;
}

if (require.main === module) {
  loadEnvConfig(process.cwd()); // .env.local, as `next start` reads it
  runWorker().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
