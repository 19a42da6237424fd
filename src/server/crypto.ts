import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * OAuth tokens at rest: AES-256-GCM with a random 96-bit IV per value. The stored form is
 * "v1:<keyId>:<iv>:<tag>:<ciphertext>" (base64url parts); keyId names the key by a hash prefix so
 * values written under an earlier key still decrypt after rotation.
 */

export interface TokenKeyring {
  current: Buffer;
  old: Buffer[];
}

const VERSION = "v1";

export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export function keyringFrom(currentBase64: string, oldBase64?: string): TokenKeyring {
  const decode = (k: string) => {
    const key = Buffer.from(k.trim(), "base64");
    if (key.length !== 32) throw new Error("token encryption keys must be 32 bytes");
    return key;
  };
  return {
    current: decode(currentBase64),
    old: (oldBase64 ?? "")
      .split(",")
      .filter((k) => k.trim() !== "")
      .map(decode),
  };
}

export function encryptToken(plain: string, keyring: TokenKeyring): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    keyId(keyring.current),
    iv.toString("base64url"),
    tag.toString("base64url"),
    data.toString("base64url"),
  ].join(":");
}

export function decryptToken(stored: string, keyring: TokenKeyring): string {
  const parts = stored.split(":");
  if (parts.length !== 5 || parts[0] !== VERSION) throw new Error("not an encrypted token value");
  const [, id, iv, tag, data] = parts as [string, string, string, string, string];
  const key = [keyring.current, ...keyring.old].find((k) => keyId(k) === id);
  if (!key)
    throw new Error(
      `no key with id ${id} in the keyring (was TOKEN_ENCRYPTION_KEY rotated without keeping the old key?)`,
    );
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

/** True when the value was written under an older key and should be re-encrypted on next write. */
export function needsReencryption(stored: string, keyring: TokenKeyring): boolean {
  return stored.split(":")[1] !== keyId(keyring.current);
}
