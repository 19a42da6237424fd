import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("platform health: Refresh token checks the token and shows it refreshed", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Platforms" }).click();
  await expect(page.getByTestId("health-badge")).toBeVisible();
  const gsc = page.getByTestId("token-GSC");
  await gsc.getByRole("button", { name: "Refresh token" }).click();
  await expect(page.getByText("Google Search Console token: refreshed")).toBeVisible({ timeout: 20_000 });
  await expect(gsc.getByTestId("token-outcome-GSC")).toContainText("Token refreshed");
  // Insights and website analysis side by side, from the seeded history and the runs against the local provider.
  await expect(page.getByTestId("insights-GSC")).toBeVisible();
  await expect(page.getByTestId("site-card").first()).toBeVisible();
  await page.getByRole("link", { name: "Google Search Console" }).click();
  await expect(page).toHaveURL(/\/dashboard\/platforms\/gsc$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Google Search Console");
});

test("events: an admin cleans up old events, dry run first, then confirmed", async ({ page }) => {
  await signIn(page, "admin@example.com", "admin-password");
  await page.getByRole("link", { name: "Events" }).click();
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  const total = Number(await page.getByTestId("event-total").textContent());
  expect(total).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Clean up…" }).click();
  const dialog = page.getByRole("dialog", { name: "Clean up the event log" });
  await dialog.getByLabel(/Older than/).fill("7");
  await dialog.getByRole("button", { name: "Count first" }).click();
  const preview = await dialog.getByTestId("cleanup-preview").textContent();
  const wouldDelete = Number(/(\d+) event/.exec(preview ?? "")?.[1]);
  expect(wouldDelete).toBeGreaterThan(0);
  await dialog.getByRole("button", { name: `Delete ${wouldDelete}` }).click();
  await expect(page.getByText(`Deleted ${wouldDelete} events older than 7 days`)).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId("event-total").textContent())).toBeLessThan(total);
});

test("events: a user sees their own job events and no clean-up", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Events" }).click();
  await page.getByLabel("Event").selectOption("JOB_FAILED");
  await page.getByLabel("Days").selectOption("30");
  await expect(page.getByTestId("event-row").first()).toContainText("failed");
  await expect(page.getByRole("button", { name: "Clean up…" })).toHaveCount(0);
});
