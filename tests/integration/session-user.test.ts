/**
 * The user every API request re-reads (`findSessionUser`, one raw statement): the same fields as
 * Prisma reads, a role change seen at once, a deleted account gone, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSessionUser } from "@/server/services/users";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

describe.each(testEngines())("the session's user on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("reads what Prisma reads, sees a role change and a deleted account", async () => {
    const user = await createTestUser(t.db, "VIEWER");
    await t.db.user.update({ where: { id: user.id }, data: { name: "Ada Lovelace" } });
    const select = { id: true, email: true, name: true, role: true } as const;
    expect(await findSessionUser(t.db, user.id)).toEqual(
      await t.db.user.findUnique({ where: { id: user.id }, select }),
    );
    expect(await findSessionUser(t.db, user.id)).toMatchObject({ role: "VIEWER", name: "Ada Lovelace" });
    await t.db.user.update({ where: { id: user.id }, data: { role: "ADMIN", name: null } });
    expect(await findSessionUser(t.db, user.id)).toMatchObject({ role: "ADMIN", name: null });
    await t.db.user.delete({ where: { id: user.id } });
    expect(await findSessionUser(t.db, user.id)).toBeNull();
    expect(await findSessionUser(t.db, "nobody")).toBeNull();
  });
});
