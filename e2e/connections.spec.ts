import { expect, test } from "./fixtures";
import { ROLES, signIn } from "./helpers";

const providerPort = process.env.E2E_PROVIDER_PORT ?? "3998";

test("connect a platform through its OAuth flow, add a competitor that gets analysed, remove it and disconnect: their tasks end, their history stays", async ({
  page,
}) => {
  test.setTimeout(60_000);
  await signIn(page, ROLES.admin.email, ROLES.admin.password);
  await page.getByRole("link", { name: "Connections", exact: true }).click();

  const bing = page.getByTestId("platform-BING");
  await expect(bing.getByTestId("status-BING")).toHaveText("Not connected");
  await bing.getByRole("link", { name: /Connect/ }).click(); // → provider consent → callback → back here
  await expect(page.getByRole("status").first()).toHaveText(/Bing Webmaster is connected/);
  await expect(bing.getByTestId("status-BING")).toHaveText("Connected");
  // Its insights task ran against the provider's Bing Webmaster API: the snapshot shows here.
  await expect(bing.getByTestId("snapshot-BING")).toContainText(/Last 28 days: [\d,]+ clicks/, { timeout: 20_000 });

  // The form explains a bad address with the same rule the server applies.
  await page.getByLabel("Address").fill("ftp://files.example/");
  await page.getByRole("button", { name: "Add website" }).click();
  await expect(page.locator("#url-error")).toHaveText("Only http and https addresses can be analysed");

  const competitor = `http://127.0.0.1:${providerPort}/sites/competitor-old`; // moved: the analysis follows the redirect
  await page.getByLabel("Address").fill(competitor);
  await page.getByLabel("Whose").selectOption("COMPETITOR");
  await page.getByRole("button", { name: "Add website" }).click();
  const row = page.getByTestId("website").filter({ hasText: competitor });
  await expect(row).toContainText("Competitor");
  // Its analysis task is due at once: the engine in the server runs it against the sample site.
  await expect(row).toContainText(/SEO score \d+/, { timeout: 20_000 });

  // Removing the website ends its task: gone from Jobs and Platforms, kept under "Ended" with its history.
  await row.getByRole("button", { name: "Remove" }).click();
  await row.getByRole("button", { name: "Confirm" }).click();
  await expect(row).toHaveCount(0);
  await page.goto("/dashboard/jobs");
  await expect(page.getByTestId("job-row").filter({ hasText: "competitor-old" })).toHaveCount(0);
  await page.goto("/dashboard/platforms");
  await expect(page.getByTestId("site-card").filter({ hasText: "competitor-old" })).toHaveCount(0);
  await page.goto("/dashboard/jobs?status=ENDED");
  const ended = page.getByTestId("job-row").filter({ hasText: "competitor-old" });
  await expect(ended).toContainText("was removed");
  await expect(ended.getByRole("button")).toHaveCount(0); // no Resume, no Run now
  await ended.getByRole("link").click();
  await expect(page.getByTestId("ended-banner")).toContainText("was removed");
  await expect(page.getByTestId("history-row").first()).toBeVisible(); // its history stays reachable

  await page.goto("/dashboard/connections");
  await bing.getByRole("button", { name: "Disconnect" }).click();
  await bing.getByRole("button", { name: "Cancel" }).click(); // asked first: nothing happens on cancel
  await expect(bing.getByTestId("status-BING")).toHaveText("Connected");
  await bing.getByRole("button", { name: "Disconnect" }).click();
  await bing.getByRole("button", { name: "Confirm" }).click();
  await expect(bing.getByTestId("status-BING")).toHaveText("Not connected");
  await page.goto("/dashboard/jobs?status=ENDED");
  await expect(page.getByTestId("job-row").filter({ hasText: "Bing" })).toHaveCount(2); // its token check and insights, ended
  await page.goto("/dashboard/platforms");
  await expect(page.getByTestId("insights-BING")).toHaveCount(0);
});

test("Connections shows only reasons this server wrote: a link cannot put a stranger's text on the page", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/dashboard/connections?error=Your%20account%20is%20suspended%3A%20call%20%2B1-555-0100");
  await expect(page.getByRole("heading", { name: "Connections" })).toBeVisible();
  await expect(page.getByText("call +1-555-0100")).toHaveCount(0);
  await page.goto("/dashboard/connections?error=Unknown%20platform&sig=forged");
  await expect(page.getByRole("heading", { name: "Connections" })).toBeVisible();
  await expect(page.getByText("Unknown platform")).toHaveCount(0);
  // The server's own way back carries its reason: an unknown platform's connect link.
  await page.goto("/api/connections/myspace/authorize");
  await expect(page).toHaveURL(/\/dashboard\/connections\?error=/);
  await expect(page.getByText("Unknown platform")).toBeVisible();
});
