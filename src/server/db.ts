import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "@/generated/postgres/client";
import { withSafeCommit } from "./db-adapter";
import { env, isPostgresUrl } from "@/server/config/env";
import { sqliteFilePath } from "./migrate";

/**
 * One Prisma model, two engines. Both clients are generated from prisma/schema.prisma and have the
 * same model API; the SQLite client's type is the one the code is written against. The only
 * engine-specific code elsewhere is raw SQL (the claim statement) and the migration files.
 */
export type Db = PrismaClient;
export type DbEngine = "sqlite" | "postgres";

export interface Database {
  db: Db;
  engine: DbEngine;
}

export function engineOf(url: string): DbEngine {
  return isPostgresUrl(url) ? "postgres" : "sqlite";
}

/**
 * Interactive transactions wait up to 10 s for a connection (Prisma's 2 s default fails under a burst
 * of concurrent runs on a busy machine, which would leave a finished run unrecorded).
 */
const transactionOptions = { maxWait: 10_000, timeout: 30_000 };

/**
 * Each client's URL, kept on globalThis: Next.js bundles this module more than once (instrumentation,
 * route handlers, pages), and a client made in one bundle is used from the others.
 */
const urls: WeakMap<Db, string> = ((
  globalThis as unknown as { __schedulerDbUrls?: WeakMap<Db, string> }
).__schedulerDbUrls ??= new WeakMap<Db, string>());

/** The URL a client was made with (the live bus opens its own LISTEN connection to it). */
export function databaseUrlOf(db: Db): string | null {
  return urls.get(db) ?? null;
}

/** Which engine a client speaks (only PostgreSQL clients are registered with their URL). */
export function engineOfDb(db: Db): DbEngine {
  const url = databaseUrlOf(db);
  return url ? engineOf(url) : "sqlite";
}

export function createDb(url: string): Db {
  if (isPostgresUrl(url)) {
    const adapter = withSafeCommit(new PrismaPg({ connectionString: url, max: 10 }));
    // Same models, same generated API surface; the provider differs only inside the client.
    const db = new PostgresPrismaClient({ adapter, transactionOptions }) as unknown as Db;
    urls.set(db, url);
    return db;
  }
  const file = sqliteFilePath(url);
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  // timeout: wait for SQLite's write lock instead of failing with SQLITE_BUSY at once.
  const adapter = withSafeCommit(new PrismaBetterSQLite3({ url: file, timeout: 10_000 }));
  return new PrismaClient({ adapter, transactionOptions });
}

const globalForDb = globalThis as unknown as { __schedulerDb?: Database };

/** The process-wide client for DATABASE_URL, kept across Next.js hot reloads. */
export function database(): Database {
  if (!globalForDb.__schedulerDb) {
    const url = env().DATABASE_URL;
    globalForDb.__schedulerDb = { db: createDb(url), engine: engineOf(url) };
  }
  return globalForDb.__schedulerDb;
}

export const getDb = (): Db => database().db;
