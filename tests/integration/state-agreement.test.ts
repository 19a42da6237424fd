/**
 * The pages of the seeded demo agree about the same facts, because each fact is computed once in a
 * service and every procedure that shows it reads that: what needs attention is one number on the
 * overview, Intervention and Platforms; an expired connection needs its user; Connections and
 * Platforms give a connection the same state and the same "last checked"; a platform's page speaks
 * of that platform only. (e2e/agreement.spec.ts checks the same on the pages themselves.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyringFrom } from "@/server/crypto";
import { seedDemoData } from "@/demo/seed";
import { callerFor, createTestDatabase, testEngines, type TestDatabase } from "../helpers/db";

const options = {
  keyring: keyringFrom(Buffer.alloc(32, 7).toString("base64")),
  admin: { email: "admin@example.com", password: "admin-password" },
  demo: { email: "demo@example.com", password: "demo-password" },
  viewer: { email: "viewer@example.com", password: "viewer-password" },
};

describe.each(testEngines())("the seeded demo's pages agree on %s", (engine) => {
  let t: TestDatabase;
  const ids: Record<"admin" | "demo" | "viewer", string> = { admin: "", demo: "", viewer: "" };
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    await seedDemoData(t.db, options);
    for (const role of ["admin", "demo", "viewer"] as const)
      ids[role] = (await t.db.user.findUniqueOrThrow({ where: { email: options[role].email } })).id;
  });
  afterAll(async () => {
    await t.drop();
  });

  it.each(["demo", "viewer"] as const)(
    "for the %s, what needs attention is one number on the overview, Intervention and Platforms",
    async (role) => {
      const api = await callerFor(t, ids[role]);
      const [overview, attention, summary, health] = await Promise.all([
        api.dashboard.overview({ days: 7 }),
        api.tasks.attention(),
        api.platform.monitoringSummary(),
        api.platform.health(),
      ]);
      expect(attention.count).toBe(attention.connections.length + attention.tasks.length);
      expect({
        overview: overview.needsAttention,
        intervention: attention.count,
        platforms: summary.needsAttention,
      }).toEqual({ overview: attention.count, intervention: attention.count, platforms: attention.count });
      expect(overview.attention).toEqual({
        total: attention.count,
        connections: attention.connections.length,
        tasks: attention.tasks.length,
      });
      if (attention.count > 0) expect(health.status).toBe("degraded");
    },
  );

  it("a platform's health and its score agree: an expired connection is not a score of 100, a platform whose tasks are all paused is not healthy", async () => {
    const api = await callerFor(t, ids.demo);
    const wordpress = await api.platform.health({ platform: "WORDPRESS" });
    expect(wordpress.status).toBe("degraded");
    expect(wordpress.healthScore).toBeLessThan(100);
    const wix = await api.platform.health({ platform: "WIX" });
    const wixSummary = await api.platform.monitoringSummary({ platform: "WIX" });
    if (wixSummary.totalTasks > 0 && wixSummary.active === 0) {
      expect(wix.status).toBe("degraded");
      expect(wix.reasons.join(" ")).toMatch(/paused/);
    }
  });

  it("the admin's all-time and session run counts add up: executed = succeeded + failed + the rest", async () => {
    const overview = await (await callerFor(t, ids.admin)).dashboard.overview({ days: 7 });
    const { allTime } = overview.runs;
    expect(allTime.executed).toBeGreaterThanOrEqual(allTime.succeeded + allTime.failed);
  });

  it("the demo user's expired WordPress needs them: listed first on Intervention, with its task folded in, and shown alike everywhere", async () => {
    const api = await callerFor(t, ids.demo);
    const attention = await api.tasks.attention();
    expect(attention.connections).toMatchObject([
      { kind: "reconnect", platform: "WORDPRESS", status: "EXPIRED", canReconnect: true },
    ]);
    expect(attention.connections[0]!.tasks.map((x) => x.type)).toEqual(["OAUTH_TOKEN_MONITORING"]);
    // Its failing token check is the reconnect's, not a second item.
    expect(attention.tasks.filter((x) => x.platform === "WORDPRESS")).toEqual([]);
    expect(attention.tasks.map((x) => x.type).sort()).toEqual(["BING_INSIGHTS", "WEBSITE_ANALYSIS"]);

    const [connections, tokens] = await Promise.all([api.platform.connections(), api.platform.oauthTokenStatus()]);
    for (const c of connections) {
      const token = tokens.find((x) => x.platform === c.platform)!;
      expect({
        platform: c.platform,
        status: token.connection?.status,
        lastCheckedAt: token.connection?.lastCheckedAt,
        needsReconnect: token.connection?.needsReconnect,
      }).toEqual({
        platform: c.platform,
        status: c.status,
        lastCheckedAt: c.lastCheckedAt,
        needsReconnect: c.needsReconnect,
      });
      // "Last checked" is the last token check's finish.
      if (c.latestTokenCheck) expect(c.lastCheckedAt).toEqual(c.latestTokenCheck.at);
    }
    expect(connections.find((c) => c.platform === "WORDPRESS")).toMatchObject({
      status: "EXPIRED",
      needsReconnect: true,
    });

    // Each platform's page speaks of that platform only; WordPress's counts its reconnect.
    expect(await api.platform.health({ platform: "BING" })).toMatchObject({
      reasons: expect.not.arrayContaining([expect.stringContaining("WordPress")]),
    });
    expect((await api.platform.health({ platform: "WORDPRESS" })).reasons).toContain("WordPress: expired");
    expect((await api.platform.monitoringSummary({ platform: "WORDPRESS" })).needsAttention).toBe(1);
  });

  it("for an admin, the overview and Intervention count every user's, and agree", async () => {
    const api = await callerFor(t, ids.admin);
    const [overview, attention] = await Promise.all([api.dashboard.overview({ days: 7 }), api.tasks.attention()]);
    expect(overview.needsAttention).toBe(attention.count);
    expect(attention.connections.map((c) => c.ownerEmail)).toEqual([options.demo.email]); // the demo user's WordPress
  });

  it("an admin's Platforms pages are about the admin's own platforms, throughout", async () => {
    const api = await callerFor(t, ids.admin);
    const [summary, insights, sites, tokens, bing] = await Promise.all([
      api.platform.monitoringSummary(),
      api.platform.insightsStatus(),
      api.platform.websiteAnalysisStatus(),
      api.platform.oauthTokenStatus(),
      api.platform.health({ platform: "BING" }),
    ]);
    const own = await t.db.task.count({
      where: { userId: ids.admin, type: { not: "SYSTEM_RETENTION" }, status: { not: "ENDED" } },
    });
    expect(summary.totalTasks).toBe(own);
    expect([...insights, ...sites.own, ...sites.competitors].every((x) => x.userId === ids.admin)).toBe(true);
    expect(
      tokens
        .filter((x) => x.connected)
        .map((x) => x.platform)
        .sort(),
    ).toEqual(["GSC", "WIX"]);
    // The admin has no Bing connection: its page says so, with nobody else's Bing tasks in it.
    expect(bing).toMatchObject({ status: "not_configured", healthScore: null });
    expect((await api.platform.monitoringSummary({ platform: "BING" })).totalTasks).toBe(0);
    // ...while the overview and Intervention speak of every user, and say so.
    const overview = await api.dashboard.overview({ days: 7 });
    expect(overview.system).not.toBeNull();
    expect(overview.needsAttention).toBeGreaterThan(summary.needsAttention);
  });

  it("every seeded successful insights and analysis run shows its result on Platforms", async () => {
    const api = await callerFor(t, ids.demo);
    const [insights, sites] = await Promise.all([api.platform.insightsStatus(), api.platform.websiteAnalysisStatus()]);
    for (const task of insights.filter((x) => x.lastSuccessAt)) {
      expect(task.latestSnapshot, `${task.platform} insights`).not.toBeNull();
      expect(task.trend.length).toBeGreaterThan(1);
    }
    for (const site of [...sites.own, ...sites.competitors]) {
      if (site.lastOutcome === "SUCCESS")
        expect(site.latestAnalysis).toMatchObject({ error: null, seoScore: expect.any(Number) });
      else expect(site.lastGoodAnalysis, `${site.websiteUrl}: where it stood before it failed`).not.toBeNull();
    }
  });
});
