import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { startLocalProvider, type LocalProvider } from "../../dev/provider/server";
import { readToken } from "../../dev/provider/tokens";
import { decryptToken, keyringFrom } from "@/server/crypto";
import { integrationSettings } from "@/server/integrations/config";
import { integrationsEnvSchema } from "@/server/config/integrations";
import { createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { completeAuthorization, startAuthorization } from "@/server/services/connections";
import { ConflictError } from "@/server/errors";
import type { Platform } from "@/generated/sqlite/enums";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const keyring = keyringFrom(Buffer.alloc(32, 3).toString("base64"));
const SECRET = "test-state-secret-test-state-secret-0123";
const REDIRECT = "http://localhost:3000/api/connections/gsc/callback";

describe.each(testEngines())("connections and provisioning on %s", (engine) => {
  let t: TestDatabase;
  let provider: LocalProvider;
  let settings: ReturnType<typeof integrationSettings>;
  let userId: string;

  /** The real authorization-code flow against the local provider: authorize redirect → callback → token exchange. */
  async function oauthConnect(platform: Platform, user = userId) {
    const { url, cookie } = startAuthorization(settings, user, platform, REDIRECT, SECRET);
    const consent = await fetch(url, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get("location")!);
    return completeAuthorization(db(), settings, keyring, {
      userId: user,
      platform,
      code: back.searchParams.get("code"),
      state: back.searchParams.get("state"),
      error: null,
      cookie,
      redirectUri: REDIRECT,
      secret: SECRET,
    });
  }
  const db = () => t.db;
  const caller = async (id = userId) =>
    createCaller(await createInnerContext({ db: t.db, engine, sessionUserId: id, integrations: settings }));
  const code = (p: Promise<unknown>) =>
    p.then(
      () => "OK",
      (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
    );

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    provider = await startLocalProvider({ anySite: true });
    settings = integrationSettings(integrationsEnvSchema.parse({}), provider.url);
  });
  beforeEach(async () => {
    userId = (await createTestUser(t.db)).id;
  });
  afterAll(async () => {
    await provider.close();
    await t.drop();
  });

  it("connects through the OAuth code flow: tokens stored encrypted, its tasks provisioned, audited", async () => {
    const result = await oauthConnect("GSC");
    expect(result.provisioned).toEqual([
      { type: "OAUTH_TOKEN_MONITORING", action: "created" },
      { type: "GSC_INSIGHTS", action: "created" },
    ]);
    const connection = await t.db.platformConnection.findFirstOrThrow({ where: { userId, platform: "GSC" } });
    expect(connection.status).toBe("CONNECTED");
    expect(readToken(decryptToken(connection.accessTokenEnc!, keyring))).toMatchObject({
      platform: "GSC",
      kind: "access",
    });
    expect(readToken(decryptToken(connection.refreshTokenEnc!, keyring))).toMatchObject({ kind: "refresh" });
    const tasks = await t.db.task.findMany({ where: { userId } });
    expect(tasks.map((task) => [task.type, task.status, task.connectionId]).sort()).toEqual(
      [
        ["OAUTH_TOKEN_MONITORING", "ACTIVE", connection.id],
        ["GSC_INSIGHTS", "ACTIVE", connection.id],
      ].sort(),
    );
    expect(tasks.every((task) => task.nextRunAt !== null && task.nextRunAt.getTime() <= Date.now())).toBe(true); // due at once
    expect(tasks.find((task) => task.type === "OAUTH_TOKEN_MONITORING")!.frequencyMinutes).toBe(7 * 24 * 60); // a check a week
    expect(await t.db.auditLog.count({ where: { actorId: userId, action: "CONNECT" } })).toBe(1);
  });

  it("is idempotent: connecting again, or five times at once, creates no duplicate connection or task", async () => {
    await oauthConnect("BING");
    expect((await oauthConnect("BING")).provisioned.every((p) => p.action === "unchanged")).toBe(true);
    await Promise.all(Array.from({ length: 5 }, () => oauthConnect("WIX")));
    expect(await t.db.platformConnection.count({ where: { userId } })).toBe(2);
    const tasks = await t.db.task.groupBy({ by: ["dedupeKey"], where: { userId }, _count: { _all: true } });
    expect(tasks.map((g) => [g.dedupeKey, g._count._all]).sort()).toEqual([
      ["BING_INSIGHTS:BING", 1],
      ["OAUTH_TOKEN_MONITORING:BING", 1],
      ["OAUTH_TOKEN_MONITORING:WIX", 1],
    ]);
  });

  it("refuses a callback whose state was altered, does not match, or comes without a code", async () => {
    const { url, cookie } = startAuthorization(settings, userId, "GSC", REDIRECT, SECRET);
    const back = new URL((await fetch(url, { redirect: "manual" })).headers.get("location")!);
    const base = {
      userId,
      platform: "GSC" as const,
      code: back.searchParams.get("code"),
      state: back.searchParams.get("state"),
      error: null,
      cookie,
      redirectUri: REDIRECT,
      secret: SECRET,
    };
    await expect(
      completeAuthorization(t.db, settings, keyring, { ...base, cookie: `${cookie}x` }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(completeAuthorization(t.db, settings, keyring, { ...base, state: "forged" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(
      completeAuthorization(t.db, settings, keyring, { ...base, userId: "someone-else" }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(completeAuthorization(t.db, settings, keyring, { ...base, code: null })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(completeAuthorization(t.db, settings, keyring, { ...base, error: "access_denied" })).rejects.toThrow(
      /access_denied/,
    );
    await expect(completeAuthorization(t.db, settings, keyring, { ...base, code: "lp_forged.code" })).rejects.toThrow(
      /invalid_grant/,
    );
    expect(await t.db.platformConnection.count({ where: { userId } })).toBe(0);
  });

  it("disconnecting ends the connection's tasks (out of the active lists, history kept) and drops its tokens; reconnecting revives them", async () => {
    await oauthConnect("GSC");
    const api = await caller();
    expect(await api.platform.disconnect({ platform: "GSC" })).toMatchObject({ endedTasks: 2 });
    expect(await t.db.platformConnection.findFirstOrThrow({ where: { userId } })).toMatchObject({
      status: "DISCONNECTED",
      accessTokenEnc: null,
      refreshTokenEnc: null,
    });
    expect(
      await t.db.task.findMany({ where: { userId }, select: { status: true, endedReason: true, nextRunAt: true } }),
    ).toEqual([
      { status: "ENDED", endedReason: "Google Search Console was disconnected", nextRunAt: null },
      { status: "ENDED", endedReason: "Google Search Console was disconnected", nextRunAt: null },
    ]);
    expect((await api.dashboard.jobs({})).items).toEqual([]);
    expect((await api.dashboard.jobs({ status: "ENDED" })).items).toHaveLength(2);
    const ended = (await api.dashboard.jobs({ status: "ENDED" })).items[0]!;
    expect(await code(api.tasks.manualTrigger({ taskId: ended.id }))).toBe("CONFLICT");
    expect(await code(api.tasks.resume({ taskId: ended.id }))).toBe("CONFLICT");
    expect((await api.tasks.history({ taskId: ended.id })).task).toMatchObject({
      status: "ENDED",
      endedReason: "Google Search Console was disconnected",
    });
    const again = await oauthConnect("GSC");
    expect(again.provisioned.map((p) => p.action)).toEqual(["reactivated", "reactivated"]);
    expect(await t.db.task.count({ where: { userId, status: "ACTIVE" } })).toBe(2);
    expect(await code(api.platform.disconnect({ platform: "WIX" }))).toBe("NOT_FOUND");
    expect(await code(api.platform.disconnect({ platform: "MYSPACE" as "WIX" }))).toBe("BAD_REQUEST");
  });

  it("reconnecting an expired platform releases what its old token held up, and runs its tasks at once", async () => {
    await oauthConnect("WIX");
    const connection = await t.db.platformConnection.findFirstOrThrow({ where: { userId, platform: "WIX" } });
    const later = new Date(Date.now() + 6 * 86_400_000);
    // The token expired: the connection needs its user, its token check failed with AUTH_ERROR and is cooled off.
    await t.db.platformConnection.update({
      where: { id: connection.id },
      data: { status: "EXPIRED", lastError: "invalid_grant" },
    });
    await t.db.task.updateMany({
      where: { connectionId: connection.id },
      data: {
        status: "NEEDS_INTERVENTION",
        failureCategory: "AUTH_ERROR",
        failureReason: "expired",
        consecutiveFailures: 3,
        coolOffUntil: later,
        nextRunAt: later,
      },
    });
    const api = await caller();
    expect((await api.tasks.attention()).connections.map((c) => c.platform)).toContain("WIX");
    const before = Date.now();
    await oauthConnect("WIX");
    const task = await t.db.task.findFirstOrThrow({ where: { connectionId: connection.id } });
    expect(task).toMatchObject({ status: "ACTIVE", consecutiveFailures: 0, failureCategory: null, coolOffUntil: null });
    expect(task.nextRunAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(task.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await api.tasks.attention()).connections.map((c) => c.platform)).not.toContain("WIX");
    // The connection's last check is the reconnection itself, not the old token's failed check.
    const wix = (await api.platform.connections()).find((c) => c.platform === "WIX")!;
    expect(wix).toMatchObject({ status: "CONNECTED", needsReconnect: false, latestTokenCheck: null });
    expect(wix.lastCheckedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("adds websites with their analysis task (validated, idempotent) and removes them", async () => {
    const api = await caller();
    const added = await api.platform.addWebsite({ url: "www.shop.example/path#top", role: "OWN" });
    expect(added).toMatchObject({ url: "https://www.shop.example/path", created: true, task: { action: "created" } });
    expect((await api.platform.addWebsite({ url: "https://www.shop.example/path", role: "OWN" })).created).toBe(false);
    await Promise.all(
      Array.from({ length: 5 }, () => api.platform.addWebsite({ url: "https://rival.example/", role: "COMPETITOR" })),
    );
    expect(await t.db.website.count({ where: { userId } })).toBe(2);
    expect(await t.db.task.count({ where: { userId, type: "WEBSITE_ANALYSIS" } })).toBe(2);
    expect((await api.platform.websites()).map((w) => [w.url, w.role])).toEqual([
      ["https://www.shop.example/path", "OWN"],
      ["https://rival.example/", "COMPETITOR"],
    ]);
    for (const url of ["", "not a url", "ftp://files.example/", "javascript:alert(1)"]) {
      expect(await code(api.platform.addWebsite({ url, role: "OWN" })), url).toBe("BAD_REQUEST");
    }
    const other = await caller((await createTestUser(t.db)).id);
    expect(await code(other.platform.removeWebsite({ websiteId: added.websiteId }))).toBe("NOT_FOUND");
    expect(await api.platform.removeWebsite({ websiteId: added.websiteId })).toMatchObject({ endedTasks: 1 });
    expect(
      await t.db.task.findFirstOrThrow({ where: { userId, websiteUrl: "https://www.shop.example/path" } }),
    ).toMatchObject({ status: "ENDED", websiteId: null, endedReason: "https://www.shop.example/path was removed" });
    expect((await api.dashboard.jobs({})).items.map((j) => j.target)).toEqual(["https://rival.example/"]);
    expect((await api.platform.websiteAnalysisStatus()).own).toEqual([]);
    // Adding it again revives the same task, history and all.
    const readded = await api.platform.addWebsite({ url: "https://www.shop.example/path", role: "OWN" });
    expect(readded.task.action).toBe("reactivated");
    expect(await t.db.task.findUniqueOrThrow({ where: { id: readded.task.id } })).toMatchObject({
      status: "ACTIVE",
      endedAt: null,
      endedReason: null,
    });
  });

  it("reconcile creates what is missing and reports it; reads never create tasks", async () => {
    await oauthConnect("GSC");
    const api = await caller();
    await api.platform.addWebsite({ url: "https://mine.example/", role: "OWN" });
    await t.db.task.deleteMany({ where: { userId, type: "GSC_INSIGHTS" } });
    const before = await t.db.task.count({ where: { userId } });
    await api.platform.connections();
    await api.platform.websites();
    await api.tasks.list();
    expect(await t.db.task.count({ where: { userId } })).toBe(before); // the original's GET-with-side-effects bug, not here
    const report = await api.platform.reconcile();
    expect(report).toMatchObject({
      created: 1,
      reactivated: 0,
      unchanged: 2,
      changes: [{ type: "GSC_INSIGHTS", target: "GSC", action: "created" }],
    });
    expect((await api.platform.reconcile()).created).toBe(0);
  });

  it("shows each connection's latest token check and search snapshot, and the user's alerts, which they can dismiss", async () => {
    await oauthConnect("GSC");
    const connection = await t.db.platformConnection.findFirstOrThrow({ where: { userId } });
    const task = await t.db.task.findFirstOrThrow({ where: { userId, type: "OAUTH_TOKEN_MONITORING" } });
    await t.db.executionLog.create({
      data: {
        taskId: task.id,
        userId,
        taskType: "OAUTH_TOKEN_MONITORING",
        status: "SUCCESS",
        result: { outcome: "refreshed" },
        finishedAt: new Date(),
      },
    });
    await t.db.insightSnapshot.create({
      data: {
        userId,
        platform: "GSC",
        siteUrl: "https://a.example/",
        startDate: new Date(),
        endDate: new Date(),
        clicks: 10,
        impressions: 100,
        ctr: 0.1,
        position: 4.2,
        topQueries: [{ key: "mugs" }],
        topPages: [],
      },
    });
    const alert = await t.db.alert.create({
      data: { userId, connectionId: connection.id, kind: "RECONNECT_REQUIRED", title: "Reconnect GSC", message: "…" },
    });
    const api = await caller();
    const [listed] = await api.platform.connections();
    expect(listed).toMatchObject({
      latestTokenCheck: { outcome: "refreshed" },
      latestSnapshot: { clicks: 10, topQuery: "mugs" },
    });
    expect((await api.platform.alerts()).map((a) => a.id)).toEqual([alert.id]);
    const other = await caller((await createTestUser(t.db)).id);
    expect(await code(other.platform.dismissAlert({ alertId: alert.id }))).toBe("NOT_FOUND");
    await api.platform.dismissAlert({ alertId: alert.id });
    expect(await api.platform.alerts()).toEqual([]);
  });

  it("lists which platforms can be connected here", async () => {
    expect(await (await caller()).platform.available()).toEqual([
      { platform: "GSC", available: true, localProvider: true },
      { platform: "BING", available: true, localProvider: true },
      { platform: "WORDPRESS", available: true, localProvider: true },
      { platform: "WIX", available: true, localProvider: true },
    ]);
    const real = integrationSettings(
      integrationsEnvSchema.parse({ GSC_CLIENT_ID: "id", GSC_CLIENT_SECRET: "secret" }),
      null,
    );
    expect(real.endpoints.google.searchConsoleBaseUrl).toBe("https://searchconsole.googleapis.com");
    expect(Object.keys(real.credentials)).toEqual(["GSC"]);
    expect(() => startAuthorization(real, userId, "BING", REDIRECT, SECRET)).toThrow(ConflictError);
    expect(startAuthorization(real, userId, "GSC", REDIRECT, SECRET).url).toMatch(
      /^https:\/\/accounts\.google\.com\/o\/oauth2\/v2\/auth\?client_id=id&/,
    );
  });
});
