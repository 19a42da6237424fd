import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("jobs: filter, pause and resume a job", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Jobs" }).click();
  await expect(page.getByTestId("job-row")).toHaveCount(9);
  await page.getByRole("combobox", { name: "Type", exact: true }).selectOption("GSC_INSIGHTS");
  const row = page.getByTestId("job-row");
  await expect(row).toHaveCount(1);
  await row.getByRole("button", { name: "Pause" }).click();
  await expect(row).toContainText("Paused");
  await expect(row).toContainText("paused");
  await row.getByRole("button", { name: "Resume" }).click();
  await expect(row).toContainText("Active");

  // Its page: history, its own success rate, and the audit trail of what was just done.
  await row.getByRole("link", { name: "Search Console insights" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search Console insights");
  await expect(page.getByTestId("task-success-rate")).toHaveText(/%$/);
  await expect(page.getByTestId("history-row").first()).toBeVisible();
  await expect(page.getByTestId("audit-trail")).toContainText("resume by demo@example.com");
  await expect(page.getByTestId("audit-trail")).toContainText("pause by demo@example.com");
});

test("jobs: pause shows at once, and is put back with a message when the server does not take it", async ({ page }) => {
  await signIn(page);
  await page.goto("/dashboard/jobs");
  const type = page.getByRole("combobox", { name: "Type", exact: true });
  await type.selectOption("GSC_INSIGHTS");
  const row = page.getByTestId("job-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Active");
  // Hold the request so the optimistic state can be seen, then let the network drop it.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/trpc/tasks.setPaused**", async (route) => {
    await held;
    await route.abort("connectionreset");
  });
  await row.getByRole("button", { name: "Pause" }).click();
  await expect(row).toContainText("Paused");
  await expect(row.getByRole("button", { name: "Resume" })).toBeVisible();
  release();
  await expect(page.getByText("The task was not paused")).toBeVisible();
  await expect(row).toContainText("Active");
  await expect(row.getByRole("button", { name: "Pause" })).toBeVisible();
  await page.unroute("**/api/trpc/tasks.setPaused**");
  await page.reload();
  await type.selectOption("GSC_INSIGHTS");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Active"); // nothing was changed
});

test("logs: a filter lives in the URL, survives a reload, and a row opens its detail", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Logs" }).click();
  await page.getByRole("combobox", { name: "Status", exact: true }).selectOption("FAILED");
  await expect(page).toHaveURL(/status=FAILED/);
  await page.getByRole("combobox", { name: "Type", exact: true }).selectOption("WEBSITE_ANALYSIS");
  await expect(page).toHaveURL(/taskType=WEBSITE_ANALYSIS/);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Status", exact: true })).toHaveValue("FAILED");
  await expect(page.getByRole("combobox", { name: "Type", exact: true })).toHaveValue("WEBSITE_ANALYSIS");
  const rows = page.getByTestId("log-row");
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) {
    expect(text).toContain("Failed");
    expect(text).toContain("Website analysis");
  }
  await expect(page.getByTestId("log-count")).toHaveText(/^\d+ runs?$/);
  await rows.first().getByRole("button").click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByRole("heading", { name: "Error" })).toBeVisible();
  await drawer.getByRole("button", { name: "Close" }).click();
  await expect(drawer).toHaveCount(0);
});
