import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { ownRows, type Scope } from "./scope";
import { NotFoundError } from "@/server/errors";

const PREFIX = "sdk_";

/** SHA-256 suffices for a 256-bit random token (no dictionary to guess from), and allows lookup by hash. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token for the caller; the plain token is returned once and never stored. */
export async function createApiToken(db: Db, scope: Scope, input: { name: string }) {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await db.apiToken.create({
    data: {
      userId: scope.userId,
      name: input.name,
      prefix: token.slice(0, PREFIX.length + 6),
      tokenHash: hashApiToken(token),
    },
    select: { id: true, name: true, prefix: true, createdAt: true },
  });
  return { ...row, token };
}

export function listApiTokens(db: Db, scope: Scope) {
  return db.apiToken.findMany({
    where: ownRows(scope),
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export async function revokeApiToken(db: Db, scope: Scope, input: { tokenId: string }, now = new Date()) {
  const token = await db.apiToken.findFirst({
    where: { id: input.tokenId, ...ownRows(scope) },
    select: { id: true, revokedAt: true },
  });
  if (!token) throw new NotFoundError("API token");
  if (!token.revokedAt) await db.apiToken.update({ where: { id: token.id }, data: { revokedAt: now } });
  return { tokenId: token.id, revoked: true };
}

/** The user a Bearer token belongs to, if it is one of ours and not revoked. */
export async function userForApiToken(db: Db, token: string, now = new Date()) {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, userId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  // Last use is kept to the minute: not one write per request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000)
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return row.userId;
}
