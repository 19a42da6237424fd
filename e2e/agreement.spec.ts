import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

/**
 * The seeded demo's pages agree about the same facts (this file runs first, before any test changes
 * the demo): what needs attention is the same number on the overview, Intervention and Platforms; an
 * expired connection is listed as needing the user, with Reconnect wherever it shows; and Connections
 * and Platforms name the same moment as a token's last check.
 */
test("the demo's pages agree: what needs attention, the expired connection, when tokens were last checked", async ({
  page,
}) => {
  await signIn(page);
  const overviewCount = Number(await page.getByTestId("stat-needs-attention").textContent());
  expect(overviewCount).toBeGreaterThanOrEqual(3); // WordPress to reconnect, Bing's quota, the competitor that is down
  await expect(page.getByTestId("attention-strip")).toContainText("1 connection to reconnect and");

  await page.getByRole("link", { name: "Intervention", exact: true }).click();
  await expect(page.getByTestId("attention-summary")).toBeVisible();
  const cards =
    (await page.getByTestId("reconnect-card").count()) + (await page.getByTestId("intervention-card").count());
  expect(cards).toBe(overviewCount);
  const wordpress = page.getByTestId("reconnect-card").filter({ hasText: "WordPress" });
  await expect(wordpress).toContainText("Expired");
  await expect(wordpress.getByRole("link", { name: "Reconnect WordPress" })).toHaveAttribute(
    "href",
    "/api/connections/wordpress/authorize",
  );

  await page.getByRole("link", { name: "Platforms", exact: true }).click();
  await expect(page.getByTestId("summary-needs-attention")).toHaveText(String(overviewCount));
  await expect(page.getByTestId("token-state-WORDPRESS")).toHaveText("Expired");
  await expect(page.getByTestId("token-WORDPRESS").getByRole("link", { name: "Reconnect WordPress" })).toBeVisible();
  const checkedOnPlatforms: Record<string, string | null> = {};
  for (const platform of ["GSC", "BING", "WORDPRESS", "WIX"]) {
    checkedOnPlatforms[platform] = await page
      .getByTestId(`token-outcome-${platform}`)
      .locator("time")
      .getAttribute("datetime");
  }

  // WordPress's own page is no dead end: it offers Reconnect, and its banner speaks of WordPress only.
  await page.goto("/dashboard/platforms/wordpress");
  await expect(page.getByRole("link", { name: "Reconnect WordPress" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Check token now" })).toHaveCount(0);
  await expect(page.getByTestId("health-reasons")).toContainText("WordPress: expired");
  await page.goto("/dashboard/platforms/bing");
  await expect(page.getByTestId("health-reasons")).not.toContainText("WordPress");

  await page.getByRole("link", { name: "Connections", exact: true }).click();
  await expect(page.getByTestId("status-WORDPRESS")).toHaveText("Expired");
  for (const platform of ["GSC", "BING", "WORDPRESS", "WIX"]) {
    const checked = await page.getByTestId(`last-checked-${platform}`).locator("time").getAttribute("datetime");
    expect({ platform, checked }).toEqual({ platform, checked: checkedOnPlatforms[platform] });
  }
});
