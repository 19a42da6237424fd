import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoginGuard, LoginLockedError, signInWithPassword } from "@/server/services/login-guard";
import { createUser } from "@/server/services/users";
import { createTestDatabase, testEngines, type TestDatabase } from "../helpers/db";

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
    expect((locked as LoginLockedError).by).toBe("email");
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
    const locked = await signInWithPassword(t.db, guard, {
      email: "b@example.com",
      password: "right-password",
      client: "203.0.113.9",
    }).catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(LoginLockedError);
    expect((locked as LoginLockedError).by).toBe("client"); // the address is locked, not b's account
    expect(
      await signInWithPassword(t.db, guard, {
        email: "b@example.com",
        password: "right-password",
        client: "192.0.2.1",
      }),
    ).toMatchObject({ email: "b@example.com" });
  });

  it("without a client address (no socket peer) only the per-email lockout applies: nobody shares a bucket", async () => {
    const guard = new LoginGuard({ maxFailures: 1, lockoutMinutes: 15 });
    for (let i = 0; i < 12; i++)
      expect(
        await signInWithPassword(t.db, guard, { email: `none${i}@example.com`, password: "x", client: null }),
      ).toBeNull();
    expect(
      await signInWithPassword(t.db, guard, { email: "b@example.com", password: "right-password", client: null }),
    ).toMatchObject({ email: "b@example.com" });
  });
});

describe.runIf(testEngines().includes("postgres"))("sign-in lockout across instances on PostgreSQL", () => {
  let t: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    pool = new pg.Pool({ connectionString: t.url, max: 2 });
    await createUser(t.db, { name: "A", email: "a@example.com", password: "right-password" });
  });
  afterAll(async () => {
    await pool.end();
    await t.drop();
  });

  it("a lockout counted by one instance holds on the other (both guards count in the database)", async () => {
    const store = { kind: "postgres", pool } as const;
    const [first, second] = [
      new LoginGuard({ maxFailures: 3, lockoutMinutes: 15 }, store),
      new LoginGuard({ maxFailures: 3, lockoutMinutes: 15 }, store),
    ];
    const tryOn = (guard: LoginGuard, password: string) =>
      signInWithPassword(t.db, guard, { email: "a@example.com", password, client: "198.51.100.7" });
    expect(await tryOn(first, "wrong")).toBeNull();
    expect(await tryOn(second, "wrong")).toBeNull();
    expect(await tryOn(first, "wrong")).toBeNull();
    await expect(tryOn(second, "right-password")).rejects.toBeInstanceOf(LoginLockedError);
    await expect(tryOn(first, "right-password")).rejects.toBeInstanceOf(LoginLockedError);
    expect(await t.db.rateLimit.findUnique({ where: { key: "login-email:a@example.com" } })).toMatchObject({
      points: 3,
    });
  });

  it("keeps counting in memory while the database cannot (the insurance), instead of failing sign-ins", async () => {
    const broken = new pg.Pool({ connectionString: "postgresql://nobody@127.0.0.1:1/none", max: 1 });
    broken.on("error", () => {});
    try {
      const guard = new LoginGuard({ maxFailures: 2, lockoutMinutes: 15 }, { kind: "postgres", pool: broken });
      const tryAs = (password: string) =>
        signInWithPassword(t.db, guard, { email: "a@example.com", password, client: "192.0.2.44" });
      expect(await tryAs("wrong")).toBeNull();
      expect(await tryAs("wrong")).toBeNull();
      await expect(tryAs("right-password")).rejects.toBeInstanceOf(LoginLockedError);
    } finally {
      await broken.end();
    }
  });
});
