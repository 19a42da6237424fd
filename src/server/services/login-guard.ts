import { env } from "@/server/config/env";
import type { Db } from "@/server/db";
import { createLimiter, limitStore, type LimitStore, type Limiter } from "@/server/limits";
import { verifyCredentials } from "./users";

/**
 * Password guessing: after `maxFailures` wrong passwords for one email within `lockoutMinutes`, that
 * email is locked until those minutes have passed since its first failure (whatever the password, so
 * a lucky guess during the lock does not get in); one client address gets ten times as many failures
 * across all emails (credential stuffing). A success clears the email's count. The counts live where the
 * request limits do (PostgreSQL: shared by every instance, so a lockout seen by one is seen by all).
 * The client address is the socket's peer (src/server/http/client-address.ts); without one (a call
 * that did not come over this process's HTTP server) only the per-email lockout applies.
 */
export class LoginGuard {
  private readonly byEmail: Limiter;
  private readonly byClient: Limiter;

  constructor(
    readonly options: { maxFailures: number; lockoutMinutes: number },
    store: LimitStore = { kind: "memory" },
  ) {
    const durationSeconds = options.lockoutMinutes * 60;
    this.byEmail = createLimiter(store, { keyPrefix: "login-email", points: options.maxFailures, durationSeconds });
    this.byClient = createLimiter(store, {
      keyPrefix: "login-client",
      points: options.maxFailures * 10,
      durationSeconds,
    });
  }

  /**
   * Seconds until this email and client may try again, and which of the two is locked (the address when
   * both are: it is the wider lock); null when they may try now.
   */
  async lockedFor(email: string, client: string | null): Promise<{ seconds: number; by: LockedBy } | null> {
    const [e, c] = await Promise.all([this.byEmail.get(email), client === null ? null : this.byClient.get(client)]);
    const byEmail = e && e.consumedPoints >= this.options.maxFailures ? e.msBeforeNext : 0;
    const byClient = c && c.consumedPoints >= this.options.maxFailures * 10 ? c.msBeforeNext : 0;
    const wait = Math.max(byEmail, byClient);
    return wait > 0 ? { seconds: Math.ceil(wait / 1000), by: byClient > 0 ? "client" : "email" } : null;
  }

  async failed(email: string, client: string | null) {
    await Promise.all([this.byEmail.penalty(email, 1), client === null ? null : this.byClient.penalty(client, 1)]);
  }

  async succeeded(email: string) {
    await this.byEmail.delete(email);
  }
}

/** What a lockout is on: the account's email, or the address the attempts come from (all its accounts). */
export type LockedBy = "email" | "client";

export class LoginLockedError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    readonly by: LockedBy = "email",
  ) {
    super(
      `Too many failed sign-ins: try again in ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? "s" : ""}`,
    );
  }
}

const holder = globalThis as typeof globalThis & { __loginGuard?: LoginGuard };
export function loginGuard(): LoginGuard {
  holder.__loginGuard ??= new LoginGuard(
    { maxFailures: env().LOGIN_MAX_FAILURES, lockoutMinutes: env().LOGIN_LOCKOUT_MINUTES },
    limitStore(),
  );
  return holder.__loginGuard;
}

/** Credentials checked behind the guard: throws LoginLockedError while locked, counts each failure. */
export async function signInWithPassword(
  db: Db,
  guard: LoginGuard,
  input: { email: string; password: string; client: string | null },
) {
  const email = input.email.trim().toLowerCase();
  const locked = await guard.lockedFor(email, input.client);
  if (locked !== null) throw new LoginLockedError(locked.seconds, locked.by);
  const user = await verifyCredentials(db, email, input.password);
  if (user) await guard.succeeded(email);
  else await guard.failed(email, input.client);
  return user;
}
