import type { Platform } from "@/generated/sqlite/enums";
import { PLATFORM_NAMES } from "@/lib/validation/platform";
import { decryptToken, encryptToken, type TokenKeyring } from "@/server/crypto";
import type { Db } from "@/server/db";
import type { ClientCredentials, Endpoints, PlatformCredentials } from "@/server/integrations/endpoints";
import { IntegrationError } from "@/server/integrations/http";
import { CAN_REFRESH, refreshAccessToken } from "@/server/integrations/oauth";
import type { FetchPolicy } from "@/server/integrations/website";
import { raiseReconnect } from "../alerts/conditions";
import type { ClaimedTask, ExecutionOutcome } from "../types";

/** What the real executors need, injected so tests point them at the local provider. */
export interface ExecutorDeps {
  db: Db;
  keyring: TokenKeyring;
  endpoints: Endpoints;
  credentials: PlatformCredentials;
  fetchPolicy: FetchPolicy;
  /** Refresh a token that expires within this many days (default 7). */
  refreshWithinDays?: number;
}

/** A classified failure as the executor's outcome; anything else is rethrown (the engine records it as unknown). */
export function failureOf(error: unknown): ExecutionOutcome {
  if (error instanceof IntegrationError) {
    return {
      ok: false,
      category: error.category,
      message: error.message,
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs,
      resumeAt: error.resumeAt,
      result:
        error.retryAfterMs !== null
          ? { retryAfterMs: error.retryAfterMs, status: error.status }
          : error.status !== null
            ? { status: error.status }
            : undefined,
    };
  }
  throw error;
}

export function credentialsFor(deps: ExecutorDeps, platform: Platform): ClientCredentials {
  const credentials = deps.credentials[platform];
  if (!credentials)
    throw new IntegrationError(
      `no OAuth client credentials are configured for ${PLATFORM_NAMES[platform]}`,
      "CONFIG_ERROR",
      false,
    );
  return credentials;
}

export interface LoadedConnection {
  id: string;
  userId: string;
  platform: Platform;
  status: string;
  accessToken: string | null;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
  siteUrls: string[];
  selectedSiteUrl: string | null;
}

/** The task's connection with its tokens decrypted (in memory only), or a non-retryable failure. */
export async function loadConnection(deps: ExecutorDeps, task: ClaimedTask): Promise<LoadedConnection> {
  const row = task.connectionId
    ? await deps.db.platformConnection.findFirst({ where: { id: task.connectionId, userId: task.userId ?? undefined } })
    : null;
  if (!row)
    throw new IntegrationError("not found: the task's platform connection no longer exists", "CONFIG_ERROR", false);
  if (row.status === "DISCONNECTED")
    throw new IntegrationError(`${row.platform} is disconnected`, "CONFIG_ERROR", false);
  return {
    id: row.id,
    userId: row.userId,
    platform: row.platform,
    status: row.status,
    accessToken: row.accessTokenEnc ? decryptToken(row.accessTokenEnc, deps.keyring) : null,
    refreshToken: row.refreshTokenEnc ? decryptToken(row.refreshTokenEnc, deps.keyring) : null,
    tokenExpiresAt: row.tokenExpiresAt,
    siteUrls: Array.isArray(row.siteUrls) ? (row.siteUrls as string[]) : [],
    selectedSiteUrl: row.selectedSiteUrl,
  };
}

/** Refreshes the access token and stores the new tokens encrypted; marks the connection when the user must reconnect. */
export async function refreshConnection(
  deps: ExecutorDeps,
  connection: LoadedConnection,
  now: Date,
  signal?: AbortSignal,
): Promise<LoadedConnection> {
  if (!CAN_REFRESH[connection.platform])
    throw new IntegrationError(
      `${PLATFORM_NAMES[connection.platform]} tokens cannot be refreshed: reconnect ${PLATFORM_NAMES[connection.platform]}`,
      "AUTH_ERROR",
      false,
    );
  if (!connection.refreshToken) {
    await markNeedsUser(deps, connection, "EXPIRED", "no refresh token: reconnect to continue", now);
    throw new IntegrationError(
      `${PLATFORM_NAMES[connection.platform]}: no refresh token; reconnect it to continue`,
      "AUTH_ERROR",
      false,
    );
  }
  let tokens;
  try {
    tokens = await refreshAccessToken(
      connection.platform,
      deps.endpoints,
      credentialsFor(deps, connection.platform),
      connection.refreshToken,
      signal,
    );
  } catch (error) {
    if (error instanceof IntegrationError && error.category === "AUTH_ERROR") {
      await markNeedsUser(deps, connection, "REVOKED", `refresh failed: ${error.message}`, now);
    }
    throw error;
  }
  await deps.db.platformConnection.update({
    where: { id: connection.id },
    data: {
      accessTokenEnc: encryptToken(tokens.accessToken, deps.keyring),
      ...(tokens.refreshToken ? { refreshTokenEnc: encryptToken(tokens.refreshToken, deps.keyring) } : {}),
      tokenExpiresAt: tokens.expiresAt,
      status: "CONNECTED",
      lastError: null,
      lastCheckedAt: now,
    },
  });
  return {
    ...connection,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? connection.refreshToken,
    tokenExpiresAt: tokens.expiresAt,
    status: "CONNECTED",
  };
}

/** An access token good for at least five more minutes, refreshing first when needed. */
export async function freshAccessToken(
  deps: ExecutorDeps,
  connection: LoadedConnection,
  now: Date,
  signal?: AbortSignal,
): Promise<LoadedConnection> {
  const soon = connection.tokenExpiresAt && connection.tokenExpiresAt.getTime() - now.getTime() < 5 * 60_000;
  if (connection.accessToken && !soon) return connection;
  return refreshConnection(deps, connection, now, signal);
}

/** The connection needs its user: status, last error, and one alert until it is connected again (the outbox). */
export async function markNeedsUser(
  deps: ExecutorDeps,
  connection: LoadedConnection,
  status: "EXPIRED" | "REVOKED",
  reason: string,
  now: Date,
) {
  await deps.db.$transaction(async (tx) => {
    await tx.platformConnection.update({
      where: { id: connection.id },
      data: { status, lastError: reason.slice(0, 500), lastCheckedAt: now },
    });
    await raiseReconnect(tx, connection, reason, now);
  });
}

/** Runs `call` with the connection's token; on a 401/403 refreshes once and tries again. */
export async function withTokenRetry<T>(
  deps: ExecutorDeps,
  connection: LoadedConnection,
  now: Date,
  signal: AbortSignal,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  let current = await freshAccessToken(deps, connection, now, signal);
  try {
    return await call(current.accessToken!);
  } catch (error) {
    if (!(error instanceof IntegrationError) || error.category !== "AUTH_ERROR" || !CAN_REFRESH[connection.platform])
      throw error;
    current = await refreshConnection(deps, current, now, signal);
    return call(current.accessToken!);
  }
}
