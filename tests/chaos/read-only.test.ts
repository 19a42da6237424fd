import { chromium, type Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startServer, trpcPath, type Server } from "../../bench/http";
import { createTestDatabase, createTestUser, setPostgresReadOnly, type TestDatabase } from "../helpers/db";
import { waitFor } from "../helpers/clock";
import { freePort } from "../helpers/processes";

/**
 * Drill: the database turns read-only under a running web server (as after a failover to a standby,
 * or a full disk): /api/health answers 503, a user's change is refused as unavailable with nothing
 * changed, and the dashboard in the browser says so, until the database accepts writes again.
 */
describe.runIf(process.env.TEST_POSTGRES_URL)("a read-only database under a running web server", () => {
  let t: TestDatabase;
  let web: Server;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    web = await startServer({
      port: await freePort(),
      databaseUrl: t.url,
      env: { SCHEDULER_ENABLED: "false", LOG_LEVEL: "warn" },
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await t?.drop();
  });

  it("answers 503, refuses changes as unavailable, and shows a banner until writes work again", async () => {
    const user = await createTestUser(t.db);
    const task = await t.db.task.create({
      data: {
        userId: user.id,
        type: "GSC_INSIGHTS",
        dedupeKey: "ro-drill",
        frequencyMinutes: 60,
        nextRunAt: new Date(Date.now() + 3_600_000),
      },
    });
    const cookie = await signIn(web.url, user.email, "test-password");
    const [name, value] = [cookie.slice(0, cookie.indexOf("=")), cookie.slice(cookie.indexOf("=") + 1)];
    const context = await browser.newContext({ baseURL: web.url });
    await context.addCookies([{ name, value, url: web.url }]);
    const page = await context.newPage();
    await page.goto("/dashboard");
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    expect(await page.getByTestId("database-status").count()).toBe(0);

    await setPostgresReadOnly(t.url, true);
    const health = await fetch(`${web.url}/api/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { checks: { database: { detail: string } } }).checks.database.detail).toMatch(
      /^read-only/,
    );

    // A manual trigger through the API: refused as unavailable (503), not a 500, and nothing queued.
    const trigger = await fetch(`${web.url}/api/trpc/tasks.manualTrigger`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ json: { taskId: task.id } }),
    });
    expect(trigger.status).toBe(503);
    expect(JSON.stringify(await trigger.json())).toContain("The database is read-only right now: nothing was changed");

    // The open dashboard notices on its next health poll (at most 15 s) and names the trouble.
    const banner = page.getByTestId("database-status");
    await banner.waitFor({ timeout: 25_000 });
    expect(await banner.textContent()).toMatch(/not accepting changes \(read-only/);
    // Reads still work: the overview answers while writes are refused.
    expect((await fetch(`${web.url}${trpcPath("dashboard.overview")}`, { headers: { cookie } })).status).toBe(200);

    await setPostgresReadOnly(t.url, false);
    await waitFor(async () => (await fetch(`${web.url}/api/health`)).status === 200, 15_000, "health 200 again");
    await banner.waitFor({ state: "detached", timeout: 15_000 }); // checked every 3 s while down
    expect(await t.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      pendingTrigger: null,
      status: "ACTIVE",
    });
    await context.close();
    console.log(
      "[drill] read-only database: health 503, trigger refused with 503 and nothing queued, banner shown, then cleared once writable",
    );
  });
});
