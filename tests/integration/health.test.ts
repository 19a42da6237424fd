import { describe, expect, it } from "vitest";
import { createDb } from "@/server/db";
import { parseEnv } from "@/server/env";
import { healthResponse } from "@/server/services/system";
import { createTestDatabase } from "../helpers/db";

const env = parseEnv({ AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") });

describe("/api/health", () => {
  it("answers 200 with each check while the database is up", async () => {
    const t = await createTestDatabase("sqlite");
    try {
      const response = await healthResponse(t.db, env, null);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "degraded", checks: { database: { status: "ok" }, scheduler: { status: "degraded" } } });
    } finally {
      await t.drop();
    }
  });

  it("answers 503 when the database cannot be reached", async () => {
    const unreachable = createDb("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2");
    try {
      const response = await healthResponse(unreachable, env, null);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: "down", checks: { database: { status: "down" } } });
    } finally {
      await unreachable.$disconnect();
    }
  });
});
