import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test("live: a run started in another tab shows on the open Logs page without a reload, at once", async ({
  page,
  context,
}) => {
  await signIn(page);
  await page.goto("/dashboard/logs");
  const status = page.getByTestId("live-status");
  await expect(status).toHaveAttribute("data-live", "true");
  await expect(status).toHaveText("Live");
  const count = page.getByTestId("log-count");
  await expect(count).toHaveText(/^\d+ runs$/);
  const before = Number((await count.textContent())!.match(/^(\d+)/)![1]);

  const other = await context.newPage();
  await other.goto("/dashboard/jobs?type=GSC_INSIGHTS");
  const answered = other.waitForResponse((r) => r.url().includes("tasks.manualTrigger") && r.ok());
  await other.getByTestId("job-row").getByRole("button", { name: "Run now" }).click();
  await answered;
  const started = Date.now();
  // Polling alone would take up to a minute while the stream is up: only the pushed event makes this.
  // About 0.4 s here on an idle machine; the bench measures the p95 against its 1 s target, and this
  // test allows a loaded CI machine twice that.
  await expect(count).toHaveText(`${before + 1} runs`, { timeout: 2_000 });
  console.log(
    `[measure] live: a run started in another tab on screen ${Date.now() - started} ms after its trigger answered`,
  );
  await expect(page.getByTestId("log-row").first()).toContainText("Search Console insights");
  await other.close();
});

test("live: the stream carries the engine's own events (a run finished), not only the changes people make", async ({
  page,
  context,
}) => {
  await signIn(page);
  await page.goto("/dashboard/jobs?type=GSC_INSIGHTS");
  // The stream as the page's link reads it, collected in the page.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { liveSeen: string[] }).liveSeen = seen;
    const source = new EventSource(`/api/trpc/live.events?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    source.onmessage = (message) => seen.push(String(message.data));
  });
  const other = await context.newPage();
  await other.goto("/dashboard/jobs?type=GSC_INSIGHTS");
  await other.getByTestId("job-row").getByRole("button", { name: "Run now" }).click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { liveSeen: string[] }).liveSeen.join("\n")), {
      timeout: 15_000,
    })
    .toContain("run.finished");
  await other.close();
});
