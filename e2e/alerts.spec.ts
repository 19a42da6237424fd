import { expect, test } from "./fixtures";
import { signUp } from "./helpers";

const providerPort = process.env.E2E_PROVIDER_PORT ?? "3998";
const receiver = `http://127.0.0.1:${providerPort}/__receiver`;

test("alerts: a signed webhook channel, a test delivered, a failing task's alert delivered and on the bell, a snoozed rule", async ({
  page,
  request,
  allowConsoleErrors,
}) => {
  test.setTimeout(120_000);
  allowConsoleErrors(/400 \(Bad Request\)/); // the refused URL, on purpose
  await signUp(page);
  await expect(page.getByTestId("alert-bell")).toHaveAccessibleName("Alerts: none unread");
  await page.getByRole("link", { name: "Alerts", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  // Every rule is on by default, sending in-app only.
  await expect(page.getByTestId("rule-TASK_NEEDS_INTERVENTION").getByRole("checkbox").first()).toBeChecked();

  // A webhook channel: a private URL other than the demo receiver is refused, in words.
  await page.getByLabel("Name", { exact: true }).fill("My receiver");
  await page.getByLabel("URL").fill(`http://127.0.0.1:${providerPort}/__provider/revoke`);
  await page.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByText(/This URL is refused/)).toBeVisible();
  await page.getByLabel("URL").fill(`${receiver}/webhook`);
  await page.getByRole("button", { name: "Add channel" }).click();
  const secret = (await page.getByTestId("webhook-secret").textContent())!;
  expect(secret).toMatch(/^whsec_/);
  // The receiver is told the secret, as its owner would configure it; it refuses what does not verify.
  expect((await request.post(`${receiver}/secrets`, { data: { secret } })).ok()).toBe(true);

  const channel = page.getByTestId("channel").filter({ hasText: "My receiver" });
  await channel.getByRole("button", { name: "Send test" }).click();
  const firstDelivery = page.getByTestId("delivery").first();
  await expect(firstDelivery).toContainText('Test message to "My receiver"');
  await expect(firstDelivery.getByTestId("delivery-status")).toHaveText("Delivered", { timeout: 20_000 });

  // The "needs you" rule sends to it.
  const rule = page.getByTestId("rule-TASK_NEEDS_INTERVENTION");
  await rule.getByLabel("My receiver").check();
  await expect(rule.getByLabel("My receiver")).toBeChecked();

  // A website that answers 404: each run is a task failure; the third in a row needs intervention.
  const site = `http://127.0.0.1:${providerPort}/sites/gone-for-good/`;
  await page.getByRole("link", { name: "Connections", exact: true }).click();
  await page.getByLabel("Address").fill(site);
  await page.getByRole("button", { name: "Add website" }).click();
  await page.getByRole("link", { name: "Jobs", exact: true }).click();
  const row = page.getByTestId("job-row").filter({ hasText: "gone-for-good" });
  await expect(row).toContainText(/Failed|HTTP 404/, { timeout: 20_000 });
  // "Run now" starts afresh (it clears the failure count); a retry does not: retried through the REST API
  // with the session, as a script of the user's would, until the third failure in a row cools it off.
  const taskId = (await row.getByRole("link").first().getAttribute("href"))!.split("/").pop()!;
  const origin = new URL(page.url()).origin;
  await expect
    .poll(
      async () => {
        await page.request.post(`/api/scheduler/website-analysis/retry/${taskId}`, { headers: { origin }, data: {} });
        await page.waitForTimeout(1_500);
        await page.reload();
        return row.textContent();
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toContain("Needs intervention");

  // The bell counts it; the inbox names it; the delivery log shows it delivered, and the receiver verified it.
  await expect(page.getByTestId("alert-bell-count")).toHaveText(/^[1-9]/, { timeout: 20_000 });
  await page.getByTestId("alert-bell").click();
  await expect(page.getByTestId("inbox-alert").first()).toContainText(`Website analysis (${site}) needs you`);
  const alertDelivery = page.getByTestId("delivery").filter({ hasText: "needs you" }).first();
  await expect(alertDelivery.getByTestId("delivery-status")).toHaveText("Delivered", { timeout: 20_000 });
  const got = (await (await request.get(`${receiver}/webhooks.json`)).json()) as { title: string; verified: boolean }[];
  expect(got.find((h) => h.title === `Website analysis (${site}) needs you`)?.verified).toBe(true);

  // Marked read, the bell goes quiet; a snoozed rule says until when (no reminder is sent meanwhile).
  await page.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByTestId("alert-bell")).toHaveAccessibleName("Alerts: none unread");
  await rule.getByRole("combobox", { name: /snooze/ }).selectOption({ label: "1 day" });
  await expect(rule.getByTestId("snoozed")).toContainText("until");
  await rule.getByRole("button", { name: "Wake" }).click();
  await expect(rule.getByTestId("snoozed")).toHaveCount(0);
});
