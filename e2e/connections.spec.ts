import { expect, test } from "@playwright/test";

const providerPort = process.env.E2E_PROVIDER_PORT ?? "3998";

test("connect a platform through its OAuth flow, add a competitor that gets analysed, disconnect", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("admin@example.com");
  await page.getByLabel("Password").fill("admin-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("link", { name: "Connections" }).click();

  const bing = page.getByTestId("platform-BING");
  await expect(bing.getByTestId("status-BING")).toHaveText("not connected");
  await bing.getByRole("link", { name: "Connect" }).click(); // → provider consent → callback → back here
  await expect(page.getByRole("status").first()).toHaveText(/Bing Webmaster is connected/);
  await expect(bing.getByTestId("status-BING")).toHaveText("connected");
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

  await bing.getByRole("button", { name: "Disconnect" }).click();
  await bing.getByRole("button", { name: "Cancel" }).click(); // asked first: nothing happens on cancel
  await expect(bing.getByTestId("status-BING")).toHaveText("connected");
  await bing.getByRole("button", { name: "Disconnect" }).click();
  await bing.getByRole("button", { name: "Confirm" }).click();
  await expect(bing.getByTestId("status-BING")).toHaveText("disconnected");
});
