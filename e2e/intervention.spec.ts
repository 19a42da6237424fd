import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("manual trigger on a cooled-off task: spinner, then a toast with that run's outcome, then a new log row", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Intervention" }).click();
  const card = page.getByTestId("intervention-card").filter({ hasText: "Bing insights" });
  await expect(card).toContainText("API limit");
  await expect(card).toContainText("quota");
  // The local run can finish in a few milliseconds; hold the request a moment so the spinner is seen.
  await page.route("**/api/trpc/tasks.manualTrigger**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await card.getByRole("button", { name: "Manual trigger" }).click();
  await expect(card.getByRole("status", { name: "Running" })).toBeVisible(); // the per-button spinner
  await expect(card.getByRole("button", { name: "Manual trigger" })).toBeDisabled();
  // The run goes against the local provider's Bing Webmaster API and succeeds.
  await expect(page.getByText("Manual run of Bing insights: succeeded")).toBeVisible({ timeout: 20_000 });
  await expect(card).toHaveCount(0); // released: no longer needs attention

  await page.getByRole("link", { name: "Logs" }).click();
  await page.getByRole("combobox", { name: "Trigger", exact: true }).selectOption("MANUAL");
  const row = page.getByTestId("log-row").filter({ hasText: "Bing insights" }).first();
  await expect(row).toContainText("Succeeded");
  await expect(row).toContainText("manual");
});

test("retry a failed task: it runs and its outcome is reported", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Intervention" }).click();
  const card = page.getByTestId("intervention-card").filter({ hasText: "OAuth token monitoring" });
  await expect(card).toContainText("Authentication");
  await expect(card.getByRole("link", { name: /Reconnect WORDPRESS/ })).toHaveAttribute("href", "/dashboard/connections");
  await card.getByRole("button", { name: "Retry" }).click();
  // The demo's WordPress token expired and cannot be refreshed: the run really fails, and says why.
  await expect(page.getByText("Retry of OAuth token monitoring: failed")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/user must reconnect/).first()).toBeVisible();
});
