import { expect, test } from "./fixtures";
import { ROLES, signIn } from "./helpers";

test("a read-only viewer sees their data but no button that would change it", async ({ page, allowConsoleErrors }) => {
  await signIn(page, ROLES.viewer.email, ROLES.viewer.password);
  await page.goto("/dashboard/intervention");
  const card = page.getByTestId("intervention-card");
  await expect(card).toHaveCount(1);
  await expect(card.getByRole("button")).toHaveCount(0);
  await page.goto("/dashboard/jobs");
  await expect(page.getByTestId("job-row")).toHaveCount(3); // their own three, none of the demo user's nine
  await expect(page.getByRole("button", { name: /Pause|Resume|Run now/ })).toHaveCount(0);
  await page.goto("/dashboard/platforms");
  await expect(page.getByTestId("token-GSC")).toBeVisible();
  await expect(page.getByRole("button", { name: "Check token now" })).toHaveCount(0);
  await page.goto("/dashboard/connections");
  await expect(page.getByRole("button", { name: "Add website" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^(Connect|Reconnect) / })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  // The admin page is not for them: the branded "not allowed" page, answered with 403.
  allowConsoleErrors(/status of 403/);
  expect((await page.goto("/dashboard/admin"))?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This page is not for your account");
  await expect(page.getByRole("link", { name: "Go to the overview" })).toBeVisible();
});

test("an unknown address gets the branded 404 page, inside and outside the dashboard", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 404/);
  expect((await page.goto("/no-such-page"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("There is nothing here");
  await signIn(page);
  expect((await page.goto("/dashboard/no-such-page"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("There is nothing here");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible(); // still inside the dashboard
  // A task that does not exist (or is another user's) is as unknown as a page.
  expect((await page.goto("/dashboard/jobs/no-such-task"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("There is nothing here");
});

test("an admin changes a user's role on the Admin page, and sees system health", async ({ page }) => {
  await signIn(page, ROLES.admin.email, ROLES.admin.password);
  await page.getByRole("link", { name: "Admin", exact: true }).click();
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

test.describe("with the system in dark mode", () => {
  test.use({ colorScheme: "dark" });

  test("the theme menu overrides the system and is remembered", async ({ page }) => {
    await signIn(page);
    const html = page.locator("html");
    await expect(html).not.toHaveClass(/light|dark/); // following the system
    const toggle = async () => {
      if (!(await page.getByTestId("theme-toggle").isVisible())) await page.getByTestId("account-menu").click();
      return page.getByTestId("theme-toggle");
    };
    await (await toggle()).selectOption("light");
    await expect(html).toHaveClass(/light/);
    const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.reload();
    await expect(html).toHaveClass(/light/);
    await expect(await toggle()).toHaveValue("light");
    await (await toggle()).selectOption("dark");
    await expect(html).toHaveClass(/dark/);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(lightBackground);
    await (await toggle()).selectOption("system");
    await expect(html).not.toHaveClass(/light|dark/);
  });
});
