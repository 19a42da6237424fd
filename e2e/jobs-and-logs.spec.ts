import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test("jobs: the filter and sort live in the URL, then pause and resume a job", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Jobs", exact: true }).click();
  await expect(page.getByTestId("job-row")).toHaveCount(9);
  await page.getByRole("combobox", { name: "Sort by" }).selectOption("lastRunAt:desc");
  await expect(page).toHaveURL(/sort=lastRunAt%3Adesc/);
  await page.getByRole("combobox", { name: "Type", exact: true }).selectOption("GSC_INSIGHTS");
  await expect(page).toHaveURL(/type=GSC_INSIGHTS/);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Type", exact: true })).toHaveValue("GSC_INSIGHTS");
  await expect(page.getByRole("combobox", { name: "Sort by" })).toHaveValue("lastRunAt:desc");
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
  await expect(page.getByTestId("audit-trail")).toContainText("Resumed by demo@example.com");
  await expect(page.getByTestId("audit-trail")).toContainText("Paused by demo@example.com");
});

test("jobs: pause shows at once, and is put back with a message when the server does not take it", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/ERR_CONNECTION_RESET/); // the dropped request this test makes on purpose
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

test("logs: a filter lives in the URL, survives a reload; rows name their target; a row opens a drawer that Escape closes and that links to its task", async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole("link", { name: "Logs", exact: true }).click();
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
    expect(text).toMatch(/https?:\/\//); // the site it analysed
  }
  await expect(page.getByTestId("log-count")).toHaveText(/^\d+ runs?$/);
  const opener = rows.first().getByRole("button");
  await opener.click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByRole("heading", { name: "Error" })).toBeVisible();
  await expect(page).toHaveURL(/run=\d+/); // the open run is in the URL too
  await expect(drawer.getByRole("button", { name: "Close" })).toBeFocused(); // the focus moved into it
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);
  await expect(opener).toBeFocused();
  await opener.click();
  await drawer.getByRole("button", { name: "Close" }).click();
  await expect(drawer).toHaveCount(0);
  await opener.click();
  await drawer.getByRole("link", { name: /Website analysis · / }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\/[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Website analysis");
});

test("a task's grace: the default in words, a value out of range refused in words, a saved one audited, then the default again", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/dashboard/jobs?type=GSC_INSIGHTS");
  await page.getByTestId("job-row").getByRole("link", { name: "Search Console insights" }).click();
  const summary = page.getByTestId("grace-summary");
  await expect(summary).toContainText("This is the default");
  const field = page.getByLabel("Grace in minutes (empty: the default)");
  await field.fill("2");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "under 5 minutes" })).toBeVisible();
  await field.fill("45");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(summary).toContainText("45 minutes after it was due");
  await expect(summary).toContainText("Set for this task");
  await expect(page.getByTestId("audit-trail")).toContainText("Grace changed by demo@example.com");
  await page.getByRole("button", { name: "Use the default" }).click();
  await expect(summary).toContainText("This is the default");
});

test("a task's schedule: a cron expression read back in words with its next five runs, refusals in words, saved and audited, shown in Jobs", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/dashboard/jobs?type=GSC_INSIGHTS");
  await page.getByTestId("job-row").getByRole("link", { name: "Search Console insights" }).click();
  const summary = page.getByTestId("schedule-summary");
  await expect(summary).toContainText("Runs every day.");
  await expect(summary).toContainText("At most every hour");
  const form = page.getByRole("form", { name: "Change the schedule" });
  await form.getByLabel("At set times (cron)").check();
  const expression = form.getByLabel("Cron expression (minute hour day month weekday)");
  await form.getByLabel("Time zone").fill("Europe/Berlin");

  await expression.fill("*/15 * * * *");
  await expect(page.getByTestId("schedule-draft-problem")).toContainText("this schedule runs every 15 minutes");
  await form.getByRole("button", { name: "Save schedule" }).click();
  await expect(form.getByRole("alert")).toContainText("may run every hour at most");
  await expression.fill("61 6 * * *");
  await expect(page.getByTestId("schedule-draft-problem")).toContainText("invalid value for minute");

  await expression.fill("0 6 * * 1-5");
  await expect(page.getByTestId("schedule-reading")).toHaveText("At 06:00, Monday through Friday (Europe/Berlin)");
  const runs = page.getByTestId("schedule-next-runs").getByRole("listitem");
  await expect(runs).toHaveCount(5);
  for (const run of await runs.all()) await expect(run).toContainText(/ 06:00 UTC\+[12]$/);
  await page.getByRole("region", { name: "Schedule" }).screenshot({ path: "test-results/schedule-editing.png" });
  await form.getByRole("button", { name: "Save schedule" }).click();
  await expect(summary).toContainText("Runs at 06:00, Monday through Friday (Europe/Berlin).");
  await expect(page.getByTestId("audit-trail")).toContainText(
    "Schedule changed: every day → At 06:00, Monday through Friday (Europe/Berlin) by demo@example.com",
  );
  await page.goto("/dashboard/jobs?type=GSC_INSIGHTS");
  await expect(page.getByTestId("job-row")).toContainText("At 06:00, Monday through Friday (Europe/Berlin)");

  // Back to the demo's daily interval.
  await page.getByTestId("job-row").getByRole("link", { name: "Search Console insights" }).click();
  await form.getByLabel("Every so often").check();
  await form.getByLabel("Interval").selectOption({ label: "every day" });
  await form.getByRole("button", { name: "Save schedule" }).click();
  await expect(summary).toContainText("Runs every day.");
});

test("logs: Export downloads every run of the current filter, the rows the page lists", async ({ page }) => {
  await signIn(page);
  await page.goto("/dashboard/logs?status=FAILED&taskType=WEBSITE_ANALYSIS");
  await expect(page.getByTestId("log-count")).toHaveText(/^\d+ runs?$/);
  const count = Number((await page.getByTestId("log-count").textContent())?.match(/^(\d+)/)?.[1] ?? "NaN");
  expect(count).toBeGreaterThan(0);
  const exportGroup = page.getByRole("group", { name: "Export these runs" });
  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    exportGroup.getByRole("link", { name: /^CSV/ }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^execution-logs-\d{8}-\d{4}\.csv$/);
  const csvText = await (await csv.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString());
  const [header, ...lines] = csvText.trimEnd().split("\r\n");
  expect(header).toContain("status");
  expect(lines).toHaveLength(count);
  const [ndjson] = await Promise.all([
    page.waitForEvent("download"),
    exportGroup.getByRole("link", { name: /^NDJSON/ }).click(),
  ]);
  const records = (await (await ndjson.createReadStream()).toArray().then((c) => Buffer.concat(c).toString()))
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { status: string; taskType: string });
  expect(records).toHaveLength(count);
  expect(new Set(records.map((r) => `${r.status} ${r.taskType}`))).toEqual(new Set(["FAILED WEBSITE_ANALYSIS"]));
});
