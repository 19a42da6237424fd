/**
 * Next.js bundles `src/server/db.ts` more than once in a production build (instrumentation, route
 * handlers, pages). A PostgreSQL client made in one copy must still be known as PostgreSQL in the
 * others: the search chose SQLite's FTS5 syntax on PostgreSQL when the registry was per copy.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

describe("the client registry across copies of the db module", () => {
  afterEach(() => vi.resetModules());

  it("knows a PostgreSQL client's engine and URL in another copy of the module", async () => {
    const first = await import("@/server/db");
    const url = "postgresql://postgres@127.0.0.1:1/never_connected";
    const db = first.createDb(url); // the pool connects lazily: nothing is opened here
    vi.resetModules();
    const second = await import("@/server/db");
    expect(second).not.toBe(first);
    expect(second.engineOfDb(db)).toBe("postgres");
    expect(second.databaseUrlOf(db)).toBe(url);
    await db.$disconnect();
  });
});
