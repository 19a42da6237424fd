import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl } from "@/server/config/env";
import { OUTCOME_LABELS, STATUS_LABELS } from "@/lib/labels";
import { TASK_KINDS } from "@/lib/task-kinds";
import { PLATFORM_NAMES } from "@/lib/validation/platform";

/**
 * Applies prisma/migrations/<engine>/NNNN_name/migration.sql in order, each once, each in its own
 * transaction, recorded in _app_migrations with a checksum so an edited migration is refused.
 * (`prisma migrate deploy` cannot read PostgreSQL offline here; one runner serves both engines.)
 */

export interface MigrationResult {
  engine: "sqlite" | "postgres";
  applied: string[];
  alreadyApplied: number;
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function defaultMigrationsDir(): string {
  return resolve(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");
}

function loadMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`migrations directory not found: ${dir}`);
  return readdirSync(dir)
    .filter((name) => /^\d{4}_/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkUnchanged(migration: Migration, storedChecksum: string) {
  if (storedChecksum !== migration.checksum) {
    throw new Error(`migration ${migration.name} was changed after it was applied; write a new migration instead`);
  }
}

/** The file path of a SQLite `file:` URL, relative paths resolved from the working directory. */
export function sqliteFilePath(url: string): string {
  const path = url.replace(/^file:/, "").split("?")[0] ?? "";
  return path === ":memory:" ? path : resolve(/*turbopackIgnore: true*/ process.cwd(), path);
}

export async function migrateDatabase(url: string, migrationsRoot = defaultMigrationsDir()): Promise<MigrationResult> {
  return isPostgresUrl(url)
    ? migratePostgres(url, join(migrationsRoot, "postgres"))
    : migrateSqlite(url, join(migrationsRoot, "sqlite"));
}

function migrateSqlite(url: string, dir: string): MigrationResult {
  const migrations = loadMigrations(dir);
  const file = sqliteFilePath(url);
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  try {
    // WAL lets the web server read while the engine writes; the setting is kept in the file.
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_app_migrations" (
      "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`);
    const applied = new Map(
      db
        .prepare(`SELECT "name", "checksum" FROM "_app_migrations"`)
        .all()
        .map((r) => {
          const row = r as { name: string; checksum: string };
          return [row.name, row.checksum] as const;
        }),
    );
    const result: MigrationResult = { engine: "sqlite", applied: [], alreadyApplied: 0 };
    for (const migration of migrations) {
      const stored = applied.get(migration.name);
      if (stored !== undefined) {
        checkUnchanged(migration, stored);
        result.alreadyApplied++;
        continue;
      }
      // IMMEDIATE takes the write lock first, so two processes starting together apply it once.
      db.transaction(() => {
        const again = db.prepare(`SELECT 1 FROM "_app_migrations" WHERE "name" = ?`).get(migration.name);
        if (again) return;
        db.exec(migration.sql);
        db.prepare(`INSERT INTO "_app_migrations" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)`).run(
          migration.name,
          migration.checksum,
          new Date().toISOString(),
        );
        result.applied.push(migration.name);
      }).immediate();
    }
    syncSearchLabelsSqlite(db);
    return result;
  } finally {
    db.close();
  }
}

/**
 * The names people know codes by, from src/lib: task types ("Search Console insights"), platforms ("Bing
 * Webmaster"), job statuses and run outcomes ("Paused", "Timed out"); what the search text carries beside
 * the codes (migration 0017's "SearchLabel"). A code two lists share must have one name.
 */
export function searchLabels(): [key: string, label: string][] {
  const labels = new Map<string, string>();
  for (const [key, label] of [
    ...Object.entries(TASK_KINDS).map(([code, kind]): [string, string] => [code, kind.label]),
    ...Object.entries(PLATFORM_NAMES),
    ...Object.entries(STATUS_LABELS),
    ...Object.entries(OUTCOME_LABELS),
  ]) {
    const known = labels.get(key);
    if (known !== undefined && known !== label) throw new Error(`${key} is called both "${known}" and "${label}"`);
    labels.set(key, label);
  }
  return [...labels];
}

const sameLabels = (stored: Map<string, string>, wanted: [string, string][]) =>
  stored.size === wanted.length && wanted.every(([key, label]) => stored.get(key) === label);

/**
 * Puts `searchLabels()` into "SearchLabel" when it differs, and then rewrites every search text through the
 * triggers themselves (a no-op update of a column they watch), so the text has one definition.
 */
function syncSearchLabelsSqlite(db: Database.Database) {
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE "name" = 'SearchLabel'`).get()) return;
  db.transaction(() => {
    const rows = db.prepare(`SELECT "key", "label" FROM "SearchLabel"`).all() as { key: string; label: string }[];
    const wanted = searchLabels();
    if (sameLabels(new Map(rows.map((r) => [r.key, r.label])), wanted)) return;
    db.exec(`DELETE FROM "SearchLabel"`);
    const insert = db.prepare(`INSERT INTO "SearchLabel" ("key", "label") VALUES (?, ?)`);
    for (const [key, label] of wanted) insert.run(key, label);
    db.exec(`UPDATE "Task" SET "type" = "type"`);
    db.exec(`UPDATE "ExecutionLog" SET "errorMessage" = "errorMessage"`);
  }).immediate();
}

async function syncSearchLabelsPostgres(client: pg.Client) {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"SearchLabel"')::text AS "t"`);
  if (!exists.rows[0]?.t) return;
  await client.query("BEGIN");
  try {
    const { rows } = await client.query<{ key: string; label: string }>(
      `SELECT "key", "label" FROM "SearchLabel" FOR UPDATE`,
    );
    const wanted = searchLabels();
    if (!sameLabels(new Map(rows.map((r) => [r.key, r.label])), wanted)) {
      await client.query(`DELETE FROM "SearchLabel"`);
      for (const [key, label] of wanted)
        await client.query(`INSERT INTO "SearchLabel" ("key", "label") VALUES ($1, $2)`, [key, label]);
      await client.query(`UPDATE "Task" SET "type" = "type"`);
      await client.query(`UPDATE "ExecutionLog" SET "errorMessage" = "errorMessage"`);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** Creates the database named in the URL when it does not exist yet (a convenience for new set-ups). */
async function ensurePostgresDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ""));
  if (!name) return;
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error; // 3D000: database does not exist
  } finally {
    await probe.end().catch(() => undefined);
  }
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== "42P04") throw error; // created meanwhile by another process
  } finally {
    await admin.end();
  }
}

async function migratePostgres(url: string, dir: string): Promise<MigrationResult> {
  const migrations = loadMigrations(dir);
  await ensurePostgresDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time across every web instance and worker that starts together.
    await client.query("SELECT pg_advisory_lock(724830001)");
    await client.query(`CREATE TABLE IF NOT EXISTS "_app_migrations" (
      "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      `SELECT "name", "checksum" FROM "_app_migrations"`,
    );
    const applied = new Map(rows.map((r) => [r.name, r.checksum] as const));
    const result: MigrationResult = { engine: "postgres", applied: [], alreadyApplied: 0 };
    for (const migration of migrations) {
      const stored = applied.get(migration.name);
      if (stored !== undefined) {
        checkUnchanged(migration, stored);
        result.alreadyApplied++;
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "_app_migrations" ("name", "checksum") VALUES ($1, $2)`, [
          migration.name,
          migration.checksum,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
      result.applied.push(migration.name);
    }
    await syncSearchLabelsPostgres(client);
    await client.query("SELECT pg_advisory_unlock(724830001)");
    return result;
  } finally {
    await client.end();
  }
}
