import { expect, test } from "./fixtures";
import { signUp } from "./helpers";

const providerPort = process.env.E2E_PROVIDER_PORT ?? "3998";

test("a new account sees what to do, not a wall of empty axes, and the checklist goes away once done", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signUp(page);
  const checklist = page.getByTestId("onboarding");
  await expect(checklist).toContainText("Get started: 0 of 3 done");
  // Its own figures only: nothing of anybody else's runs, no system section.
  await expect(page.getByTestId("stat-tasks")).toHaveText("0");
  await expect(page.getByTestId("stat-executed")).toHaveText("0");
  await expect(page.getByTestId("stat-needs-attention")).toHaveText("0");
  await expect(page.getByTestId("system-section")).toHaveCount(0);
  await expect(page.getByText("No runs yet in this period.")).toBeVisible();
  await expect(page.getByText(/No tasks yet: connect a platform/)).toBeVisible(); // the job status card is never blank
  await expect(page.getByText("No finished runs yet in this period.")).toBeVisible();

  // Platforms: "not set up", no health score of 100 for nothing.
  await page.getByRole("link", { name: "Platforms", exact: true }).click();
  await expect(page.getByTestId("health-badge")).toHaveText("Not set up");
  await expect(page.getByText("nothing set up")).toBeVisible();

  // Step 2 first: add a website (the local provider's sample shop), which runs within a second.
  await page.getByRole("link", { name: "Connections", exact: true }).click();
  await page.getByLabel("Address").fill(`http://127.0.0.1:${providerPort}/sites/shop/`);
  await page.getByRole("button", { name: "Add website" }).click();
  await expect(page.getByTestId("website").first()).toContainText(/SEO score \d+/, { timeout: 20_000 });
  await page.getByRole("link", { name: "Overview", exact: true }).click();
  await expect(checklist).toContainText("Get started: 2 of 3 done");

  // Step 1: connect a platform through its OAuth flow; then nothing is left to do.
  await page.getByRole("link", { name: "Connections", exact: true }).click();
  await page
    .getByTestId("platform-GSC")
    .getByRole("link", { name: /Connect/ })
    .click();
  await expect(page.getByRole("status").first()).toHaveText(/Google Search Console is connected/);
  await page.getByRole("link", { name: "Overview", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(checklist).toHaveCount(0);
  await expect(page.getByTestId("stat-tasks")).toHaveText("3"); // a token check, the insights task and the website's analysis
});
