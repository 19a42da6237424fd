/** Runs once when the Next.js server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareServerOrExit } = await import("./server/bootstrap");
  await prepareServerOrExit();
  const { env } = await import("./server/env");
  if (env().SCHEDULER_ENABLED) {
    const { startScheduler, stopOnSignals } = await import("./server/scheduler/runtime");
    const engine = await startScheduler({ kind: "web" });
    stopOnSignals(engine);
  }
}
