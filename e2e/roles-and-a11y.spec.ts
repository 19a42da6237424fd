import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const PAGES = ["/dashboard", "/dashboard/jobs", "task-detail", "/dashboard/logs", "/dashboard/events", "/dashboard/intervention", "/dashboard/platforms", "/dashboard/platforms/gsc", "/dashboard/connections", "/dashboard/api-tokens"];

test("a read-only viewer sees their data but no button that would change it", async ({ page }) => {
  await signIn(page, "viewer@example.com", "viewer-password");
  await page.goto("/dashboard/intervention");
  const card = page.getByTestId("intervention-card");
  await expect(card).toHaveCount(1);
  await expect(card.getByRole("button")).toHaveCount(0);
  await page.goto("/dashboard/jobs");
  await expect(page.getByTestId("job-row")).toHaveCount(2); // their own two, none of the demo user's nine
  await expect(page.getByRole("button", { name: /Pause|Resume|Run now/ })).toHaveCount(0);
  await page.goto("/dashboard/platforms");
  await expect(page.getByTestId("token-GSC")).toBeVisible();
  await expect(page.getByRole("button", { name: "Refresh token" })).toHaveCount(0);
  await page.goto("/dashboard/connections");
  await expect(page.getByRole("button", { name: "Add website" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^(Connect|Reconnect)$/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  expect((await page.goto("/dashboard/admin"))?.status()).toBe(404);
});

test("an admin changes a user's role on the Admin page, and sees system health", async ({ page }) => {
  await signIn(page, "admin@example.com", "admin-password");
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page.getByTestId("user-row").filter({ hasText: "demo@example.com" })).toHaveCount(1);
  const role = page.getByLabel("Role of demo@example.com");
  await role.selectOption("VIEWER");
  await expect(page.getByText("Role changed to viewer")).toBeVisible();
  await role.selectOption("USER");
  await expect(page.getByText("Role changed to user")).toBeVisible();
  await expect(page.getByTestId("health-checks")).toContainText("database");
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByTestId("reconcile-result")).toBeVisible();
});

/** Opens one of PAGES and waits until its data, not a skeleton, is on screen. */
async function visit(page: Page, path: string) {
  if (path === "task-detail") {
    // A task's own page: reached from the jobs table.
    await page.goto("/dashboard/jobs");
    await page.getByTestId("job-row").first().getByRole("link").click();
    await expect(page).toHaveURL(/\/dashboard\/jobs\/.+/);
  } else await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
}

async function seriousViolations(page: Page, path: string) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${path}: ${v.id} (${v.nodes.length}) ${v.help} ${v.nodes[0]?.target.join(" ")}`);
}

const shotName = (path: string, suffix = "") => `${path.replace(/\//g, "_").replace(/^_/, "") || "root"}${suffix}.png`;

test("every page passes axe (no serious or critical violations) and is saved as a screenshot", async ({ page }, testInfo) => {
  test.setTimeout(180_000); // eleven pages, each scanned
  await signIn(page, "admin@example.com", "admin-password");
  for (const path of [...PAGES, "/dashboard/admin"]) {
    await visit(page, path);
    expect(await seriousViolations(page, path)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(shotName(path)), fullPage: true });
  }
});

test.describe("on a phone with the system in dark mode", () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: "dark", isMobile: true, hasTouch: true });

  test("every page fits the screen width, passes axe in dark colours, and is saved as a screenshot", async ({ page }, testInfo) => {
    test.setTimeout(240_000);
    await signIn(page, "admin@example.com", "admin-password");
    for (const path of [...PAGES, "/dashboard/admin"]) {
      await visit(page, path);
      // Wide tables scroll inside their own box; the page itself never scrolls sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} is ${overflow}px wider than the screen`).toBeLessThanOrEqual(0);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background, `${path} follows the system's dark scheme`).not.toMatch(/rgb\(2[45]\d, 2[45]\d, 2[45]\d\)|oklch\(0\.9/);
      expect(await seriousViolations(page, path)).toEqual([]);
      await page.screenshot({ path: testInfo.outputPath(shotName(path, "-phone-dark")), fullPage: true });
    }
  });

  test("the theme toggle overrides the system and is remembered", async ({ page }) => {
    await signIn(page, "demo@example.com", "demo-password");
    const html = page.locator("html");
    await expect(html).not.toHaveClass(/light|dark/); // following the system
    await page.getByTestId("theme-toggle").selectOption("light");
    await expect(html).toHaveClass(/light/);
    const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.reload();
    await expect(html).toHaveClass(/light/);
    await expect(page.getByTestId("theme-toggle")).toHaveValue("light");
    await page.getByTestId("theme-toggle").selectOption("dark");
    await expect(html).toHaveClass(/dark/);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(lightBackground);
    await page.getByTestId("theme-toggle").selectOption("system");
    await expect(html).not.toHaveClass(/light|dark/);
  });
});
