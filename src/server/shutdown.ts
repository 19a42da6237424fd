import diagnostics_channel from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { logger } from "./logger";

/**
 * Graceful shutdown. `next start` owns its HTTP server and gives no handle on it, so the server is
 * learnt from Node's documented `http.server.request.start` diagnostics channel, which also tells
 * which responses are still being written. On SIGTERM/SIGINT the process stops accepting
 * connections (a load balancer's next connect is refused and goes to another instance), lets the
 * requests in flight finish, drains the scheduler, then exits 0. A second signal exits at once.
 */
interface HttpTracking {
  server: Server | null;
  inFlight: Set<ServerResponse>;
}

const holder = globalThis as typeof globalThis & { __httpTracking?: HttpTracking };

interface RequestStart {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
}

/** Starts watching this process's HTTP server (idempotent; survives `next dev` reloads). */
export function trackHttpServer(): HttpTracking {
  if (holder.__httpTracking) return holder.__httpTracking;
  const tracking: HttpTracking = { server: null, inFlight: new Set() };
  holder.__httpTracking = tracking;
  diagnostics_channel.subscribe("http.server.request.start", (message) => {
    const { response, server } = message as RequestStart;
    tracking.server ??= server;
    tracking.inFlight.add(response);
    response.once("close", () => tracking.inFlight.delete(response));
  });
  return tracking;
}

/**
 * Stops accepting connections, closes idle keep-alive ones, and waits for the requests in flight,
 * for up to `graceMs`; what is still open then is cut.
 */
export async function closeHttpServer(graceMs: number): Promise<void> {
  const tracking = holder.__httpTracking;
  const server = tracking?.server;
  if (!tracking || !server) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      logger.warn({ open: tracking.inFlight.size }, "HTTP drain grace over: closing the connections left");
      server.closeAllConnections();
      resolve();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
    // A keep-alive connection that goes idle after its last response is closed as soon as it does.
    for (const response of tracking.inFlight) {
      response.once("finish", () => server.closeIdleConnections());
    }
  });
}

export interface ShutdownSteps {
  /** How long requests in flight may take to finish (read when the signal comes). */
  httpGraceMs: () => number;
  /** Drains this process's scheduler, if it runs one. */
  stopScheduler?: () => Promise<void>;
}

/** SIGTERM/SIGINT: close HTTP and drain the scheduler side by side, then exit 0. */
export function shutdownOnSignals(steps: ShutdownSteps) {
  const holderKey = globalThis as typeof globalThis & { __shutdownInstalled?: boolean };
  if (holderKey.__shutdownInstalled) return;
  holderKey.__shutdownInstalled = true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal, inFlight: holder.__httpTracking?.inFlight.size ?? 0 }, "shutting down");
    void Promise.allSettled([closeHttpServer(steps.httpGraceMs()), steps.stopScheduler?.()]).finally(() => process.exit(0));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
