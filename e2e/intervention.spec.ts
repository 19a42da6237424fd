import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test("manual trigger on a cooled-off task: spinner, then a toast with that run's outcome, then a new log row", async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole("link", { name: "Intervention", exact: true }).click();
  await expect(
    page.getByText(/Manual trigger.*runs the task now and clears its failure count; Retry.*keeps the count/),
  ).toBeVisible();
  const card = page.getByTestId("intervention-card").filter({ hasText: "Bing insights" });
  await expect(card).toContainText("API limit");
  await expect(card).toContainText("Daily quota used up"); // in words, not "HTTP <n>"
  await expect(card).not.toContainText("<n>");
  // The local run can finish in a few milliseconds; hold the request a moment so the spinner is seen.
  await page.route("**/api/trpc/tasks.manualTrigger**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await card.getByRole("button", { name: "Manual trigger" }).click();
  await expect(card.getByRole("status", { name: "Running" })).toBeVisible(); // the per-button spinner
  await expect(card.getByRole("button", { name: "Manual trigger" })).toBeDisabled();
  // The run goes against the local provider's Bing Webmaster API and succeeds.
  await expect(page.getByText("Manual run of Bing insights (Bing Webmaster): succeeded")).toBeVisible({
    timeout: 20_000,
  });
  await expect(card).toHaveCount(0); // released: no longer needs attention

  await page.getByRole("link", { name: "Logs", exact: true }).click();
  await page.getByRole("combobox", { name: "Trigger", exact: true }).selectOption("MANUAL");
  const row = page.getByTestId("log-row").filter({ hasText: "Bing insights" }).first();
  await expect(row).toContainText("Succeeded");
  await expect(row).toContainText("manual");
});

test("retry a task whose site is down: it runs, and the failure is reported", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Intervention", exact: true }).click();
  const card = page.getByTestId("intervention-card").filter({ hasText: "Website analysis" });
  await expect(card).toContainText("Network");
  await card.getByRole("button", { name: "Retry" }).click();
  // The demo's second competitor is a site that is down: the run really fails, and says why.
  await expect(
    page.getByText(/^Retry of Website analysis \(http:\/\/127\.0\.0\.1:\d+\/sites\/broken\/\): failed$/),
  ).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/answered HTTP 5\d\d/).first()).toBeVisible();
  await expect(card).toContainText("Needs intervention"); // the probe failed: still cooled off
});

test("an expired connection is reconnected from Intervention, and no longer needs the user", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Intervention", exact: true }).click();
  const before = await page.getByTestId("attention-summary").textContent();
  const card = page.getByTestId("reconnect-card").filter({ hasText: "WordPress" });
  await card.getByRole("link", { name: "Reconnect WordPress" }).click(); // → provider consent → callback → Connections
  await expect(page).toHaveURL(/\/dashboard\/connections\?connected=WORDPRESS/);
  await expect(page.getByTestId("status-WORDPRESS")).toHaveText("Connected");
  await page.getByRole("link", { name: "Intervention", exact: true }).click();
  await expect(page.getByTestId("reconnect-card")).toHaveCount(0);
  await expect(page.getByTestId("attention-summary")).not.toHaveText(before!);
});
