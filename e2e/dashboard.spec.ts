import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("the demo user sees their numbers, the charts, and a link to what needs attention", async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId("stat-tasks")).toHaveText("9");
  await expect(page.getByTestId("stat-success-rate")).toHaveText(/^\d{2}(\.\d)?%$/);
  await expect(page.getByTestId("stat-needs-attention")).toHaveText("2");
  await expect(page.getByTestId("stat-scheduler")).toHaveText("Running"); // the engine runs inside this server
  const runs = Number(await page.getByTestId("stat-runs").textContent());
  expect(runs).toBeGreaterThan(50);

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
