import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { database, type Db } from "@/server/db";
import { env as currentEnv, parseEnv } from "@/server/config/env";
import { metricsResponse, metricsScrapeAllowed } from "@/server/metrics";
import { healthResponse } from "@/server/services/system";
import { createTestDatabase, createTestUser, type TestDatabase } from "../helpers/db";

const TOKEN = "metrics-token-0123456789abcdef0123456789abcdef";
const env = parseEnv({ AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") });

const scrape = (headers: Record<string, string> = {}) => new Request("http://127.0.0.1/api/metrics", { headers });

describe("/api/metrics with METRICS_TOKEN", () => {
  let t: TestDatabase;
  let reads = 0;
  const db = (): Db => {
    reads += 1;
    return t.db;
  };
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(() => t.drop());

  it.each([
    ["no Authorization header", {}, 'Bearer realm="metrics"'],
    [
      "a wrong token",
      { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
      'Bearer realm="metrics", error="invalid_token"',
    ],
    ["a longer token", { authorization: `Bearer ${TOKEN}0` }, 'Bearer realm="metrics", error="invalid_token"'],
    [
      "the token under another scheme",
      { authorization: `Basic ${TOKEN}` },
      'Bearer realm="metrics", error="invalid_token"',
    ],
    ["an empty bearer", { authorization: "Bearer " }, 'Bearer realm="metrics", error="invalid_token"'],
  ])("401 with a Bearer challenge for %s, without reading the database", async (_name, headers, challenge) => {
    reads = 0;
    const response = await metricsResponse(scrape(headers), TOKEN, db);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(challenge);
    expect(await response.text()).not.toContain("api_request_duration_seconds");
    expect(reads).toBe(0);
  });

  it("answers the Prometheus text format to the right token (any case of the scheme)", async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer  ${TOKEN} `]) {
      const response = await metricsResponse(scrape({ authorization }), TOKEN, db);
      expect(response.status, authorization).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain("# TYPE api_request_duration_seconds histogram");
      expect(text).toContain("# TYPE scheduler_due_tasks gauge");
    }
  });

  it("is public, as before, when no token is set", async () => {
    const response = await metricsResponse(scrape(), undefined, db);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("scheduler_runs");
    expect(metricsScrapeAllowed(null, undefined)).toBe(true);
  });

  it("answers 503 (not an error page) when the database cannot be read", async () => {
    const broken = (): Db => {
      throw new Error("no database");
    };
    const response = await metricsResponse(scrape({ authorization: `Bearer ${TOKEN}` }), TOKEN, broken);
    expect(response.status).toBe(503);
  });

  it("the route takes the token from the validated environment (METRICS_TOKEN)", async () => {
    // The first env() of this process reads these (the route's database too).
    vi.stubEnv("METRICS_TOKEN", TOKEN);
    vi.stubEnv("DATABASE_URL", t.url);
    expect(currentEnv().METRICS_TOKEN).toBe(TOKEN);
    expect(currentEnv().DATABASE_URL).toBe(t.url);
    const { GET } = await import("@/app/api/metrics/route");
    const refused = await GET(scrape());
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    expect((await GET(scrape({ authorization: "Bearer wrong" }))).status).toBe(401);
    const served = await GET(scrape({ authorization: `Bearer ${TOKEN}` }));
    expect(served.status).toBe(200);
    expect(await served.text()).toContain("# HELP scheduler_runs");
    await database().db.$disconnect();
    vi.unstubAllEnvs();
  });

  it("/api/health stays public and names no user", async () => {
    const user = await createTestUser(t.db, "ADMIN", "someone-private@example.com");
    const body = await (await healthResponse(t.db, env, null)).text();
    expect(body).not.toContain(user.id);
    expect(body).not.toContain(user.email);
    expect(JSON.parse(body)).toMatchObject({ checks: { database: { status: "ok" } } });
  });
});

describe("the metrics as JSON (system.metrics, REST /metrics) once METRICS_TOKEN is set", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
  });
  afterAll(() => t.drop());

  const caller = async (userId: string | null, metricsPrivate: boolean) =>
    createCaller(await createInnerContext({ db: t.db, engine: t.engine, sessionUserId: userId, metricsPrivate }));

  it("are public without the token, and for admins only with it", async () => {
    const user = await createTestUser(t.db, "USER");
    const admin = await createTestUser(t.db, "ADMIN");
    await expect((await caller(null, false)).system.metrics()).resolves.toBeInstanceOf(Array);
    await expect((await caller(null, true)).system.metrics()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect((await caller(user.id, true)).system.metrics()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect((await caller(admin.id, true)).system.metrics()).resolves.toBeInstanceOf(Array);
  });
});
