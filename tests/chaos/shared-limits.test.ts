import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startServer, trpcPath, type Server } from "../../bench/http";
import { createTestDatabase, createTestUser, type TestDatabase } from "../helpers/db";
import { freePort } from "../helpers/processes";
import { startProxy } from "../helpers/proxy";

/**
 * Two web instances on one PostgreSQL database behind the rolling-restart drill's round-robin proxy:
 * the per-user limits (changes and reads) and the sign-in lockouts hold across both, not twice over,
 * and no X-Forwarded-For a client writes gets it a fresh sign-in budget.
 */
const LIMITS = {
  RATE_LIMIT_MUTATIONS_PER_MINUTE: "10",
  RATE_LIMIT_READS_PER_MINUTE: "30",
  LOGIN_MAX_FAILURES: "3", // per email; 30 per client address
  SCHEDULER_ENABLED: "false",
  LOG_LEVEL: "warn",
};

/** One sign-in attempt through next-auth's credentials callback: "ok", "locked" or "refused". */
async function attempt(base: string, email: string, password: string, headers: Record<string, string> = {}) {
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/dashboard` }),
  });
  if (response.headers.getSetCookie().some((c) => c.includes("session-token="))) return "ok";
  return /code=locked/.test(response.headers.get("location") ?? "") ? "locked" : "refused";
}

describe.runIf(process.env.TEST_POSTGRES_URL)("limits shared by two web instances behind a proxy", () => {
  let t: TestDatabase;
  const webs: Server[] = [];
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    const ports = [await freePort(), await freePort()];
    webs.push(...(await Promise.all(ports.map((port) => startServer({ port, databaseUrl: t.url, env: LIMITS })))));
    proxy = await startProxy(ports);
  });
  afterAll(async () => {
    proxy?.close();
    await Promise.all(webs.map((w) => w.stop()));
    await t?.drop();
  });

  const servedBoth = () => [...proxy.served.values()].filter((n) => n > 0).length;

  it("a user's changes: 10 a minute in all, whichever instance serves them", async () => {
    const user = await createTestUser(t.db);
    const cookie = await signIn(proxy.url, user.email, "test-password");
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      const response = await fetch(`${proxy.url}/api/trpc/platform.reconcile`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ json: null }),
      });
      await response.text();
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429, 429, 429]);
    expect(servedBoth()).toBe(2);
  });

  it("a user's reads: 30 a minute in all, and another user keeps their own budget", async () => {
    const [reader, other] = [await createTestUser(t.db), await createTestUser(t.db)];
    const cookie = await signIn(proxy.url, reader.email, "test-password");
    const read = async (c: string) => {
      const response = await fetch(`${proxy.url}${trpcPath("tasks.list")}`, { headers: { cookie: c } });
      const body = await response.text();
      return { status: response.status, body };
    };
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push(await read(cookie));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(30);
    expect(answers.slice(30).map((a) => a.status)).toEqual(Array(10).fill(429));
    expect(answers[39]!.body).toContain("Too many requests in a short time");
    expect((await read(await signIn(proxy.url, other.email, "test-password"))).status).toBe(200);
  });

  it("a sign-in lockout counted on one instance holds on the other", async () => {
    const user = await createTestUser(t.db);
    for (let i = 0; i < 3; i++) expect(await attempt(proxy.url, user.email, "wrong-password")).toBe("refused");
    // Round robin: the next two attempts reach one instance each.
    expect(await attempt(proxy.url, user.email, "test-password")).toBe("locked");
    expect(await attempt(proxy.url, user.email, "test-password")).toBe("locked");
  });

  it("the per-client limit reads the socket, not X-Forwarded-For: a new header value is no new budget", async () => {
    const user = await createTestUser(t.db);
    // Failures for other emails, each with another forged address, until the client is locked: at most 30
    // (10 × LOGIN_MAX_FAILURES, the earlier tests' failures from this same client included).
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      const answer = await attempt(proxy.url, `nobody-${i}@example.com`, "wrong", {
        "x-forwarded-for": `203.0.113.${i}`,
      });
      if (answer === "locked") break;
      expect(answer).toBe("refused");
      refused++;
    }
    expect(refused).toBeGreaterThan(20);
    expect(refused).toBeLessThanOrEqual(30);
    for (const forged of ["198.51.100.77", "192.0.2.1, 198.51.100.78"])
      expect(await attempt(proxy.url, user.email, "test-password", { "x-forwarded-for": forged })).toBe("locked");
  });
});
