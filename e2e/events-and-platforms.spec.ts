import { expect, test } from "./fixtures";
import { ROLES, signIn } from "./helpers";

test("platform health: Check token now checks the token and shows it refreshed", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Platforms", exact: true }).click();
  await expect(page.getByTestId("health-badge")).toBeVisible();
  const gsc = page.getByTestId("token-GSC");
  await gsc.getByRole("button", { name: "Check token now" }).click();
  await expect(page.getByText("Google Search Console token check: refreshed")).toBeVisible({ timeout: 20_000 });
  await expect(gsc.getByTestId("token-outcome-GSC")).toContainText("token refreshed");
  await expect(gsc.getByTestId("token-outcome-GSC")).toContainText("Last checked just now");
  // Insights (with their trend, top queries and pages) and website analysis side by side, from the seeded history.
  const insights = page.getByTestId("insights-GSC");
  await expect(insights.getByRole("table", { name: /Top queries/ })).toBeVisible();
  await expect(insights.getByRole("table", { name: /Top pages/ })).toBeVisible();
  await expect(insights.getByRole("img", { name: /Clicks over the last \d+ snapshots/ })).toBeVisible();
  await expect(page.getByTestId("site-card").first()).toContainText(/\d+\/100/);
  await page.getByRole("link", { name: "Google Search Console" }).first().click();
  await expect(page).toHaveURL(/\/dashboard\/platforms\/gsc$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Google Search Console");
});

test("events: an admin cleans up old events: a person's message for a bad number, a count first, then confirmed; Escape closes", async ({
  page,
}) => {
  await signIn(page, ROLES.admin.email, ROLES.admin.password);
  await page.getByRole("link", { name: "Events", exact: true }).click();
  await expect(page.getByTestId("event-row").first()).toBeVisible();
  await expect(page.getByTestId("event-user").first()).toBeVisible(); // an admin sees whose event it is
  const total = Number(await page.getByTestId("event-total").textContent());
  expect(total).toBeGreaterThan(0);

  const open = page.getByRole("button", { name: "Clean up…" });
  await open.click();
  const dialog = page.getByRole("dialog", { name: "Clean up the event log" });
  const days = dialog.getByLabel(/Keep the last/);
  await expect(days).toBeFocused(); // the focus moved into the dialog
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(open).toBeFocused(); // and came back

  await open.click();
  await days.fill("3");
  await dialog.getByRole("button", { name: "Count first" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Keep at least 7 days of events");
  await days.fill("7");
  await dialog.getByRole("button", { name: "Count first" }).click();
  const preview = await dialog.getByTestId("cleanup-preview").textContent();
  const wouldDelete = Number(/([\d,]+) event/.exec(preview ?? "")?.[1]?.replace(/,/g, ""));
  expect(wouldDelete).toBeGreaterThan(0);
  await dialog.getByRole("button", { name: `Delete ${wouldDelete.toLocaleString("en")}` }).click();
  await expect(page.getByText(`Deleted ${wouldDelete.toLocaleString("en")} events older than 7 days`)).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId("event-total").textContent())).toBeLessThan(total);
});

test("events: a user sees their own job events, each linked to its task and run, and no clean-up", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Events", exact: true }).click();
  await page.getByRole("combobox", { name: "Event" }).selectOption("JOB_FAILED");
  await page.getByRole("combobox", { name: "Days" }).selectOption("30");
  const row = page.getByTestId("event-row").first();
  await expect(row).toContainText("failed");
  await expect(page.getByRole("button", { name: "Clean up…" })).toHaveCount(0);
  await expect(page.getByTestId("event-user")).toHaveCount(0);
  const run = await row.getByRole("link", { name: /run #\d+/ }).textContent();
  await row.getByRole("link", { name: /run #\d+/ }).click();
  await expect(page).toHaveURL(/\/dashboard\/logs\?run=\d+/);
  await expect(page.getByRole("dialog", { name: `Run ${run!.replace("run ", "")}` })).toBeVisible();
});
