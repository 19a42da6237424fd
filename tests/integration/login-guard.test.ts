import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoginGuard, LoginLockedError, signInWithPassword } from "@/server/services/login-guard";
import { createUser } from "@/server/services/users";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

describe("sign-in lockout", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    await createUser(t.db, { name: "A", email: "a@example.com", password: "right-password" });
    await createUser(t.db, { name: "B", email: "b@example.com", password: "right-password" });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("locks an email after repeated failures, even against the right password, and only that email", async () => {
    const guard = new LoginGuard({ maxFailures: 3, lockoutMinutes: 15 });
    const tryAs = (email: string, password: string, client = "198.51.100.7") =>
      signInWithPassword(t.db, guard, { email, password, client });
    expect(await tryAs("a@example.com", "wrong")).toBeNull();
    expect(await tryAs("a@example.com", "right-password")).toMatchObject({ email: "a@example.com" }); // a success clears the count
    for (let i = 0; i < 3; i++) expect(await tryAs("A@Example.com ", "wrong")).toBeNull(); // same email, however written
    const locked = await tryAs("a@example.com", "right-password").catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(LoginLockedError);
    expect((locked as LoginLockedError).retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(await tryAs("b@example.com", "right-password")).toMatchObject({ email: "b@example.com" });
  });

  it("limits one client address across emails (credential stuffing)", async () => {
    const guard = new LoginGuard({ maxFailures: 2, lockoutMinutes: 15 });
    for (let i = 0; i < 20; i++)
      expect(
        await signInWithPassword(t.db, guard, {
          email: `nobody${i}@example.com`,
          password: "x",
          client: "203.0.113.9",
        }),
      ).toBeNull();
    await expect(
      signInWithPassword(t.db, guard, { email: "b@example.com", password: "right-password", client: "203.0.113.9" }),
    ).rejects.toBeInstanceOf(LoginLockedError);
    expect(
      await signInWithPassword(t.db, guard, {
        email: "b@example.com",
        password: "right-password",
        client: "192.0.2.1",
      }),
    ).toMatchObject({ email: "b@example.com" });
  });
});
