/** Runs once when the Next.js server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before any request: each carries its socket's peer address, for the sign-in limit per client.
  const { stampPeerAddresses } = await import("@/server/http/client-address");
  stampPeerAddresses();
  // Graceful shutdown first, so a SIGTERM during start-up drains too (`npm start` sets
  // NEXT_MANUAL_SIG_HANDLE, which leaves the signals to us).
  const { trackHttpServer, shutdownOnSignals } = await import("@/server/runtime/shutdown");
  const { currentScheduler } = await import("@/server/runtime/scheduler");
  const { env } = await import("@/server/config/env");
  trackHttpServer();
  shutdownOnSignals({
    http: () => ({ graceMs: env().HTTP_SHUTDOWN_GRACE_MS, announceMs: env().HTTP_DRAIN_ANNOUNCE_MS }),
    stopScheduler: async () => (await currentScheduler()?.catch(() => null))?.stop(),
  });
  const { prepareServerOrExit } = await import("@/server/runtime/start");
  await prepareServerOrExit();
  const { startWatchdog } = await import("@/server/runtime/watchdog");
  startWatchdog();
  if (env().SCHEDULER_ENABLED) {
    const { startScheduler } = await import("@/server/runtime/scheduler");
    await startScheduler({ kind: "web" });
  }
}
