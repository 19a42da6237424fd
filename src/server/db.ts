import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import BetterSqlite3 from "better-sqlite3";
import { LRUCache } from "lru-cache";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
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

/** Each PostgreSQL client's connection pool (the one its adapter uses), for the engine's hot path. */
const pools: WeakMap<Db, pg.Pool> = ((
  globalThis as unknown as { __schedulerDbPools?: WeakMap<Db, pg.Pool> }
).__schedulerDbPools ??= new WeakMap<Db, pg.Pool>());

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
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection that breaks (a restart, a dropped database) is replaced on the next use.
    pool.on("error", () => undefined);
    const adapter = withSafeCommit(new PrismaPg(pool, { disposeExternalPool: true }));
    // Same models, same generated API surface; the provider differs only inside the client.
    const client = new PostgresPrismaClient({ adapter, transactionOptions }) as unknown as Db;
    const reads = runnerOn(pool);
    // A raw statement outside a transaction goes straight to the pool, as the engine's hot path does:
    // Prisma's raw path costs 0.25–0.64 ms of CPU per statement where the pool costs 0.19, and the
    // pages' reads are raw statements. A transaction's client is made by Prisma from the client itself,
    // not from this view, so its statements stay on the transaction's connection.
    const db = withRawReads(client, { $queryRawUnsafe: reads.$queryRawUnsafe });
    urls.set(db, url);
    pools.set(db, pool);
    return db;
  }
  const file = sqliteFilePath(url);
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  // timeout: wait for SQLite's write lock instead of failing with SQLITE_BUSY at once.
  const adapter = withSafeCommit(new PrismaBetterSQLite3({ url: file, timeout: 10_000 }));
  const client = new PrismaClient({ adapter, transactionOptions });
  if (file === ":memory:") return client; // a second connection would open another, empty database
  const reads = sqliteReader(file, (query, values) => client.$queryRawUnsafe(query, ...values));
  // As on PostgreSQL: a raw read outside a transaction skips Prisma's raw path (its query compiler and a
  // statement prepared anew each time) for a read-only connection with prepared statements kept; a
  // statement that writes, and everything in a transaction, stays Prisma's.
  return withRawReads(client, {
    $queryRawUnsafe: reads.query,
    $disconnect: () => (reads.close(), client.$disconnect()),
  });
}

/**
 * The client as the app sees it: `overrides` in place of Prisma's own methods of those names, the rest
 * Prisma's, called on the client itself (so the transactions Prisma makes from it are its own).
 */
function withRawReads(
  client: Db,
  overrides: { $queryRawUnsafe: SqlRunner["$queryRawUnsafe"]; $disconnect?: () => Promise<void> },
): Db {
  return new Proxy(client, {
    get(target, property) {
      if (typeof property === "string" && property in overrides) return overrides[property as keyof typeof overrides];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Raw reads on a read-only connection of their own (WAL: they see every committed write), statements
 * prepared once and kept; a statement that would write goes to `fallback` (Prisma's connection).
 * Values bind as Prisma's adapter binds them (booleans as 1 or 0); rows come back as SQLite holds
 * them, which is what the raw reads are written for (ISO text dates, 0/1 flags, numbers).
 */
function sqliteReader(file: string, fallback: (query: string, values: unknown[]) => Promise<unknown>) {
  let connection: BetterSqlite3.Database | null = null;
  const statements = new LRUCache<string, BetterSqlite3.Statement>({ max: 500 });
  async function query<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    // Opened on first use: the file may not exist until the migrations ran.
    connection ??= new BetterSqlite3(file, { readonly: true, timeout: 10_000 });
    let statement = statements.get(query);
    if (!statement) {
      statement = connection.prepare(query);
      statements.set(query, statement);
    }
    if (!statement.readonly || !statement.reader) return fallback(query, values) as Promise<T>;
    const bound = values.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v === undefined ? null : v));
    return statement.all(...bound) as T;
  }
  function close() {
    statements.clear();
    connection?.close();
    connection = null;
  }
  return { query, close };
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

/** What a raw statement needs of a client: Prisma's (a client or a transaction), or a connection of the pool. */
export interface SqlRunner {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** Raw statements, alone or in a transaction, the fastest way the engine has. */
export interface HotSql {
  runner: SqlRunner;
  transaction<T>(write: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/**
 * PostgreSQL's text for "timestamp without time zone" is UTC here (Prisma writes UTC), and BIGINTs
 * come back as bigint, as Prisma's raw queries return them.
 */
const utcTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === 1114) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === 20) return (text: string) => BigInt(text);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

function runnerOn(client: pg.Pool | pg.PoolClient): SqlRunner {
  return {
    async $queryRawUnsafe<T>(text: string, ...values: unknown[]) {
      return (await client.query({ text, values, types: utcTypes })).rows as T;
    },
    async $executeRawUnsafe(text: string, ...values: unknown[]) {
      return (await client.query({ text, values, types: utcTypes })).rowCount ?? 0;
    },
  };
}

/**
 * The engine's hot path (claim, RUNNING logs, recording finished runs): on PostgreSQL straight on the
 * client's pool, because Prisma's raw-query path costs 0.4–2 ms of CPU per statement (its query
 * compiler reads every argument, and a batch's argument is 100 KB of JSON) where the pool costs
 * 0.05–0.5; on SQLite (and a client without a pool) through Prisma. The SQL is the same either way.
 */
export function hotSql(db: Db): HotSql {
  const pool = pools.get(db);
  if (!pool) return { runner: db, transaction: (write) => db.$transaction((tx) => write(tx)) };
  return {
    runner: runnerOn(pool),
    async transaction(write) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await write(runnerOn(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackFailed: unknown) => {
          broken = rollbackFailed instanceof Error ? rollbackFailed : new Error(String(rollbackFailed));
        });
        throw error;
      } finally {
        client.release(broken); // a connection that cannot roll back is closed, not reused
      }
    },
  };
}
