import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptToken, encryptToken, keyId, keyringFrom } from "@/server/crypto";
import { connectPlatform } from "@/server/services/connections";
import { reencryptStaleTokens } from "@/server/services/token-rotation";
import { createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";

const key = () => randomBytes(32).toString("base64");

describe.each(testEngines())("token key rotation on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("re-encrypts every token written under an old key, after which the old key can be dropped", async () => {
    const [oldKey, newKey] = [key(), key()];
    const before = keyringFrom(oldKey);
    const users = await Promise.all([createTestUser(t.db), createTestUser(t.db), createTestUser(t.db)]);
    for (const [i, user] of users.entries()) {
      await connectPlatform(
        t.db,
        user.id,
        {
          platform: "GSC",
          accessToken: `access-${i}`,
          refreshToken: i === 2 ? undefined : `refresh-${i}`,
          expiresAt: null,
        },
        before,
      );
    }
    const rotated = keyringFrom(newKey, oldKey);
    // One connection was already refreshed under the new key: it must be left as it is.
    const fresh = await t.db.platformConnection.findFirstOrThrow({ where: { userId: users[0]!.id } });
    const freshAccess = encryptToken("access-0", rotated);
    await t.db.platformConnection.update({ where: { id: fresh.id }, data: { accessTokenEnc: freshAccess } });

    expect(await reencryptStaleTokens(t.db, rotated)).toBe(3); // user 0 still had its refresh token under the old key
    expect(await reencryptStaleTokens(t.db, rotated)).toBe(0); // nothing left

    const newOnly = keyringFrom(newKey); // the old key retired
    const rows = await t.db.platformConnection.findMany({ where: { userId: { in: users.map((u) => u.id) } } });
    for (const row of rows) {
      const i = users.findIndex((u) => u.id === row.userId);
      expect(row.accessTokenEnc!.startsWith(`v1:${keyId(Buffer.from(newKey, "base64"))}:`)).toBe(true);
      expect(decryptToken(row.accessTokenEnc!, newOnly)).toBe(`access-${i}`);
      if (i === 2) expect(row.refreshTokenEnc).toBeNull();
      else expect(decryptToken(row.refreshTokenEnc!, newOnly)).toBe(`refresh-${i}`);
    }
    expect(rows.find((r) => r.id === fresh.id)!.accessTokenEnc).toBe(freshAccess);
  });

  it("does nothing without old keys", async () => {
    expect(await reencryptStaleTokens(t.db, keyringFrom(key()))).toBe(0);
  });
});
