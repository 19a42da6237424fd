import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { ROLES, signIn, signUp } from "./helpers";

/**
 * Every page as every role: the admin, the demo user, the read-only viewer and a freshly signed-up
 * account. Each page must load without a single page or console error (the fixture's guard), pass axe
 * without serious or critical findings, and is saved as a screenshot in the test output.
 */
const PAGES = [
  "/dashboard",
  "/dashboard/jobs",
  "task-detail",
  "/dashboard/logs",
  "/dashboard/events",
  "/dashboard/intervention",
  "/dashboard/platforms",
  "/dashboard/platforms/gsc",
  "/dashboard/platforms/wordpress",
  "/dashboard/connections",
  "/dashboard/alerts",
  "/dashboard/api-tokens",
  "/dashboard/views",
  "/dashboard/admin",
];

/** Opens a page and waits until its data, not a skeleton, is on screen. */
async function visit(page: Page, path: string) {
  if (path === "task-detail") {
    // A task's own page, reached from the jobs table (a new account has none: its jobs page says so).
    await page.goto("/dashboard/jobs");
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
    const first = page.getByTestId("job-row").first().getByRole("link");
    if ((await first.count()) === 0) return false;
    await first.click();
    await expect(page).toHaveURL(/\/dashboard\/jobs\/.+/);
  } else {
    await page.goto(path);
  }
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
  return true;
}

async function seriousViolations(page: Page, path: string) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: ${v.id} (${v.nodes.length}) ${v.help} ${v.nodes[0]?.target.join(" ")}`);
}

const shotName = (role: string, path: string) => `${role}-${path.replace(/\//g, "_").replace(/^_/, "") || "root"}.png`;

for (const role of ["admin", "user", "viewer", "new"] as const) {
  test(`every page as ${role === "new" ? "a freshly signed-up user" : `the ${role}`}: no page or console error, no serious axe finding, a screenshot each`, async ({
    page,
    allowConsoleErrors,
  }, testInfo) => {
    test.setTimeout(240_000);
    if (role === "new") await signUp(page);
    else await signIn(page, ROLES[role].email, ROLES[role].password);
    // Only an admin may open the admin page: everyone else gets the "not allowed" page, a 403 the browser reports.
    if (role !== "admin")
      allowConsoleErrors(/\/dashboard\/admin: Failed to load resource: the server responded with a status of 403/);
    for (const path of PAGES) {
      if (!(await visit(page, path))) continue;
      if (path === "/dashboard/admin" && role !== "admin")
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("This page is not for your account");
      expect(await seriousViolations(page, path)).toEqual([]);
      const shot = await page.screenshot({ path: testInfo.outputPath(shotName(role, path)), fullPage: true });
      await testInfo.attach(shotName(role, path), { body: shot, contentType: "image/png" });
    }
  });
}

test.describe("on a phone with the system in dark mode", () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: "dark", isMobile: true, hasTouch: true });

  test("every page fits the screen width, passes axe in dark colours, and the header folds into a menu", async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    await signIn(page, ROLES.admin.email, ROLES.admin.password);
    const header = await page.locator("header").boundingBox();
    expect(header!.height, "the header takes one line on a phone").toBeLessThanOrEqual(64);
    await page.getByRole("button", { name: "Menu" }).click();
    await page.locator("#mobile-nav").getByRole("link", { name: "Jobs", exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard\/jobs$/);
    await expect(page.locator("#mobile-nav")).toHaveCount(0); // the menu closed with the navigation
    // Escape closes it too, with the focus still on its button (not only from a link inside it).
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.click();
    await expect(page.locator("#mobile-nav")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.locator("#mobile-nav")).toHaveCount(0);
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toBeFocused();
    for (const path of PAGES) {
      await visit(page, path);
      // Wide tables scroll inside their own box; the page itself never scrolls sideways.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${path} is ${overflow}px wider than the screen`).toBeLessThanOrEqual(0);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background, `${path} follows the system's dark scheme`).not.toMatch(
        /rgb\(2[45]\d, 2[45]\d, 2[45]\d\)|oklch\(0\.9/,
      );
      expect(await seriousViolations(page, path)).toEqual([]);
      await page.screenshot({ path: testInfo.outputPath(shotName("admin-phone-dark", path)), fullPage: true });
    }
  });
});

/** The nav links and the account button never overlap. */
async function noOverlap(page: Page, where: string) {
  const account = (await page.getByTestId("account-menu").boundingBox())!;
  for (const link of await page.getByRole("navigation", { name: "Main" }).getByRole("link").all()) {
    const box = (await link.boundingBox())!;
    expect(
      box.x + box.width <= account.x ||
        box.x >= account.x + account.width ||
        box.y + box.height <= account.y ||
        box.y >= account.y + account.height,
      `${where}: "${await link.textContent()}" under the account menu`,
    ).toBe(true);
  }
}

test("the header never overlaps: the links fold into the menu below 1280 px, even with a long email", async ({
  page,
}) => {
  await signUp(page, `a-rather-long-address-${Date.now()}@example.com`);
  for (const width of [1024, 1100, 1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(page.locator("header")).toBeVisible();
    if (await page.getByRole("button", { name: "Menu" }).isVisible()) continue; // the links are in the menu
    await noOverlap(page, `${width} px`);
  }
});

test("the header: one line at 1440 px with the current page marked, on every page", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, ROLES.admin.email, ROLES.admin.password); // the admin has the most links
  for (const [path, label] of [
    ["/dashboard", "Overview"],
    ["/dashboard/jobs", "Jobs"],
    ["/dashboard/platforms/gsc", "Platforms"],
    ["/dashboard/admin", "Admin"],
  ] as const) {
    await page.goto(path);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.locator("[aria-current=page]")).toHaveText(label);
    await expect(nav.locator("[aria-current=page]")).toHaveCount(1);
    const header = await page.locator("header").boundingBox();
    expect(header!.height, `header on ${path}`).toBeLessThanOrEqual(64);
    await noOverlap(page, path);
  }
});
