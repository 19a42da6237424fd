/**
 * After a full demo run (the seeded users, every task run for real against the local provider:
 * token checks and refreshes, insights, website analyses, the expired WordPress connection failing),
 * no OAuth token appears anywhere it could leak: execution logs and their results, scheduler events,
 * alerts, audit entries, snapshots, analyses, server logs, or any answer of the API.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalProvider, type LocalProvider } from "../../dev/provider/server";
import { appRouter } from "@/server/api/root";
import { decryptToken, keyringFrom } from "@/server/crypto";
import { integrationSettings } from "@/server/integrations/config";
import { integrationsEnvSchema } from "@/server/config/integrations";
import { SchedulerEngine } from "@/server/scheduler/engine";
import { createExecutorRegistry } from "@/server/scheduler/registry";
import { seedDemoData } from "@/demo/seed";
import { callerFor, createTestDatabase, testEngines, type TestDatabase } from "../helpers/db";

const keyring = keyringFrom(Buffer.alloc(32, 4).toString("base64"));
const PROVIDER_TOKEN = /lp_[A-Za-z0-9_-]{20,}/;

describe.each(testEngines())("no token leaks after a full demo run on %s", (engine) => {
  let t: TestDatabase;
  let provider: LocalProvider;
  const logged: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    provider = await startLocalProvider({ anySite: true });
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      });
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await provider.close();
    await t.drop();
  });

  it("runs every demo task, then finds no token in any log, event, result, alert, audit entry, server log or API answer", async () => {
    await seedDemoData(t.db, {
      keyring,
      admin: { email: "admin@example.com", password: "admin-password" },
      demo: { email: "demo@example.com", password: "demo-password" },
      viewer: { email: "viewer@example.com", password: "viewer-password" },
      sampleSitesOrigin: provider.url,
    });
    // Everything due now, including the cooled-off tasks' probes; failed tasks retried, as by their Retry button.
    await t.db.task.updateMany({
      where: { status: { not: "PAUSED" } },
      data: { nextRunAt: new Date(Date.now() - 1000) },
    });
    await t.db.task.updateMany({ where: { status: "FAILED" }, data: { pendingTrigger: "RETRY" } });
    const settings = integrationSettings(integrationsEnvSchema.parse({}), provider.url);
    const registry = createExecutorRegistry({
      db: t.db,
      keyring,
      ...settings,
      eventRetentionDays: 90,
      logRetentionDays: 90,
    });
    const e = new SchedulerEngine({
      db: t.db,
      engine,
      registry,
      config: { maxAttempts: 1, timeoutMs: 15_000, concurrency: 50, typeConcurrency: {} },
    });
    const due = await t.db.task.count({ where: { status: { not: "PAUSED" } } });
    let ran = 0;
    for (let cycle = 0; cycle < 5; cycle++) {
      const summary = await e.runCycle();
      if (!summary) break;
      ran += summary.executed;
    }
    expect(ran).toBe(due);
    const outcomes = await t.db.executionLog.groupBy({
      by: ["status"],
      where: { startedAt: { gte: new Date(Date.now() - 600_000) } },
      _count: { _all: true },
    });
    expect(outcomes.find((o) => o.status === "SUCCESS")?._count._all).toBeGreaterThan(5);
    expect(outcomes.find((o) => o.status === "FAILED")?._count._all).toBeGreaterThanOrEqual(1); // the expired WordPress token

    // Every API answer a signed-in user or admin can read.
    const answers: unknown[] = [];
    for (const email of ["demo@example.com", "admin@example.com"]) {
      const user = await t.db.user.findUniqueOrThrow({ where: { email } });
      const caller = await callerFor(t, user.id);
      for (const [path, procedure] of Object.entries(appRouter._def.procedures)) {
        if ((procedure as unknown as { _def: { type: string } })._def.type !== "query") continue;
        const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
          i?: unknown,
        ) => Promise<unknown>;
        answers.push(await fn(undefined).catch((error: unknown) => String(error)));
      }
    }

    const connections = await t.db.platformConnection.findMany();
    const tokens = connections
      .flatMap((c) => [c.accessTokenEnc, c.refreshTokenEnc])
      .filter((x): x is string => Boolean(x));
    for (const stored of tokens) expect(stored).toMatch(/^v1:/); // encrypted at rest, current or refreshed
    const plain = tokens.map((x) => decryptToken(x, keyring));
    expect(plain.length).toBeGreaterThanOrEqual(8);

    const places: Record<string, string> = {
      "execution logs": JSON.stringify(await t.db.executionLog.findMany()),
      "scheduler events": JSON.stringify(await t.db.schedulerEvent.findMany()),
      alerts: JSON.stringify(await t.db.alert.findMany()),
      "audit entries": JSON.stringify(await t.db.auditLog.findMany()),
      "insight snapshots": JSON.stringify(await t.db.insightSnapshot.findMany()),
      "website analyses": JSON.stringify(await t.db.websiteAnalysis.findMany()),
      "server logs": logged.join("\n"),
      "API answers": JSON.stringify(answers, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    };
    for (const [place, text] of Object.entries(places)) {
      // The scan must have something to read where the run writes (alerts, audit entries and server logs may be empty).
      if (!["alerts", "audit entries", "server logs"].includes(place))
        expect({ place, text: text.length > 2 }).toEqual({ place, text: true });
      for (const token of plain) expect({ place, leaks: text.includes(token) }).toEqual({ place, leaks: false });
      expect({ place, providerToken: PROVIDER_TOKEN.exec(text)?.[0] ?? null }).toEqual({ place, providerToken: null });
    }
  }, 120_000);
});
