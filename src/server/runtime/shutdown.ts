import diagnostics_channel from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import net from "node:net";
import { logger } from "@/server/logger";

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
  draining: boolean;
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
  const tracking: HttpTracking = { server: null, inFlight: new Set(), draining: false };
  holder.__httpTracking = tracking;
  diagnostics_channel.subscribe("http.server.request.start", (message) => {
    const { response, server } = message as RequestStart;
    tracking.server ??= server;
    tracking.inFlight.add(response);
    if (tracking.draining) response.shouldKeepAlive = false; // the client opens its next connection elsewhere
    response.once("close", () => tracking.inFlight.delete(response));
  });
  return tracking;
}

/** True once this process has been asked to stop: /api/health answers 503 so balancers move away. */
export function isDraining(): boolean {
  return holder.__httpTracking?.draining ?? false;
}

/** How long a just-accepted connection may take to send its request before it counts as idle. */
const IDLE_SWEEP_MS = 1_000;

/**
 * First announces the drain (health answers 503) and keeps serving for `announceMs`, so a balancer
 * that checks health stops sending before the listener closes: closing a listening socket resets
 * the connections still waiting in its accept queue. Then stops accepting and waits, for up to `graceMs`, for the requests in flight and for
 * every accepted connection to deliver its request. http.Server.close() is not used for the first
 * step: since Node 19 it also closes "idle" connections at once, and a connection accepted a moment
 * ago whose request has not arrived yet looks idle, so its request would be reset. Instead the
 * listener is closed, responses stop offering keep-alive, and idle connections are swept only once
 * they have had time to speak. What is still open when the grace is over is cut.
 */
export async function closeHttpServer(graceMs: number, announceMs = 0): Promise<void> {
  const tracking = holder.__httpTracking;
  const server = tracking?.server;
  if (!tracking || !server) return;
  tracking.draining = true;
  if (announceMs > 0) await new Promise((resolve) => setTimeout(resolve, announceMs));
  for (const response of tracking.inFlight) response.shouldKeepAlive = false;
  await new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const timer = setTimeout(() => {
      logger.warn({ open: tracking.inFlight.size }, "HTTP drain grace over: closing the connections left");
      server.closeAllConnections();
    }, graceMs);
    net.Server.prototype.close.call(server, () => {
      clearInterval(sweep);
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface ShutdownSteps {
  /** How long requests in flight may take to finish, and how long the drain is announced first (read when the signal comes). */
  http: () => { graceMs: number; announceMs: number };
  /** Drains this process's scheduler, if it runs one. */
  stopScheduler?: () => Promise<void>;
}

/** SIGTERM/SIGINT: close HTTP and drain the scheduler side by side, then exit 0. */
export function shutdownOnSignals(steps: ShutdownSteps) {
  const installed = globalThis as typeof globalThis & { __shutdownInstalled?: boolean };
  if (installed.__shutdownInstalled) return; // once per process, across `next dev` reloads
  installed.__shutdownInstalled = true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal, inFlight: holder.__httpTracking?.inFlight.size ?? 0 }, "shutting down");
    const { graceMs, announceMs } = steps.http();
    void Promise.allSettled([closeHttpServer(graceMs, announceMs), steps.stopScheduler?.()]).finally(() =>
      process.exit(0),
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
