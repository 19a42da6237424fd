import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test("GET /api/health answers for load balancers without auth, with each check", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.checks.database.status).toBe("ok");
  expect(body.checks.scheduler.status).toBe("ok"); // the engine runs inside this server
  expect(["ok", "degraded"]).toContain(body.status);
});

test("GET /api/metrics is Prometheus text that parses, with the scheduler's series", async ({ request }) => {
  expect((await request.get("/api/trpc/system.status")).status()).toBe(200); // a public procedure: one API latency sample
  const response = await request.get("/api/metrics");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  const sample =
    /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.]+(e[+-]?\d+)?|NaN|[+-]Inf)$/;
  for (const line of text.split("\n").filter(Boolean)) {
    if (line.startsWith("#")) expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
    else expect(line, line).toMatch(sample);
  }
  for (const name of [
    "scheduler_runs",
    "scheduler_queue_age_seconds",
    "scheduler_lease_recoveries",
    "scheduler_active_runs",
    "scheduler_run_duration_seconds_bucket",
    "api_request_duration_seconds_bucket",
  ]) {
    expect(text).toContain(`\n${name}`);
  }
});

test("the REST facade answers with a token created in the UI and with the session cookie; OpenAPI lists it", async ({
  page,
  request,
}) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("link", { name: "API tokens", exact: true }).click();
  await page.getByLabel("Name").fill("e2e script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^sdk_/);

  // Bearer token, no cookie: the original's dashboard shape.
  const byToken = await request.get("/api/scheduler/dashboard", { headers: { authorization: `Bearer ${token}` } });
  expect(byToken.status()).toBe(200);
  const dashboard = await byToken.json();
  expect(dashboard).toHaveProperty("stats.cumulative_total_check_cycles");
  // The scheduler's own check_due_tasks loop, as the original listed it, and the demo user's 9 tasks.
  expect(dashboard.job_count).toBe(10);
  expect(dashboard.jobs[0].id).toBe("check_due_tasks");
  const userId = dashboard.user_isolation.current_user_id as string;
  // The browser's session cookie works too.
  const byCookie = await page.request.get(`/api/scheduler/tasks-needing-intervention/${userId}`);
  expect(byCookie.status()).toBe(200);
  expect(await byCookie.json()).toMatchObject({ success: true, count: 2 });
  expect((await request.get(`/api/scheduler/tasks-needing-intervention/${userId}`)).status()).toBe(401);
  expect(
    (
      await request.get("/api/scheduler/tasks-needing-intervention/someone-else", {
        headers: { authorization: `Bearer ${token}` },
      })
    ).status(),
  ).toBe(404);

  // Revoked in the UI: refused at once.
  await page.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByTestId("api-token").first()).toContainText("revoked");
  expect(
    (await request.get("/api/scheduler/dashboard", { headers: { authorization: `Bearer ${token}` } })).status(),
  ).toBe(401);

  const openapi = await (await request.get("/api/openapi.json")).json();
  expect(Object.keys(openapi.paths)).toEqual(
    expect.arrayContaining([
      "/api/scheduler/dashboard",
      "/api/scheduler/tasks/{task_type}/{task_id}/manual-trigger",
      "/api/scheduler/health",
    ]),
  );
});

test("security headers: a nonce CSP without inline scripts on pages, and the usual headers everywhere; no CSP violation on any page", async ({
  page,
  request,
}) => {
  const api = await request.get("/api/health");
  for (const response of [api, await request.get("/signin")]) {
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response.headers()["x-frame-options"]).toBe("DENY");
    expect(response.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  }
  const first = (await request.get("/signin")).headers()["content-security-policy"] ?? "";
  const second = (await request.get("/signin")).headers()["content-security-policy"] ?? "";
  const scriptSrc = /script-src ([^;]+)/.exec(first)?.[1] ?? "";
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(first).toContain("frame-ancestors 'none'");
  expect(second).not.toBe(first); // a fresh nonce per response

  // The app works under the policy: sign in, use a few pages, and the browser reports no violation.
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text()))
      violations.push(message.text());
  });
  await signIn(page);
  for (const path of [
    "/dashboard",
    "/dashboard/jobs",
    "/dashboard/logs",
    "/dashboard/intervention",
    "/dashboard/platforms",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
  }
  await page.getByRole("link", { name: "Overview", exact: true }).click(); // client-side navigation loads chunks too
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Overview");
  expect(violations).toEqual([]);
});

test("session cookies are HttpOnly and SameSite=Lax, and Secure with the __Secure-/__Host- prefixes behind HTTPS", async ({
  playwright,
  baseURL,
}) => {
  // Behind a TLS-terminating proxy (X-Forwarded-Proto: https) as in production, and over plain HTTP.
  for (const https of [true, false]) {
    const api = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: https ? { "x-forwarded-proto": "https" } : {},
    });
    const csrf = await api.get("/api/auth/csrf");
    const csrfCookie = csrf
      .headersArray()
      .find((h) => h.name.toLowerCase() === "set-cookie" && h.value.includes("csrf-token="))!.value;
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await api.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: "demo@example.com", password: "demo-password", callbackUrl: "/dashboard" },
      headers: { cookie: csrfCookie.split(";")[0]! },
      maxRedirects: 0,
    });
    expect(signIn.status()).toBe(302);
    const session = signIn
      .headersArray()
      .find((h) => h.name.toLowerCase() === "set-cookie" && h.value.includes("session-token="))!.value;
    const attributes = session.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes, session).toContain("httponly");
    expect(attributes, session).toContain("samesite=lax");
    expect(attributes, session).toContain("path=/");
    if (https) {
      expect(session.startsWith("__Secure-authjs.session-token=")).toBe(true);
      expect(attributes).toContain("secure");
      expect(csrfCookie.startsWith("__Host-authjs.csrf-token=")).toBe(true);
      expect(csrfCookie.toLowerCase()).toContain("secure");
    } else {
      expect(session.startsWith("authjs.session-token=")).toBe(true);
    }
    expect(csrfCookie.toLowerCase()).toContain("httponly");
    await api.dispose();
  }
});

test("a path whose percent-encoding is broken is a 400 before authentication, never a 500, on pages and APIs", async ({
  request,
}) => {
  const paths = [
    "/api/scheduler/tasks-needing-intervention/%ZZ",
    "/api/scheduler/tasks-needing-intervention/%",
    "/api/scheduler/website-analysis/logs/%ED%A0%80",
    "/api/trpc/%ZZ",
    "/api/connections/%ZZ/authorize",
    "/dashboard/jobs/%ZZ",
    "/dashboard/%",
  ];
  for (const path of paths) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(`${path} ${response.status()}`).toBe(`${path} 400`);
  }
  const post = await request.post("/api/scheduler/website-analysis/retry/%", { maxRedirects: 0 });
  expect(post.status()).toBe(400);
  expect(await post.json()).toEqual({ detail: "The path is not valid percent-encoded UTF-8" });
  // Another method than a path serves: the facade's JSON 405 with Allow.
  const wrong = await request.delete("/api/scheduler/dashboard");
  expect(wrong.status()).toBe(405);
  expect(wrong.headers()["allow"]).toBe("GET");
  expect(await wrong.json()).toEqual({ detail: "Method Not Allowed" });
});

test("a tRPC mutation sent from another site's page is refused (403) before anything runs; this site's pages are served", async ({
  page,
}) => {
  await signIn(page);
  const baseURL = new URL(page.url()).origin;
  // An empty task id: past the origin check, input validation answers 400, so nothing is ever changed here.
  const post = (origin?: string) =>
    page.request.post("/api/trpc/tasks.pause", {
      headers: { "content-type": "application/json", ...(origin ? { origin } : {}) },
      data: { json: { taskId: "", paused: true } },
    });
  const foreign = await post("https://evil.example");
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error.json.data.code).toBe("FORBIDDEN");
  expect((await post("null")).status()).toBe(403); // an opaque origin (a sandboxed frame, a data: page)
  expect((await post(baseURL)).status()).toBe(400);
  expect((await post()).status()).toBe(400); // no Origin: not a browser's cross-site request
  // Reads are not changes: another origin may not read them either (no CORS), but they are not refused here.
  const read = await page.request.get("/api/trpc/system.me", { headers: { origin: "https://evil.example" } });
  expect(read.status()).toBe(200);
});
