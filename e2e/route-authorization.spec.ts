import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { MATRIX, REST, ROUTE_MATRIX } from "../tests/authorization/matrix";
import { expect, test } from "./fixtures";
import { ROLES, signIn } from "./helpers";

/**
 * The authorization matrix over HTTP, against the production server: every route handler under
 * src/app (listed in tests/authorization/matrix.ts, which a vitest test keeps equal to the file
 * system) is called as nobody, as the read-only viewer and as a user, and must enforce its rule.
 * The viewer can change nothing through any route: not the UI's, not a typed URL, not the API.
 */

type Api = Awaited<ReturnType<typeof apiAs>>;
async function apiAs(
  playwright: import("@playwright/test").PlaywrightWorkerArgs["playwright"],
  baseURL: string,
  role: keyof typeof ROLES | null,
) {
  const api = await playwright.request.newContext({ baseURL });
  if (role) {
    const csrf = await api.get("/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await api.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: ROLES[role].email, password: ROLES[role].password, callbackUrl: "/dashboard" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
  }
  return api;
}

const location = (response: { headers(): Record<string, string> }) =>
  new URL(response.headers().location ?? "", "http://x");

test("every route handler enforces its rule: anonymous ones are open, user ones refuse the signed-out and the viewer, reader ones only the signed-out", async ({
  playwright,
  baseURL,
}) => {
  const app = join(process.cwd(), "src/app");
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
    );
  expect(
    files(app)
      .filter((f) => f.endsWith("/route.ts"))
      .map((f) => relative(app, f))
      .sort(),
  ).toEqual(Object.keys(ROUTE_MATRIX).sort());

  const [anonymous, viewer, user] = [
    await apiAs(playwright, baseURL!, null),
    await apiAs(playwright, baseURL!, "viewer"),
    await apiAs(playwright, baseURL!, "user"),
  ];
  const get = (api: Api, url: string) => api.get(url, { maxRedirects: 0 });
  let cases = 0;
  for (const [route, entry] of Object.entries(ROUTE_MATRIX)) {
    if (entry.rule === "anonymous") {
      expect({ route, status: (await get(anonymous, entry.sample)).status() }).toEqual({ route, status: 200 });
      cases++;
    } else if (entry.rule === "user") {
      const signedOut = await get(anonymous, entry.sample);
      expect({ route, status: signedOut.status(), to: location(signedOut).pathname }).toEqual({
        route,
        status: 303,
        to: "/signin",
      });
      const readOnly = await get(viewer, entry.sample);
      expect({
        route,
        status: readOnly.status(),
        to: location(readOnly).pathname,
        error: location(readOnly).searchParams.get("error"),
      }).toEqual({
        route,
        status: 303,
        to: "/dashboard/connections",
        error: "Your account is read-only: it cannot connect or disconnect platforms.",
      });
      cases += 2;
      // A user passes the rule: the authorization starts at the provider; a forged callback (another
      // user's or no state) is refused with a reason and stores nothing.
      const asUser = await get(user, entry.sample);
      if (entry.foreignState)
        expect({ route, to: location(asUser).pathname, error: location(asUser).searchParams.get("error") }).toEqual({
          route,
          to: "/dashboard/connections",
          error: expect.stringMatching(/could not be verified|does not match this session/),
        });
      else
        expect({ route, status: asUser.status(), host: location(asUser).host }).toEqual({
          route,
          status: 307,
          host: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        });
      cases++;
    } else if (entry.rule === "reader") {
      // A read (the exports): nobody is refused, the read-only viewer and a user get their own rows.
      expect({ route, status: (await get(anonymous, entry.sample)).status() }).toEqual({ route, status: 401 });
      for (const [who, api] of [
        ["viewer", viewer],
        ["user", user],
      ] as const) {
        const response = await get(api, entry.sample);
        expect({ route, who, status: response.status(), type: response.headers()["content-type"] }).toEqual({
          route,
          who,
          status: 200,
          type: expect.stringMatching(/^text\/csv|^application\/x-ndjson/),
        });
      }
      cases += 3;
    } else if (entry.rule === "procedures") {
      expect((await get(anonymous, entry.sample)).status()).toBe(401); // system.me: each procedure's own rule is in MATRIX
      cases++;
    } else {
      expect((await get(anonymous, entry.sample)).status()).toBe(401); // each REST path's own rule is in REST
      cases++;
    }
  }
  console.log(`[measure] route handlers: ${Object.keys(ROUTE_MATRIX).length} routes, ${cases} cases over HTTP`);
  await Promise.all([anonymous.dispose(), viewer.dispose(), user.dispose()]);
});

test("the read-only viewer changes nothing through any route: typed URLs, every tRPC mutation, every REST POST", async ({
  page,
  playwright,
  baseURL,
}) => {
  const viewer = await apiAs(playwright, baseURL!, "viewer");
  const before = await (await viewer.get("/api/trpc/platform.connections")).json();

  // Every tRPC mutation (the list the vitest matrix keeps equal to the routers), with any input: refused first.
  const mutations = Object.entries(MATRIX)
    .filter(([, e]) => e.mutation)
    .map(([path]) => path);
  expect(mutations.length).toBeGreaterThan(10);
  for (const path of mutations) {
    const response = await viewer.post(`/api/trpc/${path}`, { data: { json: {} }, headers: { origin: baseURL! } });
    expect({ path, status: response.status() }).toEqual({ path, status: 403 });
  }
  // Every REST POST: refused too.
  for (const key of Object.keys(REST).filter((k) => k.startsWith("POST "))) {
    const path = key
      .slice(5)
      .replace("{task_type}", "website_analysis")
      .replace(/\{[a-z_]+\}/g, "x");
    const response = await viewer.post(`/api/scheduler${path}`, { data: {}, headers: { origin: baseURL! } });
    expect({ key, status: response.status() }).toEqual({ key, status: 403 });
  }

  // In the browser, typing the connect address for each platform lands back on Connections with the reason.
  await signIn(page, ROLES.viewer.email, ROLES.viewer.password);
  for (const platform of ["gsc", "bing", "wordpress", "wix"]) {
    await page.goto(`/api/connections/${platform}/authorize`);
    await expect(page).toHaveURL(/\/dashboard\/connections\?error=/);
    await expect(page.getByRole("alert").filter({ hasText: "read-only" })).toBeVisible();
  }
  await page.goto("/api/connections/bing/callback?code=lp_forged&state=forged");
  await expect(page).toHaveURL(/\/dashboard\/connections\?error=/);
  // Nothing was connected, added or removed.
  expect(await (await viewer.get("/api/trpc/platform.connections")).json()).toEqual(before);
  await expect(page.getByTestId("status-BING")).toHaveText("Not connected");
  await viewer.dispose();
});
