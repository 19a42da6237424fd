import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/**
 * Prisma 6.19 sends an interactive transaction's COMMIT as a statement and only then tells the
 * adapter the transaction is over. When that COMMIT fails (a full disk: SQLite keeps the
 * transaction open; a dropped PostgreSQL connection), the adapter is never told: the SQLite
 * adapter keeps its transaction lock, so every later transaction waits forever, and the pg adapter
 * never returns its connection to the pool. This wrapper rolls back after a failed COMMIT and
 * closes the transaction itself (once: a later commit or rollback call is ignored), so the error
 * reaches the caller and the next transaction works. tests/chaos/disk-full.test.ts found it.
 */
function guardTransaction(tx: Transaction): Transaction {
  let closed = false;
  const closeWith = (close: () => Promise<void>) => async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  const commit = closeWith(() => tx.commit());
  const rollback = closeWith(() => tx.rollback());
  const executeRaw = async (query: SqlQuery) => {
    try {
      return await tx.executeRaw(query);
    } catch (error) {
      if (/^\s*COMMIT\s*;?\s*$/i.test(query.sql)) {
        await tx.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
        await rollback().catch(() => undefined);
      }
      throw error;
    }
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === "commit") return commit;
      if (property === "rollback") return rollback;
      if (property === "executeRaw") return executeRaw;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function guardAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property) {
      if (property === "startTransaction")
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) =>
          guardTransaction(await target.startTransaction(...args));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The adapter factory with failed COMMITs closed properly (see above). */
export function withSafeCommit(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => guardAdapter(await factory.connect()),
  };
}
