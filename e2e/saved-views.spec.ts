import { expect, test } from "./fixtures";
import { ROLES, signIn } from "./helpers";

test("saved views: a filter of Logs saved under a name, opened from the header on another page, renamed and deleted", async ({
  page,
}) => {
  await signIn(page);
  const header = page.locator("header");
  await page.getByRole("link", { name: "Logs", exact: true }).click();
  const status = page.getByRole("combobox", { name: "Status", exact: true });
  const type = page.getByRole("combobox", { name: "Type", exact: true });
  await status.selectOption("FAILED");
  await expect(page).toHaveURL(/status=FAILED/);
  await type.selectOption("WEBSITE_ANALYSIS");
  await expect(page).toHaveURL(/taskType=WEBSITE_ANALYSIS/);

  // Save view: the filter in words, a missing name refused in words, then saved.
  await page.getByRole("button", { name: "Save view" }).click();
  const dialog = page.getByTestId("save-view");
  await expect(dialog).toContainText("Outcome: Failed · Type: Website analysis");
  await expect(dialog.getByLabel("Name")).toBeFocused();
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Give the view a name");
  await dialog.getByLabel("Name").fill("Failed analyses");
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved “Failed analyses” as a view of Logs.")).toBeVisible();
  await expect(dialog).toHaveCount(0);

  // In the header next to Logs, a plain link; opened from another page, it applies its filter.
  await page.getByRole("link", { name: "Jobs", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
  const menu = header.getByRole("button", { name: "Saved views of Logs" });
  await menu.click();
  const link = header.getByRole("link", { name: "Failed analyses" });
  await expect(link).toHaveAttribute("href", "/dashboard/logs?status=FAILED&taskType=WEBSITE_ANALYSIS");
  await expect(link).not.toHaveAttribute("aria-current", "page");
  await link.click();
  await expect(page).toHaveURL(/\/dashboard\/logs\?status=FAILED&taskType=WEBSITE_ANALYSIS$/);
  await expect(status).toHaveValue("FAILED");
  await expect(type).toHaveValue("WEBSITE_ANALYSIS");
  const rows = page.getByTestId("log-row");
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) {
    expect(text).toContain("Failed");
    expect(text).toContain("Website analysis");
  }
  // The current view is marked; another filter is no longer that view.
  await menu.click();
  await expect(header.getByRole("link", { name: "Failed analyses" })).toHaveAttribute("aria-current", "page");
  await page.keyboard.press("Escape");
  await expect(header.getByRole("link", { name: "Failed analyses" })).toHaveCount(0);
  await status.selectOption("SUCCESS");
  await expect(page).toHaveURL(/status=SUCCESS/);
  await menu.click();
  await expect(header.getByRole("link", { name: "Failed analyses" })).not.toHaveAttribute("aria-current", "page");

  // Managed on its page: renamed (the header follows), then deleted.
  await header.getByRole("link", { name: "Manage saved views" }).click();
  await expect(page).toHaveURL(/\/dashboard\/views$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Saved views");
  const row = page.getByTestId("saved-view").filter({ hasText: "Failed analyses" });
  await expect(row).toContainText("Outcome: Failed · Type: Website analysis");
  await row.getByRole("button", { name: "Rename “Failed analyses”" }).click();
  const field = row.getByLabel("New name of “Failed analyses”");
  await field.fill("   ");
  await row.getByRole("button", { name: "Save name" }).click();
  await expect(row.getByRole("alert")).toHaveText("Give the view a name");
  await field.fill("Broken sites");
  await row.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Renamed to “Broken sites”")).toBeVisible();
  const renamed = page.getByTestId("saved-view").filter({ hasText: "Broken sites" });
  await expect(renamed.getByRole("link", { name: "Broken sites" })).toHaveAttribute(
    "href",
    "/dashboard/logs?status=FAILED&taskType=WEBSITE_ANALYSIS",
  );
  await menu.click();
  await expect(header.getByRole("link", { name: "Broken sites" })).toBeVisible();
  await page.keyboard.press("Escape");

  await renamed.getByRole("button", { name: "Delete" }).click();
  await renamed.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("View deleted")).toBeVisible();
  await expect(page.getByText("No saved views yet")).toBeVisible();
  await expect(menu).toHaveCount(0); // no views of Logs: nothing next to it in the header
});

test("saved views: a read-only viewer has no Save view, and the page of views says why", async ({ page }) => {
  await signIn(page, ROLES.viewer.email, ROLES.viewer.password);
  const header = page.locator("header");
  await page.goto("/dashboard/views");
  // The note shows once the account is known: from here on, the pages know it is read-only.
  await expect(page.getByTestId("read-only-note")).toContainText("cannot save, rename or delete views");
  await header.getByRole("link", { name: "Logs", exact: true }).click();
  await page.getByRole("combobox", { name: "Status", exact: true }).selectOption("FAILED");
  await expect(page).toHaveURL(/status=FAILED/);
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save view" })).toHaveCount(0);
  await header.getByRole("link", { name: "Jobs", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Jobs");
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save view" })).toHaveCount(0);
});
