import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptToken, encryptToken, keyringFrom, needsReencryption } from "@/server/crypto";

const key = () => randomBytes(32).toString("base64");

describe("token encryption (AES-256-GCM)", () => {
  it("round-trips and never stores the plain token", () => {
    const keyring = keyringFrom(key());
    const token = "ya29.a0AfH6SMB-plain-access-token";
    const stored = encryptToken(token, keyring);
    expect(stored).not.toContain(token);
    expect(stored.startsWith("v1:")).toBe(true);
    expect(decryptToken(stored, keyring)).toBe(token);
  });

  it("uses a fresh IV: the same token encrypts differently each time", () => {
    const keyring = keyringFrom(key());
    expect(encryptToken("same", keyring)).not.toBe(encryptToken("same", keyring));
  });

  it("rejects a tampered ciphertext", () => {
    const keyring = keyringFrom(key());
    const parts = encryptToken("secret-token", keyring).split(":");
    const data = Buffer.from(parts[4]!, "base64url");
    data[0] = data[0]! ^ 1;
    parts[4] = data.toString("base64url");
    expect(() => decryptToken(parts.join(":"), keyring)).toThrow();
  });

  it("decrypts values written under an old key after rotation, and flags them for re-encryption", () => {
    const oldKey = key();
    const stored = encryptToken("rotating", keyringFrom(oldKey));
    const rotated = keyringFrom(key(), oldKey);
    expect(decryptToken(stored, rotated)).toBe("rotating");
    expect(needsReencryption(stored, rotated)).toBe(true);
    expect(needsReencryption(encryptToken("rotating", rotated), rotated)).toBe(false);
    expect(() => decryptToken(stored, keyringFrom(key()))).toThrow(/no key with id/);
  });
});
