import { expect, test } from "./fixtures";
import { ROLES, signIn } from "./helpers";

test("the demo user sees their own numbers, the charts, and a link to what needs attention", async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId("stat-tasks")).toHaveText("9");
  await expect(page.getByTestId("stat-success-rate")).toHaveText(/^\d{2}(\.\d)?%$/);
  await expect(page.getByTestId("stat-scheduler")).toHaveText("Running"); // the engine runs inside this server
  // A user's all-time figures are their own, never the system's: no check cycles, no system section.
  await expect(page.getByTestId("system-section")).toHaveCount(0);
  await expect(page.getByText("Check cycles")).toHaveCount(0);
  const runs = Number(await page.getByTestId("stat-runs").textContent());
  expect(runs).toBeGreaterThan(20); // a week of daily insights and analyses, weekly token checks
  expect(Number(await page.getByTestId("stat-executed").textContent())).toBeGreaterThanOrEqual(runs);

  const chart = page.getByRole("img", { name: "Runs per period stacked by outcome, with the success rate" });
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByRole("img", { name: /Run duration p50 and p95/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Job status distribution: .*active/ })).toBeVisible();

  // A longer range covers more runs; 24 hours fewer.
  await page.getByLabel("Range").selectOption("30d");
  await expect.poll(async () => Number(await page.getByTestId("stat-runs").textContent())).toBeGreaterThan(runs);
  await page.getByLabel("Range").selectOption("24h");
  await expect(page.getByRole("heading", { name: "Runs per hour" })).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId("stat-runs").textContent())).toBeLessThan(runs);

  await page.getByTestId("attention-strip").click();
  await expect(page).toHaveURL(/\/dashboard\/intervention$/);
});

test("an admin sees every user's figures, and the system's in a section labelled as such", async ({ page }) => {
  await signIn(page, ROLES.admin.email, ROLES.admin.password);
  const system = page.getByTestId("system-section");
  await expect(system.getByRole("heading", { name: "System: all users" })).toBeVisible();
  await expect(system.getByTestId("stat-workers-alive")).toHaveText(/^[1-9]/);
  await expect(system.getByRole("img", { name: "Check cycles per period" })).toBeVisible();
});
