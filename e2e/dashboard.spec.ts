import { expect, test } from "@playwright/test";

test("the demo user sees their numbers and the runs-per-day chart", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await expect(page.getByTestId("stat-tasks")).toHaveText("9");
  await expect(page.getByTestId("stat-success-rate")).toHaveText(/^\d{2}(\.\d)?%$/);
  await expect(page.getByTestId("stat-needs-attention")).toHaveText("2");
  const runs = Number(await page.getByTestId("stat-runs").textContent());
  expect(runs).toBeGreaterThan(100);

  const chart = page.getByRole("img", { name: "Runs per day, successes and failures" });
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  expect(await chart.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(14);

  // Changing the range refetches the numbers for the new window.
  await page.getByLabel("Range").selectOption("7");
  await expect.poll(async () => Number(await page.getByTestId("stat-runs").textContent())).toBeLessThan(runs);
});
