import { checkAccessToken, CAN_REFRESH } from "@/server/integrations/oauth";
import { IntegrationError } from "@/server/integrations/http";
import { PLATFORM_NAMES } from "@/lib/validation/platform";
import type { Executor } from "../types";
import { raiseTokenExpiring } from "../alerts/conditions";
import { credentialsFor, failureOf, loadConnection, markNeedsUser, refreshConnection, type ExecutorDeps } from "./deps";

/**
 * OAuth token health: checks the stored token against the provider and refreshes it when it is
 * invalid or expires within `refreshWithinDays`. Outcomes: valid, refreshed, expiring soon (cannot
 * refresh yet), expired / refresh failed (the user must reconnect: not retryable, alert raised),
 * not found. Network trouble and 5xx are retryable failures.
 */
export function oauthTokenExecutor(deps: ExecutorDeps): Executor {
  return async (task, { signal, now: clock }) => {
    const now = clock();
    try {
      const connection = await loadConnection(deps, task);
      const platform = connection.platform;
      const within = (deps.refreshWithinDays ?? 7) * 86_400_000;
      const check = connection.accessToken
        ? await checkAccessToken(
            platform,
            deps.endpoints,
            credentialsFor(deps, platform),
            connection.accessToken,
            signal,
          )
        : ({ valid: false, reason: "no access token stored" } as const);
      const expiresAt = check.valid ? (check.expiresAt ?? connection.tokenExpiresAt) : connection.tokenExpiresAt;
      const expiringSoon = expiresAt !== null && expiresAt.getTime() - now.getTime() < within;

      if (check.valid && !expiringSoon) {
        await deps.db.platformConnection.update({
          where: { id: connection.id },
          data: { status: "CONNECTED", lastCheckedAt: now, lastError: null, tokenExpiresAt: expiresAt },
        });
        return { ok: true, result: { outcome: "valid", platform, expiresAt: expiresAt?.toISOString() ?? null } };
      }
      if (CAN_REFRESH[platform] && connection.refreshToken) {
        const refreshed = await refreshConnection(deps, connection, now, signal);
        return {
          ok: true,
          result: {
            outcome: "refreshed",
            platform,
            reason: check.valid ? "expiring soon" : check.reason.slice(0, 200),
            expiresAt: refreshed.tokenExpiresAt?.toISOString() ?? null,
          },
        };
      }
      if (check.valid) {
        // Still works but will expire, and cannot be renewed without the user.
        await deps.db.$transaction(async (tx) => {
          await tx.platformConnection.update({
            where: { id: connection.id },
            data: { status: "EXPIRING", lastCheckedAt: now, tokenExpiresAt: expiresAt },
          });
          if (expiresAt) await raiseTokenExpiring(tx, connection, expiresAt, now);
        });
        return {
          ok: true,
          result: { outcome: "expiring_soon", platform, expiresAt: expiresAt?.toISOString() ?? null },
        };
      }
      await markNeedsUser(deps, connection, "EXPIRED", check.reason, now);
      return {
        ok: false,
        category: "AUTH_ERROR",
        retryable: false,
        message: `The ${PLATFORM_NAMES[platform]} token expired and cannot be refreshed: reconnect ${PLATFORM_NAMES[platform]} to continue`,
        result: { outcome: "expired", platform },
      };
    } catch (error) {
      const outcome = failureOf(error);
      if (!outcome.ok && error instanceof IntegrationError) {
        const kind = error.message.startsWith("not found")
          ? "not_found"
          : error.category === "AUTH_ERROR"
            ? "refresh_failed"
            : "check_failed";
        return {
          ...outcome,
          result: { outcome: kind, ...(typeof outcome.result === "object" && outcome.result ? outcome.result : {}) },
        };
      }
      return outcome;
    }
  };
}
