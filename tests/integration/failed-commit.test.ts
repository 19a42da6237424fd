import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestUser, type TestDatabase } from "../helpers/db";

/**
 * A transaction whose COMMIT fails must not take its connection with it (src/server/db-adapter.ts).
 * Here the server ends each transaction's session just before it commits, more times than the pool
 * has connections; without the guard every failure kept one connection checked out, and the pool
 * (10) ran dry. (The SQLite side, a COMMIT failing on a full disk, is tests/chaos/disk-full.test.ts.)
 */
describe.runIf(process.env.TEST_POSTGRES_URL)("a failed COMMIT on PostgreSQL", () => {
  let t: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.drop();
  });

  it("returns the error and frees the connection: 12 failed commits later, transactions still run", async () => {
    const user = await createTestUser(t.db);
    let failed = 0;
    for (let i = 0; i < 12; i++) {
      await t.db
        .$transaction(async (tx) => {
          await tx.user.update({ where: { id: user.id }, data: { name: `attempt ${i}` } });
          const [backend] = await tx.$queryRawUnsafe<{ pid: number }[]>("SELECT pg_backend_pid() AS pid");
          await admin.query("SELECT pg_terminate_backend($1)", [backend!.pid]);
        })
        .catch(() => failed++);
    }
    expect(failed).toBe(12);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Test USER"); // nothing committed
    const started = Date.now();
    await t.db.$transaction(
      async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { name: "after" } });
      },
      { maxWait: 5_000 },
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("after");
  });
});
