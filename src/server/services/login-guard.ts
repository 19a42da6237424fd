import { RateLimiterMemory } from "rate-limiter-flexible";
import { env } from "@/server/config/env";
import type { Db } from "@/server/db";
import { verifyCredentials } from "./users";

/**
 * Password guessing: after `maxFailures` wrong passwords for one email within `lockoutMinutes`, that
 * email is locked until those minutes have passed since its first failure (whatever the password, so
 * a lucky guess during the lock does not get in); one client address gets ten times as many failures
 * across all emails (credential stuffing). A success clears the email's count. Per process, like the
 * mutation limit.
 */
export class LoginGuard {
  private readonly byEmail: RateLimiterMemory;
  private readonly byClient: RateLimiterMemory;

  constructor(readonly options: { maxFailures: number; lockoutMinutes: number }) {
    const duration = options.lockoutMinutes * 60;
    this.byEmail = new RateLimiterMemory({ keyPrefix: "login-email", points: options.maxFailures, duration });
    this.byClient = new RateLimiterMemory({ keyPrefix: "login-client", points: options.maxFailures * 10, duration });
  }

  /** Seconds until this email (or client) may try again; null when it may try now. */
  async lockedFor(email: string, client: string): Promise<number | null> {
    const [e, c] = await Promise.all([this.byEmail.get(email), this.byClient.get(client)]);
    const waits = [
      e && e.consumedPoints >= this.options.maxFailures ? e.msBeforeNext : 0,
      c && c.consumedPoints >= this.options.maxFailures * 10 ? c.msBeforeNext : 0,
    ];
    const wait = Math.max(...waits);
    return wait > 0 ? Math.ceil(wait / 1000) : null;
  }

  async failed(email: string, client: string) {
    await Promise.all([this.byEmail.penalty(email, 1), this.byClient.penalty(client, 1)]);
  }

  async succeeded(email: string) {
    await this.byEmail.delete(email);
  }
}

export class LoginLockedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(
      `Too many failed sign-ins: try again in ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? "s" : ""}`,
    );
  }
}

const holder = globalThis as typeof globalThis & { __loginGuard?: LoginGuard };
export function loginGuard(): LoginGuard {
  holder.__loginGuard ??= new LoginGuard({
    maxFailures: env().LOGIN_MAX_FAILURES,
    lockoutMinutes: env().LOGIN_LOCKOUT_MINUTES,
  });
  return holder.__loginGuard;
}

/** The client's address as the proxy in front reports it (the first X-Forwarded-For hop), else "direct". */
export function clientAddress(headers: Headers | undefined): string {
  return headers?.get("x-forwarded-for")?.split(",")[0]?.trim() || headers?.get("x-real-ip") || "direct";
}

/** Credentials checked behind the guard: throws LoginLockedError while locked, counts each failure. */
export async function signInWithPassword(
  db: Db,
  guard: LoginGuard,
  input: { email: string; password: string; client: string },
) {
  const email = input.email.trim().toLowerCase();
  const wait = await guard.lockedFor(email, input.client);
  if (wait !== null) throw new LoginLockedError(wait);
  const user = await verifyCredentials(db, email, input.password);
  if (user) await guard.succeeded(email);
  else await guard.failed(email, input.client);
  return user;
}
