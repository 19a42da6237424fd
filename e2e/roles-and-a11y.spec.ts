import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
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

test("every page passes axe (no serious or critical violations) and is saved as a screenshot", async ({ page }, testInfo) => {
  test.setTimeout(180_000); // ten pages, each scanned
  await signIn(page, "admin@example.com", "admin-password");
  for (const path of [...PAGES, "/dashboard/admin"]) {
    if (path === "task-detail") {
      // A task's own page: reached from the jobs table.
      await page.goto("/dashboard/jobs");
      await page.getByTestId("job-row").first().getByRole("link").click();
      await expect(page).toHaveURL(/\/dashboard\/jobs\/.+/);
    } else await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0); // loaded, not a skeleton
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${path}: ${v.id} (${v.nodes.length}) ${v.help}`)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`${path.replace(/\//g, "_").replace(/^_/, "") || "root"}.png`), fullPage: true });
  }
});
