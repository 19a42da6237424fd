/**
 * `npm run worker`: a standalone scheduler worker for scale-out. It runs the same engine as the web
 * server, against the same database; start as many as needed (PostgreSQL), and set
 * SCHEDULER_ENABLED=false on the web instances if they should only serve the dashboard.
 */
import { prepareServerOrExit } from "@/server/bootstrap";
import { startScheduler, stopOnSignals } from "@/server/scheduler/runtime";
import type { ExecutorRegistry } from "@/server/scheduler/types";

export async function runWorker(registry?: ExecutorRegistry) {
  await prepareServerOrExit({ seed: false });
  const engine = await startScheduler({ kind: "worker", registry });
  stopOnSignals(engine);
  return engine;
}

if (require.main === module) {
  runWorker().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
