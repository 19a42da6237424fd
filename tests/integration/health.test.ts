import { describe, expect, it } from "vitest";
import { createDb } from "@/server/db";
import { parseEnv } from "@/server/config/env";
import { healthResponse } from "@/server/services/system";
import {
  callerFor,
  createTestDatabase,
  createTestUser,
  setPostgresReadOnly as setReadOnly,
  testEngines,
} from "../helpers/db";

const env = parseEnv({ AUTH_SECRET: "x".repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") });

describe("/api/health", () => {
  it("answers 200 with each check while the database is up", async () => {
    const t = await createTestDatabase("sqlite");
    try {
      const response = await healthResponse(t.db, env, null);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: "degraded",
        checks: { database: { status: "ok" }, scheduler: { status: "degraded" } },
      });
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

  // A full disk or a read-only database still answers SELECT 1: the write probe must catch it.
  it.each(testEngines())(
    "answers 503 when the %s database accepts no writes, and 200 again when it does",
    async (engine) => {
      const t = await createTestDatabase(engine);
      try {
        expect((await healthResponse(t.db, env, null)).status).toBe(200);
        const user = await createTestUser(t.db);
        const task = await t.db.task.create({
          data: { userId: user.id, type: "GSC_INSIGHTS", dedupeKey: "ro", frequencyMinutes: 60, nextRunAt: new Date() },
        });
        if (engine === "sqlite") {
          await t.db.$queryRawUnsafe("PRAGMA query_only = 1"); // SQLite's read-only mode, on the one connection
        } else {
          await setReadOnly(t.url, true);
        }
        const response = await healthResponse(t.db, env, null);
        expect(response.status).toBe(503);
        const body = (await response.json()) as {
          status: string;
          checks: { database: { status: string; detail: string } };
        };
        expect(body.status).toBe("down");
        expect(body.checks.database.detail).toMatch(/^read-only: the database accepts no writes/);
        // A user's change is refused as "unavailable", not as an internal error, and nothing moves.
        const caller = await callerFor(t, user.id);
        await expect(caller.tasks.pause({ taskId: task.id })).rejects.toMatchObject({
          code: "SERVICE_UNAVAILABLE",
          message: expect.stringContaining("The database is read-only right now: nothing was changed"),
        });
        await expect(caller.tasks.manualTrigger({ taskId: task.id })).rejects.toMatchObject({
          code: "SERVICE_UNAVAILABLE",
        });

        if (engine === "sqlite") await t.db.$queryRawUnsafe("PRAGMA query_only = 0");
        else await setReadOnly(t.url, false);
        expect((await healthResponse(t.db, env, null)).status).toBe(200);
        expect(await t.db.healthProbe.count()).toBe(1); // one row per instance, overwritten
        expect(await t.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
          status: "ACTIVE",
          pendingTrigger: null,
        });
      } finally {
        await t.drop();
      }
    },
  );
});
