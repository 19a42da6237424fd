import { decryptToken, encryptToken, keyId, needsReencryption, type TokenKeyring } from "@/server/crypto";
import type { Db } from "@/server/db";

const BATCH = 200;

/**
 * After a key rotation: re-encrypts, under the current key, every stored token still written
 * under an old one, so the old key can be retired after one start. A token whose value changed
 * meanwhile (a refresh wrote it under the current key) is left to that write: the update only
 * applies while the stored values are still the ones read. Returns how many connections changed.
 */
export async function reencryptStaleTokens(db: Db, keyring: TokenKeyring): Promise<number> {
  if (keyring.old.length === 0) return 0;
  const current = `v1:${keyId(keyring.current)}:`;
  const stale = {
    OR: [
      { accessTokenEnc: { not: null }, NOT: { accessTokenEnc: { startsWith: current } } },
      { refreshTokenEnc: { not: null }, NOT: { refreshTokenEnc: { startsWith: current } } },
    ],
  };
  let changed = 0;
  let after = "";
  for (;;) {
    const rows = await db.platformConnection.findMany({
      where: { ...stale, id: { gt: after } },
      select: { id: true, accessTokenEnc: true, refreshTokenEnc: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (rows.length === 0) return changed;
    after = rows.at(-1)!.id;
    for (const row of rows) {
      const rewrap = (value: string | null) =>
        value && needsReencryption(value, keyring) ? encryptToken(decryptToken(value, keyring), keyring) : value;
      const updated = await db.platformConnection.updateMany({
        where: { id: row.id, accessTokenEnc: row.accessTokenEnc, refreshTokenEnc: row.refreshTokenEnc },
        data: { accessTokenEnc: rewrap(row.accessTokenEnc), refreshTokenEnc: rewrap(row.refreshTokenEnc) },
      });
      changed += updated.count;
    }
  }
}
