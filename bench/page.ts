/**
 * The overview page as a person meets it: Debian's Chromium opens `/dashboard` on the production
 * server, signed in as the bench user, each time in a fresh browser context (nothing cached, as on a
 * first visit), and reports
 * - Largest Contentful Paint, from the browser's own PerformanceObserver;
 * - time to first byte and First Contentful Paint beside it, to tell the server's part from the page's;
 * - the route's JavaScript on first load: the scripts the server's HTML names (`<script src>` and script
 *   preloads: what must arrive before the page is interactive), gzip-compressed here at the default
 *   level (what servers send), so the figure does not depend on the server's compression settings;
 *   scripts the page loads lazily afterwards (the charts) are reported apart;
 * - console errors (a hydration mismatch shows up here), which must be none.
 */
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import * as cheerio from "cheerio";
import { settle } from "./http";
import { percentiles, type Measurement } from "./report";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface PagePaint {
  lcp: Measurement;
  /** The 75th percentile, as Web Vitals assess LCP. */
  lcpP75: number;
  ttfb: Measurement;
  fcp: Measurement;
  script: { gzipKb: number; rawKb: number; files: number; lazyGzipKb: number };
  consoleErrors: string[];
  /** What the LCP element was, for the reader of the report ("DD stat-runs"). */
  lcpElement: string;
}

export async function overviewPaint(baseUrl: string, cookie: string, loads: number): Promise<PagePaint> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  const [name, value] = cookie.split(/=(.*)/s);
  const lcps: number[] = [];
  const ttfbs: number[] = [];
  const fcps: number[] = [];
  const consoleErrors: string[] = [];
  let script = { gzipKb: 0, rawKb: 0, files: 0, lazyGzipKb: 0 };
  let lcpElement = "";
  try {
    // One warm-up load: the server compiles nothing in production, but its first render of a route
    // warms caches that a person's later visits would find warm too.
    for (let i = 0; i <= loads; i++) {
      await settle(baseUrl);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies([{ name: name!, value: value!, url: baseUrl }]);
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => consoleErrors.push(error.message));
      const scripts = new Map<string, Promise<Buffer | null>>();
      page.on("response", (response) => {
        if (response.request().resourceType() === "script")
          scripts.set(
            response.url(),
            response.body().catch(() => null),
          );
      });
      const response = await page.goto(`${baseUrl}/dashboard`, { waitUntil: "load" });
      if (!response?.ok() || !page.url().startsWith(`${baseUrl}/dashboard`))
        throw new Error(`/dashboard answered ${response?.status()} at ${page.url()}: not signed in?`);
      // LCP is final once the person interacts or the page is hidden; reading it after load and a
      // short settle, as web-vitals does on a page left alone, takes the last entry reported.
      await page.waitForTimeout(500);
      const entry = await page.evaluate(
        () =>
          new Promise<{ time: number; element: string }>((resolve) => {
            new PerformanceObserver((list) => {
              const entries = list.getEntries() as (PerformanceEntry & { element?: Element | null })[];
              const last = entries[entries.length - 1]!;
              const el = last.element;
              resolve({
                time: last.startTime,
                element: el
                  ? `${el.tagName} ${el.getAttribute("data-testid") ?? el.textContent?.trim().slice(0, 40) ?? ""}`
                  : "(removed)",
              });
            }).observe({ type: "largest-contentful-paint", buffered: true });
          }),
      );
      const timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const fcp = performance.getEntriesByName("first-contentful-paint")[0];
        return { ttfb: nav.responseStart, fcp: fcp?.startTime ?? NaN };
      });
      if (process.env.BENCH_PAGE_FILES)
        console.log(`load ${i}: ttfb ${timing.ttfb} fcp ${timing.fcp} lcp ${entry.time}`);
      if (i > 0) {
        lcps.push(entry.time);
        ttfbs.push(timing.ttfb);
        fcps.push(timing.fcp);
        lcpElement = entry.element;
      }
      // The page then loads its charts and prefetches its navigation's routes: let that finish (the
      // lazy scripts are counted, and the next cold load is not charged with this one's prefetches).
      await page.waitForLoadState("networkidle");
      // The first load's scripts are the ones the document names; the rest came later.
      const $ = cheerio.load(await response.text());
      const named = new Set(
        [
          ...$("script[src]").map((_, el) => $(el).attr("src")),
          ...$('link[as="script"]').map((_, el) => $(el).attr("href")),
        ]
          .filter((src): src is string => Boolean(src))
          .map((src) => new URL(src, baseUrl).toString()),
      );
      const loaded = await Promise.all([...scripts].map(async ([url, body]) => ({ url, body: await body })));
      const firstLoad = loaded.filter((s) => named.has(s.url) && s.body);
      const later = loaded.filter((s) => !named.has(s.url) && s.body);
      const gzipKb = (list: typeof loaded) =>
        Math.round(list.reduce((sum, s) => sum + gzipSync(s.body!).length, 0) / 1024);
      if (process.env.BENCH_PAGE_FILES)
        for (const s of loaded)
          console.log(
            `${named.has(s.url) ? "first" : "later"} ${Math.round(gzipSync(s.body ?? Buffer.alloc(0)).length / 1024)} KB gzip  ${s.url}`,
          );
      script = {
        files: firstLoad.length,
        rawKb: Math.round(firstLoad.reduce((sum, s) => sum + s.body!.length, 0) / 1024),
        gzipKb: gzipKb(firstLoad),
        lazyGzipKb: gzipKb(later),
      };
      await context.close();
      await settle(baseUrl);
    }
  } finally {
    await browser.close();
  }
  const sorted = [...lcps].sort((a, b) => a - b);
  return {
    lcpP75: Math.round(sorted[Math.max(0, Math.ceil(0.75 * sorted.length) - 1)] ?? NaN),
    lcp: {
      name: `page: /dashboard Largest Contentful Paint in Chromium (${loads} cold loads)`,
      unit: "ms",
      ...percentiles(lcps),
    },
    ttfb: { name: "page: /dashboard time to first byte", unit: "ms", ...percentiles(ttfbs) },
    fcp: { name: "page: /dashboard First Contentful Paint", unit: "ms", ...percentiles(fcps) },
    script,
    consoleErrors,
    lcpElement,
  };
}
