import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { Prisma } from "@/generated/sqlite/client";
import type { Platform } from "@/generated/sqlite/enums";
import { encryptToken, type TokenKeyring } from "@/server/crypto";
import { CLEARED_FAILURE_STATE } from "@/server/scheduler/failure";
import { resolveConnection } from "@/server/scheduler/alerts/conditions";
import type { Db } from "@/server/db";
import type { IntegrationSettings } from "@/server/integrations/config";
import { IntegrationError } from "@/server/integrations/http";
import { authorizeUrl, exchangeCode } from "@/server/integrations/oauth";
import { needsReconnect } from "@/lib/states";
import {
  PLATFORM_NAMES,
  PLATFORMS,
  type AddWebsiteInput,
  type PlatformInput,
  type WebsiteIdInput,
} from "@/lib/validation/platform";
import { addWebsiteInput } from "@/lib/validation/platform";
import type { TaskRunner } from "./runner";
import { endTasks, provisionTask, taskForWebsite, tasksForConnection, type ProvisionAction } from "./provisioning";
import { ownRows, type Scope } from "./scope";
import { ConflictError, NotFoundError } from "@/server/errors";

/**
 * The caller's own platform connections (admins included: this is their settings page), each as every
 * page shows it: its status, whether only a reconnect can fix it, when its token was last checked
 * (the latest token check's finish, else when it was connected), that check's outcome, whether its
 * monitoring is paused, and its latest search snapshot. Token columns are never selected.
 */
export async function listConnections(db: Db, scope: Scope) {
  const rows = await db.platformConnection.findMany({
    where: ownRows(scope),
    orderBy: [{ platform: "asc" }],
    select: {
      id: true,
      platform: true,
      status: true,
      accountLabel: true,
      siteUrls: true,
      selectedSiteUrl: true,
      tokenExpiresAt: true,
      lastCheckedAt: true,
      lastError: true,
      connectedAt: true,
    },
  });
  // The latest search snapshot and token check of each connection: what its tasks found last.
  const [snapshots, checks] = await Promise.all([
    Promise.all(
      rows.map((r) =>
        r.platform === "GSC" || r.platform === "BING"
          ? db.insightSnapshot.findFirst({
              where: { userId: scope.userId, platform: r.platform },
              orderBy: { fetchedAt: "desc" },
              select: {
                siteUrl: true,
                startDate: true,
                endDate: true,
                clicks: true,
                impressions: true,
                ctr: true,
                position: true,
                topQueries: true,
                fetchedAt: true,
              },
            })
          : null,
      ),
    ),
    Promise.all(
      rows.map((r) =>
        db.executionLog.findFirst({
          where: {
            userId: scope.userId,
            taskType: "OAUTH_TOKEN_MONITORING",
            status: { not: "RUNNING" },
            task: { connectionId: r.id },
          },
          orderBy: { id: "desc" },
          select: { status: true, result: true, errorMessage: true, finishedAt: true },
        }),
      ),
    ),
  ]);
  const tokenTasks = await db.task.findMany({
    where: { userId: scope.userId, type: "OAUTH_TOKEN_MONITORING", connectionId: { in: rows.map((r) => r.id) } },
    select: { connectionId: true, status: true },
  });
  return rows.map((r, i) => {
    const snapshot = snapshots[i];
    // A check from before the latest (re)connection was of the old token: it says nothing now.
    const check = checks[i]?.finishedAt && checks[i]!.finishedAt! >= r.connectedAt ? checks[i] : null;
    const topQueries = Array.isArray(snapshot?.topQueries) ? (snapshot.topQueries as { key?: string }[]) : [];
    return {
      ...r,
      lastCheckedAt:
        check?.finishedAt && (!r.lastCheckedAt || check.finishedAt > r.lastCheckedAt)
          ? check.finishedAt
          : r.lastCheckedAt,
      needsReconnect: needsReconnect(r.status),
      monitoringPaused: tokenTasks.some((t) => t.connectionId === r.id && t.status === "PAUSED"),
      siteUrls: Array.isArray(r.siteUrls) ? (r.siteUrls as string[]) : [],
      latestSnapshot: snapshot ? { ...snapshot, topQueries: undefined, topQuery: topQueries[0]?.key ?? null } : null,
      latestTokenCheck: check
        ? {
            status: check.status,
            outcome: (check.result as { outcome?: string } | null)?.outcome ?? null,
            error: check.errorMessage,
            at: check.finishedAt,
          }
        : null,
    };
  });
}

/** The caller's unread alerts about connections (e.g. "reconnect WordPress"), newest first; the rest are in the inbox. */
export function listAlerts(db: Db, scope: Scope) {
  return db.alert.findMany({
    where: { ...ownRows(scope), readAt: null, connectionId: { not: null } },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { id: true, kind: true, severity: true, title: true, message: true, createdAt: true },
  });
}

export async function dismissAlert(db: Db, scope: Scope, input: { alertId: string }) {
  const { count } = await db.alert.updateMany({
    where: { id: input.alertId, ...ownRows(scope), readAt: null },
    data: { readAt: new Date() },
  });
  if (
    count === 0 &&
    !(await db.alert.findFirst({ where: { id: input.alertId, ...ownRows(scope) }, select: { id: true } }))
  )
    throw new NotFoundError("Alert");
  return { alertId: input.alertId };
}

/** Which platforms can be connected here (client credentials configured, or the local provider). */
export function availablePlatforms(settings: IntegrationSettings) {
  return PLATFORMS.map((platform) => ({
    platform,
    available: Boolean(settings.credentials[platform]),
    localProvider: settings.localProviderUrl !== null,
  }));
}

/** Retries a transaction that lost a race on a unique key (two concurrent connects of the same platform). */
async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const code = (error as Prisma.PrismaClientKnownRequestError).code;
      if (attempt >= 4 || (code !== "P2002" && code !== "P2034")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

export interface ConnectInput {
  platform: Platform;
  accessToken: string;
  refreshToken?: string;
  expiresAt: Date | null;
  accountLabel?: string | null;
}

/**
 * Stores (or replaces) the user's connection to a platform with its tokens encrypted, and
 * provisions its tasks idempotently, with an audit entry: one transaction.
 */
export async function connectPlatform(
  db: Db,
  userId: string,
  input: ConnectInput,
  keyring: TokenKeyring,
  now = new Date(),
  options: { tokenCheckMinutes?: number } = {},
) {
  return retryOnConflict(() =>
    db.$transaction(async (tx) => {
      const tokens = {
        accessTokenEnc: encryptToken(input.accessToken, keyring),
        refreshTokenEnc: input.refreshToken ? encryptToken(input.refreshToken, keyring) : null,
        tokenExpiresAt: input.expiresAt,
        status: "CONNECTED" as const,
        lastError: null,
        lastCheckedAt: now,
        accountLabel: input.accountLabel ?? null,
      };
      const connection = await tx.platformConnection.upsert({
        where: { userId_platform: { userId, platform: input.platform } },
        create: { userId, platform: input.platform, ...tokens, connectedAt: now },
        update: { ...tokens, connectedAt: now },
        select: { id: true, platform: true },
      });
      const provisioned: { type: string; action: ProvisionAction }[] = [];
      for (const spec of tasksForConnection(connection, options.tokenCheckMinutes)) {
        provisioned.push({
          type: spec.type,
          action: (await provisionTask(tx, userId, spec, now, { resumePaused: true })).action,
        });
      }
      // A new token fixes what the old one broke: tasks held up by it are released, and all of the
      // connection's tasks run now, so every page shows the new token's state within seconds.
      await tx.task.updateMany({
        where: {
          connectionId: connection.id,
          failureCategory: "AUTH_ERROR",
          status: { in: ["ACTIVE", "NEEDS_INTERVENTION", "FAILED"] },
        },
        data: { ...CLEARED_FAILURE_STATE, status: "ACTIVE" },
      });
      await tx.task.updateMany({
        where: { connectionId: connection.id, status: { in: ["ACTIVE", "NEEDS_INTERVENTION"] } },
        data: { nextRunAt: now },
      });
      await tx.alert.updateMany({
        where: { userId, connectionId: connection.id, kind: "RECONNECT_REQUIRED", readAt: null },
        data: { readAt: now },
      });
      // Its token alerts close, and the "problem cleared" rule says so.
      await resolveConnection(tx, connection.id, connection.platform, now);
      await tx.auditLog.create({
        data: {
          actorId: userId,
          action: "CONNECT",
          targetType: "PlatformConnection",
          targetId: connection.id,
          details: { platform: input.platform, provisioned },
        },
      });
      return { connectionId: connection.id, platform: connection.platform, provisioned };
    }),
  );
}

/**
 * Disconnects: tokens dropped, status DISCONNECTED, the connection's tasks ended (their history kept;
 * connecting again revives them).
 */
export async function disconnectPlatform(db: Db, scope: Scope, input: PlatformInput, now = new Date()) {
  return db.$transaction(async (tx) => {
    const connection = await tx.platformConnection.findFirst({
      where: { ...ownRows(scope), platform: input.platform },
      select: { id: true, status: true },
    });
    if (!connection) throw new NotFoundError("Connection");
    const ended = await endTasks(
      tx,
      { connectionId: connection.id },
      `${PLATFORM_NAMES[input.platform]} was disconnected`,
      now,
    );
    await tx.platformConnection.update({
      where: { id: connection.id },
      data: { status: "DISCONNECTED", accessTokenEnc: null, refreshTokenEnc: null, tokenExpiresAt: null },
    });
    await tx.alert.updateMany({ where: { connectionId: connection.id, readAt: null }, data: { readAt: now } });
    // Disconnected on purpose: its open episodes end without a "cleared" notice.
    await tx.alert.updateMany({ where: { connectionId: connection.id, resolvedAt: null }, data: { resolvedAt: now } });
    await tx.auditLog.create({
      data: {
        actorId: scope.userId,
        action: "DISCONNECT",
        targetType: "PlatformConnection",
        targetId: connection.id,
        details: { platform: input.platform, endedTasks: ended },
      },
    });
    return { platform: input.platform, endedTasks: ended };
  });
}

// ── OAuth authorization-code flow ──────────────────────────────────────────────────────────────

const STATE_TTL_MS = 10 * 60_000;

function sign(payload: string, secret: string) {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

/** Step 1: where to send the browser, and the signed state to keep in a cookie until the callback. */
export function startAuthorization(
  settings: IntegrationSettings,
  userId: string,
  platform: Platform,
  redirectUri: string,
  secret: string,
  now = Date.now(),
) {
  const credentials = settings.credentials[platform];
  if (!credentials)
    throw new ConflictError(
      `${PLATFORM_NAMES[platform]} cannot be connected: no OAuth client credentials are configured`,
    );
  const state = randomBytes(16).toString("base64url");
  const payload = Buffer.from(JSON.stringify({ state, userId, platform, exp: now + STATE_TTL_MS })).toString(
    "base64url",
  );
  return {
    url: authorizeUrl(platform, settings.endpoints, credentials, redirectUri, state),
    cookie: `${payload}.${sign(payload, secret)}`,
  };
}

/** Step 2: the provider redirected back; check the state against the cookie, exchange the code, connect. */
export async function completeAuthorization(
  db: Db,
  settings: IntegrationSettings,
  keyring: TokenKeyring,
  params: {
    userId: string;
    platform: Platform;
    code: string | null;
    state: string | null;
    error: string | null;
    cookie: string | undefined;
    redirectUri: string;
    secret: string;
  },
  runner: TaskRunner | null = null,
  now = new Date(),
) {
  if (params.error)
    throw new ConflictError(`${PLATFORM_NAMES[params.platform]} refused the connection: ${params.error}`);
  const [payload, signature] = (params.cookie ?? "").split(".");
  const expected = payload ? sign(payload, params.secret) : "";
  if (
    !payload ||
    !signature ||
    signature.length !== expected.length ||
    !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  ) {
    throw new ConflictError(
      "The sign-in with the platform could not be verified (missing or altered state); start again",
    );
  }
  const stored = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    state: string;
    userId: string;
    platform: Platform;
    exp: number;
  };
  if (stored.state !== params.state || stored.userId !== params.userId || stored.platform !== params.platform)
    throw new ConflictError("The connection request does not match this session; start again");
  if (stored.exp < now.getTime()) throw new ConflictError("The connection request expired; start again");
  if (!params.code) throw new ConflictError("The platform sent no authorization code");
  const credentials = settings.credentials[params.platform];
  if (!credentials)
    throw new ConflictError(
      `${PLATFORM_NAMES[params.platform]} cannot be connected: no OAuth client credentials are configured`,
    );
  let tokens;
  try {
    tokens = await exchangeCode(params.platform, settings.endpoints, credentials, params.code, params.redirectUri);
  } catch (error) {
    if (error instanceof IntegrationError)
      throw new ConflictError(`Connecting ${PLATFORM_NAMES[params.platform]} failed: ${error.message}`);
    throw error;
  }
  const connected = await connectPlatform(db, params.userId, { platform: params.platform, ...tokens }, keyring, now, {
    tokenCheckMinutes: settings.tokenCheckMinutes,
  });
  runner?.wake(); // its tasks are due now
  return connected;
}

// ── Websites ───────────────────────────────────────────────────────────────────────────────────

export async function listWebsites(db: Db, scope: Scope) {
  const rows = await db.website.findMany({
    where: ownRows(scope),
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, url: true, role: true, label: true, createdAt: true },
  });
  // Own sites first (sorted here: enums sort by name on SQLite, by declaration on PostgreSQL).
  const websites = [...rows.filter((w) => w.role === "OWN"), ...rows.filter((w) => w.role !== "OWN")];
  const latest = await Promise.all(
    websites.map((w) =>
      db.websiteAnalysis.findFirst({
        where: { websiteId: w.id },
        orderBy: { analyzedAt: "desc" },
        select: {
          analyzedAt: true,
          statusCode: true,
          seoScore: true,
          wordCount: true,
          title: true,
          error: true,
          details: true,
        },
      }),
    ),
  );
  return websites.map((w, i) => {
    const analysis = latest[i];
    const change =
      (analysis?.details as { change?: { seoScore: number; wordCount: number; titleChanged: boolean } | null } | null)
        ?.change ?? null;
    return { ...w, latestAnalysis: analysis ? { ...analysis, details: undefined, change } : null };
  });
}

/** Adds a website (own or competitor) and its analysis task; adding the same URL again changes nothing. */
export async function addWebsite(
  db: Db,
  scope: Scope,
  raw: AddWebsiteInput,
  runner: TaskRunner | null = null,
  now = new Date(),
) {
  const input = addWebsiteInput.parse(raw);
  const added = await retryOnConflict(() =>
    db.$transaction(async (tx) => {
      const existing = await tx.website.findFirst({ where: { userId: scope.userId, url: input.url } });
      const website =
        existing ??
        (await tx.website.create({
          data: { userId: scope.userId, url: input.url, role: input.role, label: input.label ?? null },
        }));
      const { action, taskId } = await provisionTask(tx, scope.userId, taskForWebsite(website), now, {
        resumePaused: true,
      });
      return {
        websiteId: website.id,
        url: website.url,
        role: website.role,
        created: !existing,
        task: { id: taskId, action },
      };
    }),
  );
  if (added.task.action !== "unchanged") runner?.wake(); // its task is due now
  return added;
}

/** Removes a website; its analysis task ends and keeps its history (adding the site again revives it). */
export async function removeWebsite(db: Db, scope: Scope, input: WebsiteIdInput, now = new Date()) {
  return db.$transaction(async (tx) => {
    const website = await tx.website.findFirst({
      where: { id: input.websiteId, ...ownRows(scope) },
      select: { id: true, url: true },
    });
    if (!website) throw new NotFoundError("Website");
    const ended = await endTasks(tx, { websiteId: website.id }, `${website.url} was removed`, now);
    await tx.website.delete({ where: { id: website.id } });
    return { websiteId: website.id, endedTasks: ended };
  });
}

/**
 * Creates whatever tasks are missing for the user's live connections and websites and reports what
 * it did. Only this mutation provisions; reads never create tasks.
 */
export async function reconcileTasks(
  db: Db,
  scope: Scope,
  options: { tokenCheckMinutes?: number; runner?: TaskRunner | null } = {},
  now = new Date(),
) {
  const result = await db.$transaction(async (tx) => {
    const connections = await tx.platformConnection.findMany({
      where: { userId: scope.userId, status: { not: "DISCONNECTED" } },
      select: { id: true, platform: true },
    });
    const websites = await tx.website.findMany({
      where: { userId: scope.userId },
      select: { id: true, url: true, role: true },
    });
    const report: { type: string; target: string; action: ProvisionAction }[] = [];
    for (const connection of connections) {
      for (const spec of tasksForConnection(connection, options.tokenCheckMinutes))
        report.push({
          type: spec.type,
          target: connection.platform,
          action: (await provisionTask(tx, scope.userId, spec, now, { resumePaused: false })).action,
        });
    }
    for (const website of websites) {
      report.push({
        type: "WEBSITE_ANALYSIS",
        target: website.url,
        action: (await provisionTask(tx, scope.userId, taskForWebsite(website), now, { resumePaused: false })).action,
      });
    }
    const summary = {
      created: report.filter((r) => r.action === "created").length,
      reactivated: report.filter((r) => r.action === "reactivated").length,
      unchanged: report.filter((r) => r.action === "unchanged").length,
    };
    await tx.auditLog.create({
      data: { actorId: scope.userId, action: "RECONCILE_TASKS", targetType: "Task", details: summary },
    });
    return { ...summary, changes: report.filter((r) => r.action !== "unchanged") };
  });
  if (result.created + result.reactivated > 0) options.runner?.wake(); // the new tasks are due now
  return result;
}
