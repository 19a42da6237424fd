import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db, type DbEngine } from "@/server/db";
import { migrateDatabase } from "@/server/migrate";
import { createCaller } from "@/server/api/root";
import { createInnerContext } from "@/server/api/trpc";
import { hashPassword } from "@/server/services/users";
import type { Role } from "@/generated/sqlite/enums";
import type { SchedulerEngine } from "@/server/scheduler/engine";

/**
 * Real databases for tests: a fresh SQLite file per suite, and a fresh PostgreSQL database per suite
 * when TEST_POSTGRES_URL names a server (scripts/test.mjs sets it, or starts a throwaway cluster).
 */
export function testEngines(): DbEngine[] {
  return process.env.TEST_POSTGRES_URL ? ["sqlite", "postgres"] : ["sqlite"];
}

export interface TestDatabase {
  engine: DbEngine;
  url: string;
  db: Db;
  drop: () => Promise<void>;
}

export async function createTestDatabase(engine: DbEngine): Promise<TestDatabase> {
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "sd-test-"));
    const url = `file:${join(dir, "test.db")}`;
    await migrateDatabase(url);
    const db = createDb(url);
    return {
      engine,
      url,
      db,
      drop: async () => {
        await db.$disconnect();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = process.env.TEST_POSTGRES_URL;
  if (!server) throw new Error("TEST_POSTGRES_URL is not set");
  const name = `sd_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString()); // creates the database, then migrates it
  const db = createDb(url.toString());
  return {
    engine,
    url: url.toString(),
    db,
    drop: async () => {
      await db.$disconnect();
      const admin = new pg.Client({ connectionString: server });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

let passwordHash: Promise<string> | undefined;

export async function createTestUser(db: Db, role: Role = "USER", email?: string) {
  passwordHash ??= hashPassword("test-password");
  return db.user.create({
    data: {
      email: email ?? `${role.toLowerCase()}-${randomBytes(4).toString("hex")}@test.example`,
      name: `Test ${role}`,
      role,
      passwordHash: await passwordHash,
    },
  });
}

/** A tRPC caller as the given user (or signed out with null), through the real middleware. */
export async function callerFor(t: TestDatabase, userId: string | null, scheduler: SchedulerEngine | null = null) {
  return createCaller(await createInnerContext({ db: t.db, engine: t.engine, sessionUserId: userId, scheduler }));
}

/**
 * Makes a PostgreSQL database read-only for new sessions and ends the current ones, as an operator
 * (or a failover to a standby) would; the app's pool reconnects into read-only sessions.
 */
export async function setPostgresReadOnly(url: string, on: boolean) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  target.pathname = "/postgres"; // the database itself may refuse the ALTER once read-only
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = ${on ? "on" : "off"}`);
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [name],
    );
  } finally {
    await admin.end();
  }
}
