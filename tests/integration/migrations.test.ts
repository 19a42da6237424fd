import { cpSync, mkdtempSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir, migrateDatabase } from "@/server/migrate";
import { createTestDatabase, testEngines, type TestDatabase } from "../helpers/db";

const TABLES = [
  "User",
  "Account",
  "PlatformConnection",
  "Website",
  "Task",
  "ExecutionLog",
  "SchedulerEvent",
  "CumulativeStats",
  "Worker",
  "InsightSnapshot",
  "WebsiteAnalysis",
  "AuditLog",
  "Alert",
  "SavedView",
];

describe.each(testEngines())("migrations on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine); // applies every migration
  });
  afterAll(async () => {
    await t.drop();
  });

  it("creates every table of the model", async () => {
    const rows =
      engine === "postgres"
        ? await t.db.$queryRaw<
            { name: string }[]
          >`SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'`
        : await t.db.$queryRaw<{ name: string }[]>`SELECT name FROM sqlite_master WHERE type = 'table'`;
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining([...TABLES, "_app_migrations"]));
  });

  it("is idempotent: a second run applies nothing", async () => {
    const again = await migrateDatabase(t.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThanOrEqual(1);
  });

  it("refuses a migration edited after it was applied", async () => {
    const copy = mkdtempSync(join(tmpdir(), "sd-migrations-"));
    cpSync(defaultMigrationsDir(), copy, { recursive: true });
    appendFileSync(join(copy, engine, "0001_init", "migration.sql"), "\n-- edited\n");
    await expect(migrateDatabase(t.url, copy)).rejects.toThrow(/was changed after it was applied/);
  });

  it("has an index for the claim query and the dashboard's log queries", async () => {
    const rows =
      engine === "postgres"
        ? await t.db.$queryRaw<
            { name: string }[]
          >`SELECT indexname::text AS name FROM pg_indexes WHERE schemaname = 'public'`
        : await t.db.$queryRaw<{ name: string }[]>`SELECT name FROM sqlite_master WHERE type = 'index'`;
    const names = rows.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Task_status_nextRunAt_idx",
        "ExecutionLog_userId_startedAt_idx",
        "ExecutionLog_taskId_startedAt_idx",
        "ExecutionLog_status_startedAt_idx",
      ]),
    );
  });
});
