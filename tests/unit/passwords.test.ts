import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { signInInput, signUpInput } from "@/lib/validation/auth";
import { parseEnv } from "@/server/config/env";
import { COMMON_PASSWORD_MESSAGE, isCommonPassword, signUpInputOnServer } from "@/server/passwords";

const root = path.join(import.meta.dirname, "../..");
const base = { name: "Ann", email: "ann.smith@example.com" };

/** The password's messages as the sign-up form shows them (the server action's schema). */
function passwordErrors(password: string, email = base.email): string[] {
  const result = signUpInputOnServer.safeParse({ ...base, email, password });
  return result.success ? [] : (z.flattenError(result.error).fieldErrors.password ?? []);
}

describe("sign-up passwords", () => {
  it("refuses the most common passwords, whatever their case, with a message for people", () => {
    for (const password of ["password", "Password", "PASSWORD", "12345678", "qwertyuiop", "iloveyou", "trustno1"])
      expect(passwordErrors(password), password).toEqual([COMMON_PASSWORD_MESSAGE]);
    expect(COMMON_PASSWORD_MESSAGE).toBe("This password is one of the most common ones; choose another");
    expect(isCommonPassword(" sunshine ")).toBe(true);
    expect(isCommonPassword("a-long-and-unusual-passphrase")).toBe(false);
  });

  it("refuses spaces alone", () => {
    for (const password of [" ".repeat(8), " ".repeat(20), "\t \u00a0 \n    "])
      expect(passwordErrors(password), JSON.stringify(password)).toEqual([
        "A password of spaces alone is too easy to guess; add other characters",
      ]);
  });

  it("refuses the email address and its part before the @, without case", () => {
    expect(passwordErrors("ann.smith@example.com")).toEqual([
      "The password cannot be your email address; choose another",
    ]);
    expect(passwordErrors("Ann.Smith@Example.COM")).toEqual([
      "The password cannot be your email address; choose another",
    ]);
    expect(passwordErrors("ANN.SMITH")).toEqual([
      "The password cannot be the first part of your email address; choose another",
    ]);
    // Compared with the email as it is stored: trimmed and lower-cased.
    expect(passwordErrors("ann.smith@example.com", "  Ann.Smith@Example.com ")).toHaveLength(1);
  });

  it("gives a too-short password the length message alone", () => {
    expect(passwordErrors("1234")).toEqual(["Password must be at least 8 characters"]);
    expect(passwordErrors("   ")).toEqual(["Password must be at least 8 characters"]);
  });

  it("refuses a password longer than bcrypt reads (72 bytes), counting bytes, not letters", () => {
    const tooLong = ["Use at most 72 characters (fewer with accents or emoji, which count double or more)"];
    expect(passwordErrors("x".repeat(201))).toEqual(tooLong);
    expect(passwordErrors("plum-harbour-".repeat(5) + "x".repeat(7))).toEqual([]); // 72 bytes
    expect(passwordErrors("plum-harbour-".repeat(5) + "x".repeat(8))).toEqual(tooLong);
    expect(passwordErrors("é".repeat(37))).toEqual(tooLong); // 37 letters, 74 bytes
  });

  it("accepts an ordinary password", () => {
    expect(passwordErrors("plum-harbour-71")).toEqual([]);
    expect(signUpInputOnServer.parse({ ...base, password: "plum-harbour-71" })).toEqual({
      ...base,
      password: "plum-harbour-71",
    });
  });

  it("keeps the list out of the shared schema the forms may import (the browser never loads it)", () => {
    // The shared schema applies the cheap rules...
    expect(signUpInput.safeParse({ ...base, password: " ".repeat(8) }).success).toBe(false);
    expect(signUpInput.safeParse({ ...base, password: "ann.smith" }).success).toBe(false);
    // ...but not the list, which only src/server/passwords.ts imports.
    expect(signUpInput.safeParse({ ...base, password: "password" }).success).toBe(true);
    const shared = readFileSync(path.join(root, "src/lib/validation/auth.ts"), "utf8");
    expect(shared).not.toContain("zxcvbn");
    const action = readFileSync(path.join(root, "src/app/actions/auth.ts"), "utf8");
    expect(action).toMatch(/signUpInputOnServer\.safeParse/);
  });

  it("leaves signing in alone: an account made under older rules can still sign in", () => {
    for (const password of ["password", " ".repeat(8), "ann.smith@example.com", "12345678"])
      expect(signInInput.safeParse({ email: base.email, password }).success, password).toBe(true);
  });

  it("accepts the demo accounts' passwords and the ones the browser tests sign up with", () => {
    const seed = parseEnv({ AUTH_SECRET: "a".repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") });
    const accounts = [
      { email: seed.SEED_ADMIN_EMAIL, password: seed.SEED_ADMIN_PASSWORD },
      { email: seed.SEED_DEMO_EMAIL, password: seed.SEED_DEMO_PASSWORD },
      { email: seed.SEED_VIEWER_EMAIL, password: seed.SEED_VIEWER_PASSWORD },
      // e2e/helpers.ts signUp's default, and e2e/auth.spec.ts's sign-ups.
      { email: "new-1@example.com", password: "e2e-password-123" },
      { email: "demo@example.com", password: "long-enough-password" },
      { email: "locked@example.com", password: "right-password-123" },
    ];
    for (const { email, password } of accounts) expect(passwordErrors(password, email), password).toEqual([]);
    // README's sign-in instructions name the same demo passwords.
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    for (const { password } of accounts.slice(0, 3)) expect(readme).toContain(password);
  });
});
