/**
 * Live updates (`live.events`) against the running bench server:
 * - event to screen: Chromium (Debian's, as the e2e tests use) has the Logs page open, signed in as the
 *   bench user; a run is asked for over HTTP (`tasks.manualTrigger`), and the time from its answer to the
 *   page's first row changing is measured, for a number of runs;
 * - memory: the server's RSS before and after opening a number of streams, per 1,000 streams.
 */
import { chromium } from "@playwright/test";
import { percentiles, type Measurement } from "./report";
import { treeRssMb, trpcPath } from "./http";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

async function trpcData<T>(response: Response): Promise<T> {
  const body = (await response.json()) as { result?: { data?: { json?: T } }; error?: unknown };
  if (!response.ok || !body.result?.data) throw new Error(`tRPC answered ${response.status}: ${JSON.stringify(body)}`);
  return body.result.data.json as T;
}

/** From a run's trigger answering to its row on the open Logs page, `runs` times. */
export async function eventToScreen(baseUrl: string, cookie: string, runs: number): Promise<Measurement> {
  const tasks = await trpcData<{ id: string; status: string; type: string }[]>(
    await fetch(baseUrl + trpcPath("tasks.list"), { headers: { cookie } }),
  );
  const active = tasks.filter((t) => t.status === "ACTIVE");
  if (active.length === 0) throw new Error("the bench user has no active task to run");

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const context = await browser.newContext();
    const [name, value] = cookie.split(/=(.*)/s);
    await context.addCookies([{ name: name!, value: value!, url: baseUrl }]);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/dashboard/logs`);
    await page.locator('[data-testid="live-status"][data-live="true"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="log-row"]').first().waitFor({ timeout: 30_000 });
    const latencies: number[] = [];
    for (let i = 0; i < runs; i++) {
      const task = active[i % active.length]!;
      const before = await page.locator('[data-testid="log-row"]').first().innerText();
      const response = await fetch(`${baseUrl}/api/trpc/tasks.manualTrigger`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", origin: baseUrl },
        body: JSON.stringify({ json: { taskId: task.id } }),
      });
      await trpcData(response);
      const answered = performance.now();
      await page.waitForFunction(
        (previous) => document.querySelector('[data-testid="log-row"]')?.textContent !== previous,
        before,
        { timeout: 15_000, polling: "raf" },
      );
      latencies.push(performance.now() - answered);
      await page.waitForTimeout(200);
    }
    return {
      name: `live: a run on the open Logs page in Chromium, from its trigger's answer (${runs} runs)`,
      unit: "ms",
      ...percentiles(latencies),
    };
  } finally {
    await browser.close();
  }
}

/** The server's memory for `count` open streams of the bench user, per 1,000. */
export async function streamMemory(
  baseUrl: string,
  cookie: string,
  serverPid: number,
  count: number,
): Promise<Measurement> {
  const before = treeRssMb(serverPid);
  const controllers: AbortController[] = [];
  const url = baseUrl + trpcPath("live.events", {});
  try {
    // Opened in groups, each stream read up to its first message (the server's "connected").
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async () => {
          const controller = new AbortController();
          controllers.push(controller);
          const response = await fetch(url, {
            headers: { cookie, accept: "text/event-stream" },
            signal: controller.signal,
          });
          if (!response.ok || !response.body) throw new Error(`a stream was refused: HTTP ${response.status}`);
          const reader = response.body.getReader();
          await reader.read();
          // Keep reading (pings) so the stream is not held up by back-pressure.
          void (async () => {
            try {
              while (!(await reader.read()).done);
            } catch {
              // aborted
            }
          })();
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = treeRssMb(serverPid);
    const perThousand = Math.round(((after - before) * 1000) / count);
    return {
      name: `live: server RSS per 1,000 open streams (${count} opened)`,
      unit: "MB",
      value: perThousand,
      note: `RSS ${before} MB before, ${after} MB with ${count} streams open`,
    };
  } finally {
    for (const c of controllers) c.abort();
  }
}
