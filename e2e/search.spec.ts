import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test("search: Logs finds runs by their site or error, keeps the search in the URL and the export, and says why a word is too short; Jobs finds a job by its site", async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole("link", { name: "Logs", exact: true }).click();
  const box = page.getByRole("searchbox", { name: "Search runs" });
  const rows = page.getByTestId("log-row");
  await expect(rows.first()).toBeVisible();

  // The demo's sites are served locally here (127.0.0.1:3998/sites/…): the broken one fails.
  await box.fill("sites/broken");
  await expect(page).toHaveURL(/q=sites%2Fbroken/);
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) expect(text).toContain("sites/broken");
  await expect(page.getByTestId("log-count")).toHaveText(/^\d[\d,]*\+? runs?$/);
  await expect(page.getByRole("link", { name: /CSV/ })).toHaveAttribute("href", /search=sites%2Fbroken/);

  // Two words: both must occur (the site and a word of its error), in any case.
  await box.fill("sites/broken HTTP");
  await expect(page).toHaveURL(/q=sites%2Fbroken\+HTTP/);
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) expect(text).toContain("sites/broken");

  await page.reload();
  await expect(box).toHaveValue("sites/broken HTTP");

  // A word the index cannot look up is explained, and the list stays as it was.
  await box.fill("ab");
  await expect(page.getByText('Each search word needs at least 3 characters ("ab" is too short)')).toBeVisible();
  await expect(page).toHaveURL(/q=sites%2Fbroken\+HTTP/);

  await box.fill("nothing-like-this");
  await expect(page.getByText("No runs match “nothing-like-this” with these filters.")).toBeVisible();
  await box.fill("");
  await expect(page).not.toHaveURL(/q=/);
  await expect(rows.first()).toBeVisible();

  await page.getByRole("link", { name: "Jobs", exact: true }).click();
  const jobs = page.getByTestId("job-row");
  await expect(jobs).toHaveCount(9);
  await page.getByRole("searchbox", { name: "Search jobs" }).fill("sites/competitor");
  await expect(page).toHaveURL(/q=sites%2Fcompetitor/);
  await expect(jobs).toHaveCount(1);
  await expect(jobs).toContainText("sites/competitor");

  // By the names the page shows, not only the codes.
  await page.getByRole("searchbox", { name: "Search jobs" }).fill("search console");
  await expect(page).toHaveURL(/q=search\+console/);
  await expect(jobs.first()).toBeVisible();
  for (const text of await jobs.allTextContents()) expect(text).toContain("Search Console");

  // A link whose search cannot be run says so, and offers nothing that would act on another filter.
  await page.goto("/dashboard/jobs?q=wo");
  await expect(
    page.getByText(
      'Each search word needs at least 3 characters ("wo" is too short) — change the filters or the search.',
    ),
  ).toBeVisible();
  await expect(page.getByRole("group", { name: "With all matching jobs" })).toHaveCount(0);
  await expect(jobs).toHaveCount(0);
});

test("bulk actions: pause every job the filter and search match after a preview count, watch it finish, then resume them all", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/dashboard/jobs");
  await page.getByRole("searchbox", { name: "Search jobs" }).fill("sites/");
  const status = page.getByRole("combobox", { name: "Status", exact: true });
  await status.selectOption("ACTIVE");
  const jobs = page.getByTestId("job-row");
  await expect(jobs).toHaveCount(2); // the shop and the competitor; the broken site is cooled off

  const bulk = page.getByRole("group", { name: "With all matching jobs" });
  await bulk.getByRole("button", { name: "Pause…" }).click();
  const dialog = page.getByRole("dialog", { name: "Pause: every matching job" });
  await expect(dialog).toContainText("Filter: Search: “sites/” · Status: Active");
  await dialog.getByRole("button", { name: "Pause 2 jobs" }).click();
  await expect(dialog.getByTestId("bulk-progress")).toHaveText("Paused 2 jobs of 2.");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(jobs).toHaveCount(0);

  await status.selectOption("PAUSED");
  await expect(jobs).toHaveCount(2);
  await bulk.getByRole("button", { name: "Resume…" }).click();
  const resume = page.getByRole("dialog", { name: "Resume: every matching job" });
  await resume.getByRole("button", { name: "Resume 2 jobs" }).click();
  await expect(resume.getByTestId("bulk-progress")).toHaveText("Resumed 2 jobs of 2.");
  await resume.getByRole("button", { name: "Close" }).click();
  await expect(jobs).toHaveCount(0);
  await status.selectOption("ACTIVE");
  await expect(jobs).toHaveCount(2);
  for (const row of await jobs.all()) await expect(row).toContainText("Active");

  // A run-now on what is paused: nothing fits, and the dialog says why.
  await status.selectOption("PAUSED");
  await page.getByRole("searchbox", { name: "Search jobs" }).fill("wix");
  await expect(jobs).toHaveCount(1);
  await bulk.getByRole("button", { name: "Run now…" }).click();
  const runNow = page.getByRole("dialog", { name: "Run now: every matching job" });
  await runNow.getByRole("button", { name: "Run now 1 job" }).click();
  await expect(runNow.getByTestId("bulk-progress")).toHaveText(
    "Started 0 jobs of 1. Skipped 1: Task is paused: resume it before running it (1).",
  );
});

test("a filter picked while the page is still applying the search keeps both (slow server)", async ({ page }) => {
  await signIn(page);
  await page.goto("/dashboard/jobs");
  const jobs = page.getByTestId("job-row");
  await expect(jobs.first()).toBeVisible();
  // Every change of the URL fetches the page's server part: hold each for a second, as a slow server
  // would, so the status is picked while the search's URL change is still under way.
  await page.route(
    (url) => url.searchParams.has("_rsc"),
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue().catch(() => undefined);
    },
  );
  await page.getByRole("searchbox", { name: "Search jobs" }).fill("sites/");
  await page.waitForTimeout(500); // the search box's pause has passed: its URL change is on its way
  await page.getByRole("combobox", { name: "Status", exact: true }).selectOption("ACTIVE");
  await expect(page).toHaveURL(/[?&]q=sites%2F.*status=ACTIVE|status=ACTIVE.*[?&]q=sites%2F/);
  await page.waitForTimeout(1_500); // nothing still in flight takes either back
  await expect(page).toHaveURL(/[?&]q=sites%2F.*status=ACTIVE|status=ACTIVE.*[?&]q=sites%2F/);
  await expect(jobs).toHaveCount(2);
  await expect(page.getByRole("searchbox", { name: "Search jobs" })).toHaveValue("sites/");
});
