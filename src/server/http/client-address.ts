import diagnostics_channel from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";

/**
 * The TCP peer of a request, written onto its headers by this process before Next.js sees it. Next's
 * own `X-Forwarded-For` cannot serve: it fills the header from the socket only when the client did not
 * send one, so anyone could name any address. Whatever a client sends under this name is overwritten.
 */
export const PEER_ADDRESS_HEADER = "x-scheduler-peer-address";

const holder = globalThis as typeof globalThis & { __peerStamping?: boolean };

/**
 * Stamps every request this process's HTTP server receives with its peer address (idempotent). Node's
 * documented `http.server.request.start` channel runs before the server's request handler, so the
 * header is in place for route handlers, server actions and next-auth alike.
 */
export function stampPeerAddresses(): void {
  if (holder.__peerStamping) return;
  holder.__peerStamping = true;
  diagnostics_channel.subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: IncomingMessage };
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
  });
}

/**
 * The client's address for per-client limits: the socket's peer, unless `trustedHops` proxies stand in
 * front (TRUST_PROXY), when it is the address the outermost trusted proxy saw, read from the right of
 * `X-Forwarded-For` (what a client writes on the left is never trusted). Null when the request did not
 * come through this process's HTTP server (no stamped peer): then no per-client limit applies.
 */
export function clientAddress(headers: Headers | undefined, trustedHops: number): string | null {
  const peer = headers?.get(PEER_ADDRESS_HEADER);
  if (!peer) return null;
  const forwardedFor = headers?.get("x-forwarded-for") ?? undefined;
  // proxy-addr (Express's "trust proxy") reads these two fields of a Node request.
  const request = { socket: { remoteAddress: peer }, headers: { "x-forwarded-for": forwardedFor } };
  return proxyAddr(request as unknown as IncomingMessage, (_address, hop) => hop < trustedHops);
}
