/** Runs once when the Next.js server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Graceful shutdown first, so a SIGTERM during start-up drains too (`npm start` sets
  // NEXT_MANUAL_SIG_HANDLE, which leaves the signals to us).
  const { trackHttpServer, shutdownOnSignals } = await import("./server/shutdown");
  const { currentScheduler } = await import("./server/scheduler/runtime");
  const { env } = await import("./server/env");
  trackHttpServer();
  shutdownOnSignals({
    http: () => ({ graceMs: env().HTTP_SHUTDOWN_GRACE_MS, announceMs: env().HTTP_DRAIN_ANNOUNCE_MS }),
    stopScheduler: async () => (await currentScheduler()?.catch(() => null))?.stop(),
  });
  const { prepareServerOrExit } = await import("./server/bootstrap");
  await prepareServerOrExit();
  if (env().SCHEDULER_ENABLED) {
    const { startScheduler } = await import("./server/scheduler/runtime");
    await startScheduler({ kind: "web" });
  }
}
