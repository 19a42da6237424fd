import { randomBytes } from "node:crypto";
import { addMinutes, format, startOfHour, subDays } from "date-fns";
import type { Prisma } from "@/generated/sqlite/client";
import type {
  ExecutionStatus,
  FailureCategory,
  Platform,
  Role,
  TaskStatus,
  TaskType,
  WebsiteRole,
} from "@/generated/sqlite/enums";
import { encryptToken, type TokenKeyring } from "@/server/crypto";
import { mintToken } from "../../dev/provider/tokens";
import {
  BLOG_NOINDEX_AT,
  bingSummary,
  demoSearchModel,
  DEMO_PROPERTIES,
  hash,
  random,
  searchConsoleSummary,
  type SearchModel,
} from "../../dev/provider/search-model";
import type { Db } from "@/server/db";
import { integrationSettings } from "@/server/integrations/config";
import { integrationsEnvSchema } from "@/server/config/integrations";
import { defaultEngineConfig } from "@/server/scheduler/config";
import type { Failure, FailureEntry, FailurePattern } from "@/server/scheduler/failure";
import { countersFromEvents, rollupDay } from "@/server/scheduler/stats";
import { nextRegularRun, nextTaskState, transitionEvent } from "@/server/scheduler/task-state";
import {
  analysisDetails,
  seoScore,
  type PageAnalysis,
  type PreviousAnalysis,
  type SiteChecks,
} from "@/server/integrations/page-analysis";
import { PLATFORM_NAMES } from "@/lib/validation/platform";
import { dedupeKeys, FREQUENCY_MINUTES } from "@/server/services/provisioning";
import { hashPassword } from "@/server/services/users";
import { raiseReconnect, raiseTaskNeedsYou } from "@/server/scheduler/alerts/conditions";
import { alertEvent, queueDeliveries } from "@/server/scheduler/alerts/outbox";
import { DEMO_WEBHOOK_SECRET } from "../../dev/provider/receiver";

export { random };

/**
 * Demo data for a new installation: an admin, a demo user and (optionally) a read-only viewer, each
 * with connections, websites, a realistic mix of tasks and three weeks of history. The history is
 * simulated run by run with the engine's own rules (retries with backoff, task failures, cool-offs,
 * a daily quota's reset) and the executors' own writes (insight snapshots, website analyses,
 * connection checks, the reconnect alert), so every page tells the same story: a run's log, its
 * events, its task's state, the rows it wrote and the counters all agree. Idempotent: does nothing
 * once the admin exists.
 *
 * Every task is seeded as provisioning creates it (its key, and the default interval of its type: a
 * token check a week, insights and website analysis daily). The insight snapshots are what the local
 * provider answers from the same search model (dev/provider/search-model.ts), so the first real fetch
 * after seeding continues the seeded trend.
 *
 * The demo user's story: WordPress's token expired two days ago and cannot be refreshed (the weekly
 * check since was refused: the connection is EXPIRED, an alert asks to reconnect); Bing's daily quota
 * was used up on three days running and its insights are cooled off until the quota resets at 00:00
 * UTC; the second competitor went down two days ago and was cooled off after three daily failures in
 * a row; the Wix checks were paused five days ago. The shop's search traffic climbs with the gift
 * season, the admin's blog loses its traffic since it was set to noindex. The viewer's Search Console
 * insights cannot reach Google and are cooled off too. Everything else mostly succeeds, with the odd
 * failure retried.
 */

export interface SeedOptions {
  keyring: TokenKeyring;
  admin: { email: string; password: string };
  demo: { email: string; password: string };
  /** A read-only user with a little data of their own (the demo of the VIEWER role). */
  viewer?: { email: string; password: string };
  days?: number;
  now?: Date;
  /**
   * Where the local provider serves its sample websites (the offline demo): the demo's own site and
   * competitors are then pages it can really analyse. Without it, illustrative public URLs are used.
   */
  sampleSitesOrigin?: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WORKER_ID = "demo-seed";
const CONFIG = defaultEngineConfig;
/** Access-token lifetimes of the platforms (as the local provider issues them). */
const ACCESS_TTL_MS: Record<Platform, number> = {
  GSC: 3599_000,
  BING: 3599_000,
  WORDPRESS: 10 * 365 * DAY,
  WIX: 4 * HOUR,
};
/** What each platform's token check calls (the API name in its error messages). */
const TOKEN_API: Record<Platform, string> = {
  GSC: "Google tokeninfo",
  BING: "Bing Webmaster",
  WORDPRESS: "WordPress.com token-info",
  WIX: "Wix token-info",
};
const WORDPRESS_REFUSAL = "WordPress.com token-info: HTTP 400 The OAuth2 token is invalid.";
const BING_DAILY_QUOTA = "HTTP 429: Bing Webmaster API daily quota reached (resets at 00:00 UTC)";

const between = (r: () => number, [min, max]: readonly [number, number]) => Math.round(min + r() * (max - min));
const nextUtcMidnight = (at: Date) => new Date(Math.floor(at.getTime() / DAY) * DAY + DAY);
/** Ids in the shape of Prisma's cuid() default, for rows a run's result must name before they are written. */
const rowId = () => `c${Date.now().toString(36)}${randomBytes(8).toString("hex")}`.slice(0, 25);

// ─── One task's history, run by run, with the engine's rules ──────────────────────────────────────

/** A failure as an executor reports it (a daily quota's with its reset, `resumeAt`). */
type SeedFailure = Failure;

type Outcome =
  | { ok: true; result: Prisma.InputJsonValue; dataSource?: string }
  | { ok: false; failure: SeedFailure; result?: Prisma.InputJsonValue };

interface RunStart {
  due: Date;
  startedAt: Date;
  /** 1 for a due time's first attempt, 2 and 3 for its retries. */
  attempt: number;
}

/** One executor call: how long it takes and, once it is known to finish before now, what it did. */
interface Execution {
  durationMs: number;
  finish: (finishedAt: Date) => Outcome;
}
type Executor = (run: RunStart, r: () => number) => Execution;

interface TaskState {
  status: TaskStatus;
  nextRunAt: Date | null;
  attempt: number;
  consecutiveFailures: number;
  coolOffCount: number;
  coolOffUntil: Date | null;
  failureHistory: FailureEntry[] | null;
  failurePattern: FailurePattern | null;
  failureReason: string | null;
  failureCategory: FailureCategory | null;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastOutcome: ExecutionStatus | null;
  runCount: number;
}

interface SimRun extends RunStart {
  finishedAt: Date;
  durationMs: number;
  outcome: Outcome;
}

interface SimEvent {
  type: "TASK_COOLED_OFF" | "TASK_RELEASED";
  occurredAt: Date;
  errorMessage: string | null;
  data: Prisma.InputJsonValue;
}

interface Simulation {
  state: TaskState;
  runs: SimRun[];
  events: SimEvent[];
  /** The due time of every first attempt. */
  dueTimes: Date[];
}

/** How far a story's first due time may land from its anchor (due times are hours apart). */
const STORY_SLACK_MS = 10 * MINUTE;
const inStory = (story: { from: Date } | null, due: Date): boolean =>
  story !== null && due.getTime() >= story.from.getTime() - STORY_SLACK_MS;

/** The engine wakes at the earliest due time and claims everything due then: a few ms later, the same for all. */
const claimLatencyMs = (due: Date) => 2 + (hash(String(due.getTime())) % 240);

/**
 * Runs a task from its first due time until `until` (or its pause) as the engine would: claim when
 * due, run, then record the outcome with the engine's own transitions (nextTaskState).
 */
function simulate(options: {
  seed: number;
  firstDue: Date;
  until: Date;
  frequencyMinutes: number;
  pausedAt?: Date | null;
  executor: Executor;
}): Simulation {
  const r = random(options.seed);
  const state: TaskState = {
    status: "ACTIVE",
    nextRunAt: options.firstDue,
    attempt: 0,
    consecutiveFailures: 0,
    coolOffCount: 0,
    coolOffUntil: null,
    failureHistory: null,
    failurePattern: null,
    failureReason: null,
    failureCategory: null,
    lastRunAt: null,
    lastSuccessAt: null,
    lastFailureAt: null,
    lastOutcome: null,
    runCount: 0,
  };
  const runs: SimRun[] = [];
  const events: SimEvent[] = [];
  const dueTimes: Date[] = [];
  while (state.nextRunAt && state.nextRunAt < options.until) {
    const due = state.nextRunAt;
    if (options.pausedAt && due >= options.pausedAt) break;
    const start: RunStart = {
      due,
      startedAt: new Date(due.getTime() + claimLatencyMs(due)),
      attempt: state.attempt + 1,
    };
    if (start.attempt === 1) dueTimes.push(due);
    const execution = options.executor(start, r);
    const finishedAt = new Date(start.startedAt.getTime() + execution.durationMs);
    if (finishedAt > options.until) break; // still running "now": the engine runs it on start
    const outcome = execution.finish(finishedAt);
    runs.push({ ...start, finishedAt, durationMs: execution.durationMs, outcome });
    state.runCount++;
    // The engine's transitions (task-state.ts): success clears the failure state, a failure retries,
    // fails the task or cools it off; a daily quota's failure waits for its reset.
    const run = {
      trigger: "SCHEDULED" as const,
      startedAt: start.startedAt,
      nextRegularRunAt: nextRegularRun(
        {
          dueAt: due,
          attempt: state.attempt,
          frequencyMinutes: options.frequencyMinutes,
          cronExpression: null,
          cronTimeZone: null,
        },
        "SCHEDULED",
        finishedAt,
      ),
    };
    const next = nextTaskState(
      { ...state, failureHistory: state.failureHistory ?? [], frequencyMinutes: options.frequencyMinutes },
      outcome.ok ? { ...run, status: "SUCCESS" } : { ...run, status: "FAILED", failure: outcome.failure },
      finishedAt,
      { config: CONFIG, random: r },
    );
    const { transition: _transition, failurePattern, ...fields } = next;
    Object.assign(state, fields satisfies Partial<TaskState>, {
      failurePattern: failurePattern === undefined ? state.failurePattern : failurePattern,
    });
    const event = transitionEvent(next, "SCHEDULED");
    if (event) events.push({ ...event, occurredAt: finishedAt });
  }
  return { state, runs, events, dueTimes };
}

/**
 * The first due time that makes a due time fall on `storyFrom`, so that a story told backwards from
 * now (a site down since yesterday, a quota used up two nights ago) starts on the task's own rhythm:
 * a dry run with the same PRNG finds the last due time before it, and the whole history moves by the
 * difference (the PRNG's draws do not depend on the time). Claim latencies do, by a few ms per retry:
 * a story starts with the first due time within STORY_SLACK_MS of its anchor.
 */
function anchoredFirstDue(
  options: { seed: number; firstDue: Date; frequencyMinutes: number; executor: Executor },
  storyFrom: Date,
): Date {
  const dry = simulate({ ...options, until: new Date(storyFrom.getTime() + 1) });
  const last = dry.dueTimes.filter((d) => d <= storyFrom).at(-1);
  return last ? new Date(options.firstDue.getTime() + (storyFrom.getTime() - last.getTime())) : options.firstDue;
}

// ─── What the executors write ─────────────────────────────────────────────────────────────────────

type SnapshotRow = Omit<Prisma.InsightSnapshotCreateManyInput, "userId" | "taskId">;
type AnalysisRow = Omit<Prisma.WebsiteAnalysisCreateManyInput, "userId" | "taskId" | "websiteId"> & {
  withWebsite: boolean;
};

/** The rows a task's runs wrote, in the order they were written. */
interface Written {
  snapshots: SnapshotRow[];
  analyses: AnalysisRow[];
}

/** Transient trouble: a retryable failure, mostly gone by the retry 30 s later. */
interface RandomFailure {
  category: FailureCategory;
  message: string;
  status?: number;
  retryAfterMs?: number;
  /** A timeout takes its full length. */
  durationMs?: number;
}

/** One of the list, by a roll in [0, 1). */
function pick<T>(list: readonly T[], roll: number): T {
  return list[Math.min(list.length - 1, Math.floor(roll * list.length))]!;
}

/** failureOf (executors/deps.ts): the result an IntegrationError leaves on the run. */
function failureResult(failure: RandomFailure): Prisma.InputJsonValue | undefined {
  if (failure.retryAfterMs !== undefined) return { retryAfterMs: failure.retryAfterMs, status: failure.status ?? null };
  return failure.status !== undefined ? { status: failure.status } : undefined;
}

/** executors/oauth-token.ts: checks the token; refreshes a short-lived one; an expired WordPress token needs its user. */
function tokenCheckExecutor(platform: Platform, failureRate: number, wordpressExpiry: Date | null): Executor {
  const api = TOKEN_API[platform];
  const transient: RandomFailure[] = [
    { category: "NETWORK_ERROR", message: `${api}: timed out after 15000 ms`, durationMs: 15_000 },
    { category: "NETWORK_ERROR", message: `${api}: read ECONNRESET` },
    { category: "NETWORK_ERROR", message: `${api}: HTTP 503 Service Unavailable`, status: 503 },
  ];
  return ({ due }, r) => {
    const roll = r();
    const which = r();
    const durationMs = between(r, [120, 900]);
    if (wordpressExpiry && due >= wordpressExpiry) {
      return {
        durationMs,
        finish: () => ({
          ok: false,
          failure: {
            category: "AUTH_ERROR",
            retryable: false,
            message: `The ${PLATFORM_NAMES[platform]} token expired and cannot be refreshed: reconnect ${PLATFORM_NAMES[platform]} to continue`,
          },
          result: { outcome: "expired", platform },
        }),
      };
    }
    if (roll < failureRate) {
      const failure = pick(transient, which);
      return {
        durationMs: failure.durationMs ? failure.durationMs + (durationMs % 40) : durationMs,
        finish: () => ({
          ok: false,
          failure: { category: failure.category, message: failure.message, retryable: true },
          result: { outcome: "check_failed", ...(failure.status ? { status: failure.status } : {}) },
        }),
      };
    }
    return {
      durationMs,
      finish: (finishedAt) => {
        if (wordpressExpiry) {
          // WordPress.com tokens cannot be renewed without the user: the check warns a week ahead.
          const outcome = wordpressExpiry.getTime() - finishedAt.getTime() < 7 * DAY ? "expiring_soon" : "valid";
          return { ok: true, result: { outcome, platform, expiresAt: wordpressExpiry.toISOString() } };
        }
        // Short-lived access tokens always expire within the refresh window: each check refreshes.
        return {
          ok: true,
          result: {
            outcome: "refreshed",
            platform,
            reason: "expiring soon",
            expiresAt: new Date(finishedAt.getTime() + ACCESS_TTL_MS[platform]).toISOString(),
          },
        };
      },
    };
  };
}

/**
 * executors/insights.ts: the last 28 days of the connection's site, stored as a snapshot named by the
 * run's result; the numbers are what the local provider answers from the same search model then.
 */
function insightsExecutor(
  platform: "GSC" | "BING",
  siteUrl: string,
  model: SearchModel,
  failureRate: number,
  written: Written,
  story: {
    from: Date;
    failure: (finishedAt: Date) => SeedFailure;
    durationMs: readonly [number, number];
    result?: Prisma.InputJsonValue;
  } | null,
): Executor {
  const transient: RandomFailure[] =
    platform === "GSC"
      ? [
          {
            category: "NETWORK_ERROR",
            message: "Search Console: HTTP 503 The service is currently unavailable.",
            status: 503,
          },
          {
            category: "API_LIMIT",
            message:
              "Search Console: HTTP 429 Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'",
            status: 429,
            retryAfterMs: 60_000,
          },
          { category: "NETWORK_ERROR", message: "Search Console: read ECONNRESET" },
          { category: "NETWORK_ERROR", message: "Search Console: timed out after 30000 ms", durationMs: 30_000 },
        ]
      : [
          {
            category: "NETWORK_ERROR",
            message: "Bing Webmaster: HTTP 500 InternalError: an unexpected error occurred",
            status: 500,
          },
          {
            category: "API_LIMIT",
            message: "Bing Webmaster: HTTP 429 ThrottleUser: too many requests, retry after 60 s",
            status: 429,
            retryAfterMs: 60_000,
          },
          { category: "NETWORK_ERROR", message: "Bing Webmaster: timed out after 30000 ms", durationMs: 30_000 },
        ];
  return ({ due, startedAt }, r) => {
    const roll = r();
    const which = r();
    const spread = r();
    const durationMs = between(() => spread, [800, 5200]);
    if (story && inStory(story, due)) {
      return {
        durationMs: between(() => spread, story.durationMs),
        finish: (finishedAt) => ({ ok: false, failure: story.failure(finishedAt), result: story.result }),
      };
    }
    if (roll < failureRate) {
      const failure = pick(transient, which);
      return {
        durationMs: failure.durationMs ? failure.durationMs + (durationMs % 90) : durationMs,
        finish: () => ({
          ok: false,
          failure: {
            category: failure.category,
            message: failure.message,
            retryable: true,
            retryAfterMs: failure.retryAfterMs ?? null,
          },
          result: failureResult(failure),
        }),
      };
    }
    return {
      durationMs,
      finish: (finishedAt) => {
        const endDate = subDays(startedAt, 1);
        const startDate = subDays(endDate, 27);
        const summary =
          platform === "GSC"
            ? searchConsoleSummary(
                model,
                siteUrl,
                { startDate: format(startDate, "yyyy-MM-dd"), endDate: format(endDate, "yyyy-MM-dd") },
                startedAt,
              )
            : bingSummary(model, siteUrl, startedAt);
        const id = rowId();
        written.snapshots.push({
          id,
          platform,
          siteUrl,
          startDate,
          endDate,
          clicks: summary.clicks,
          impressions: summary.impressions,
          ctr: summary.ctr,
          position: summary.position,
          topQueries: summary.topQueries as unknown as Prisma.InputJsonValue,
          topPages: summary.topPages as unknown as Prisma.InputJsonValue,
          dataSource: "api",
          fetchedAt: finishedAt,
        });
        return {
          ok: true,
          dataSource: "api",
          result: {
            snapshotId: id,
            siteUrl,
            startDate: format(startDate, "yyyy-MM-dd"),
            endDate: format(endDate, "yyyy-MM-dd"),
            clicks: summary.clicks,
            impressions: summary.impressions,
            ctr: Math.round(summary.ctr * 10_000) / 10_000,
            position: Math.round(summary.position * 10) / 10,
            topQuery: summary.topQueries[0]?.key ?? null,
          },
        };
      },
    };
  };
}

/** A page as analyzeHtml would read it. */
function page(
  p: Partial<Omit<PageAnalysis, "headings">> & { headings?: Partial<PageAnalysis["headings"]> },
): PageAnalysis {
  return {
    title: null,
    metaDescription: null,
    canonical: null,
    robots: null,
    lang: null,
    wordCount: 0,
    internalLinks: 0,
    externalLinks: 0,
    images: 0,
    imagesWithoutAlt: 0,
    openGraph: {},
    structuredData: { jsonLd: 0, microdata: 0 },
    ...p,
    headings: { h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], ...p.headings },
  };
}

/** A website over the demo's weeks: its page as it changed (oldest first), its speed and its robots.txt and sitemap. */
interface SiteModel {
  versions: { until: Date | null; page: PageAnalysis }[];
  ttfbMs: readonly [number, number];
  transferMs: readonly [number, number];
  /** robots.txt, sitemap and parsing, after the page itself. */
  overheadMs: readonly [number, number];
  checks: Pick<SiteChecks, "robotsTxt" | "sitemap">;
  /** While the site is down: the local provider still serves robots.txt and the sitemap; a real host does not. */
  downChecks: Pick<SiteChecks, "robotsTxt" | "sitemap">;
}

type SiteKind = "shop" | "blog" | "competitor" | "broken";

function siteModel(kind: SiteKind, url: string, now: Date, sample: boolean): SiteModel {
  const origin = new URL(url).origin;
  const canonical = sample ? new URL(url).pathname : url;
  const local = { ttfbMs: [2, 25], transferMs: [3, 40], overheadMs: [8, 60] } as const;
  const sitemapUrls: Record<SiteKind, number> = { shop: 64, blog: 23, competitor: 212, broken: 0 };
  const checks: SiteModel["checks"] =
    sample || sitemapUrls[kind] > 0
      ? {
          robotsTxt: { found: true, sitemaps: [`${origin}/sitemap.xml`], disallowsAll: false },
          sitemap: { found: true, urls: sample ? 7 : sitemapUrls[kind] },
        }
      : { robotsTxt: { found: true, sitemaps: [], disallowsAll: false }, sitemap: { found: false, urls: 0 } };
  const downChecks: SiteModel["downChecks"] = sample
    ? checks
    : { robotsTxt: { found: false, sitemaps: [], disallowsAll: false }, sitemap: { found: false, urls: 0 } };
  const ago = (days: number) => subDays(now, days);
  switch (kind) {
    case "shop": {
      // The sample shop as it is served today, less an image's alt text; earlier, less of it.
      const today = page({
        title: "Example Shop – Handmade ceramics, shipped worldwide",
        metaDescription:
          "Handmade ceramics from a small studio: mugs, bowls and vases, glazed by hand and shipped worldwide within three days.",
        canonical,
        robots: "index, follow",
        lang: "en",
        headings: { h1: ["Handmade ceramics"], h2: ["Mugs", "Bowls"], h3: ["Care"] },
        wordCount: 822,
        internalLinks: 2,
        externalLinks: 1,
        images: 3,
        imagesWithoutAlt: 1,
        openGraph: { title: "Example Shop", description: "Handmade ceramics", image: `${canonical}og.png` },
        structuredData: { jsonLd: 1, microdata: 0 },
      });
      const beforeCare = { ...today, headings: { ...today.headings, h3: [] }, wordCount: 737 };
      return {
        versions: [
          {
            until: ago(12),
            page: {
              ...beforeCare,
              metaDescription: null,
              imagesWithoutAlt: 2,
              structuredData: { jsonLd: 0, microdata: 0 },
            },
          },
          { until: ago(5), page: beforeCare },
          { until: null, page: today },
        ],
        ...(sample ? local : { ttfbMs: [90, 320], transferMs: [60, 420], overheadMs: [150, 700] }),
        checks,
        downChecks,
      };
    }
    case "blog": {
      // The neglected sample blog; someone set it to noindex (when its search traffic starts to fall).
      const today = page({
        title: "Blog",
        robots: "noindex",
        headings: { h1: ["Welcome", "Latest posts"] },
        wordCount: 123,
        internalLinks: 1,
        externalLinks: 2,
        images: 3,
        imagesWithoutAlt: 3,
      });
      return {
        versions: [
          { until: BLOG_NOINDEX_AT, page: { ...today, robots: null } },
          { until: null, page: today },
        ],
        ...(sample ? local : { ttfbMs: [180, 700], transferMs: [40, 300], overheadMs: [200, 900] }),
        checks,
        downChecks,
      };
    }
    case "competitor": {
      const today = page({
        title: "Competitor Co – Ceramics and tableware",
        metaDescription: "Ceramics and tableware at fair prices.",
        lang: "en",
        headings: { h1: ["Ceramics and tableware"], h2: ["Bestsellers"] },
        wordCount: 652,
        internalLinks: 1,
        images: 1,
        openGraph: { title: "Competitor Co" },
      });
      return {
        versions: [
          {
            until: ago(8),
            page: {
              ...today,
              title: "Competitor Co – Tableware",
              headings: { ...today.headings, h2: [] },
              wordCount: 540,
            },
          },
          { until: null, page: today },
        ],
        ...(sample ? local : { ttfbMs: [140, 520], transferMs: [80, 600], overheadMs: [150, 800] }),
        checks,
        downChecks,
      };
    }
    case "broken":
      // Before it went down: a decent site, slow to answer now and then.
      return {
        versions: [
          {
            until: null,
            page: page({
              title: "Stoneworks – Stoneware and kitchen ceramics",
              metaDescription:
                "Stoneware plates, bowls and bakeware, fired in small batches and sold direct from the workshop.",
              canonical,
              lang: "en",
              headings: { h1: ["Stoneware for everyday cooking"], h2: ["Plates", "Bowls", "Bakeware"] },
              wordCount: 964,
              internalLinks: 14,
              externalLinks: 3,
              images: 6,
              imagesWithoutAlt: 1,
              openGraph: { title: "Stoneworks", image: `${canonical}og.jpg` },
            }),
          },
        ],
        ...(sample ? local : { ttfbMs: [450, 1750], transferMs: [100, 900], overheadMs: [200, 1000] }),
        checks,
        downChecks,
      };
  }
}

/** The pages a site that is down answers with. */
const ERROR_PAGES: Record<502 | 503, PageAnalysis> = {
  502: page({ title: "502 Bad Gateway", headings: { h1: ["502 Bad Gateway"] }, wordCount: 5 }),
  503: page({ title: "Service unavailable", headings: { h1: ["Down for maintenance"] }, wordCount: 3 }),
};

/**
 * executors/website-analysis.ts: fetches and analyses the page, scores it and stores the analysis
 * with its change from the previous successful one. A fetch failure stores an analysis with only the
 * error; an error status stores the full analysis with the error and fails the run.
 */
function websiteExecutor(
  url: string,
  role: WebsiteRole,
  model: SiteModel,
  failureRate: number,
  written: Written,
  /** `refusing`: the address a refused connection names (null: the site's server still answers, with errors). */
  story: { from: Date; refusing: string | null } | null,
): Executor {
  let previous: PreviousAnalysis | null = null;
  let storyDueTimes = 0;
  const transient: RandomFailure[] = [
    { category: "NETWORK_ERROR", message: `fetching ${url}: read ECONNRESET` },
    { category: "NETWORK_ERROR", message: `fetching ${url}: socket hang up` },
    { category: "NETWORK_ERROR", message: `fetching ${url}: timed out after 15000 ms`, durationMs: 15_000 },
  ];
  const fetchFailure = (message: string, finishedAt: Date): Outcome => {
    written.analyses.push({ url, role, analyzedAt: finishedAt, error: message.slice(0, 500), withWebsite: false });
    return { ok: false, failure: { category: "NETWORK_ERROR", message, retryable: true } };
  };
  const analyse = (
    pageNow: PageAnalysis,
    status: number,
    ttfbMs: number,
    responseTimeMs: number,
    checks: SiteModel["checks"],
    finishedAt: Date,
  ): Outcome => {
    const score = seoScore(pageNow, { status, ttfbMs, https: url.startsWith("https:"), ...checks });
    const details = analysisDetails(
      pageNow,
      checks,
      score,
      { redirects: [], truncated: false, responseTimeMs },
      previous,
    );
    const { change } = details;
    const failed = status >= 400;
    written.analyses.push({
      url,
      role,
      statusCode: status,
      responseTimeMs,
      ttfbMs,
      finalUrl: url,
      title: pageNow.title,
      metaDescription: pageNow.metaDescription,
      headings: pageNow.headings,
      internalLinks: pageNow.internalLinks,
      externalLinks: pageNow.externalLinks,
      images: pageNow.images,
      imagesWithoutAlt: pageNow.imagesWithoutAlt,
      wordCount: pageNow.wordCount,
      seoScore: score.score,
      details: details as unknown as Prisma.InputJsonValue,
      error: failed ? `HTTP ${status}` : null,
      analyzedAt: finishedAt,
      withWebsite: true,
    });
    const result = {
      url,
      finalUrl: url,
      statusCode: status,
      seoScore: score.score,
      wordCount: pageNow.wordCount,
      title: pageNow.title,
      ttfbMs,
      responseTimeMs,
      change,
    };
    if (failed)
      return {
        ok: false,
        failure: {
          category: status >= 500 ? "NETWORK_ERROR" : "CONFIG_ERROR",
          message: `${url} answered HTTP ${status}`,
          retryable: status >= 500,
        },
        result,
      };
    previous = {
      seoScore: score.score,
      wordCount: pageNow.wordCount,
      title: pageNow.title,
      responseTimeMs,
      analyzedAt: finishedAt,
    };
    return { ok: true, result };
  };
  return ({ due, startedAt, attempt }, r) => {
    const roll = r();
    const which = r();
    const ttfbMs = between(r, model.ttfbMs);
    const responseTimeMs = ttfbMs + between(r, model.transferMs);
    const overheadMs = between(r, model.overheadMs);
    if (story && inStory(story, due)) {
      // Down: refusing connections, then its proxy answering 502, then a maintenance page (503).
      if (attempt === 1) storyDueTimes++;
      const step = storyDueTimes + (story.refusing ? 0 : 1);
      if (step === 1) {
        return {
          durationMs: 2 + (overheadMs % 40),
          finish: (finishedAt) => fetchFailure(`fetching ${url}: connect ECONNREFUSED ${story.refusing}`, finishedAt),
        };
      }
      const status = step === 2 ? 502 : 503;
      return {
        durationMs: responseTimeMs + overheadMs,
        finish: (finishedAt) =>
          analyse(ERROR_PAGES[status], status, ttfbMs, responseTimeMs, model.downChecks, finishedAt),
      };
    }
    if (roll < failureRate) {
      const failure = pick(transient, which);
      return {
        durationMs: failure.durationMs ? failure.durationMs + (overheadMs % 50) : 20 + (responseTimeMs % 400),
        finish: (finishedAt) => fetchFailure(failure.message, finishedAt),
      };
    }
    const version = model.versions.find((v) => v.until === null || startedAt < v.until) ?? model.versions.at(-1)!;
    return {
      durationMs: responseTimeMs + overheadMs,
      finish: (finishedAt) => analyse(version.page, 200, ttfbMs, responseTimeMs, model.checks, finishedAt),
    };
  };
}

// ─── The demo's users, their sites and their tasks ────────────────────────────────────────────────

interface TaskPlan {
  type: TaskType;
  dedupeKey: string;
  platform?: Platform;
  websiteUrl?: string;
  websiteRole?: WebsiteRole;
  frequencyMinutes: number;
  /** The user paused the task then (an audit entry records it). */
  pausedAt?: Date;
  /** The task's story starts on a due time exactly then (see anchoredFirstDue). */
  storyFrom?: Date;
  executor: (written: Written) => Executor;
}

interface UserPlan {
  email: string;
  password: string;
  name: string;
  role: Role;
  platforms: Platform[];
  site: string;
  /** The Search Console / Bing property (a public URL even when the analysed site is a local sample). */
  searchProperty: string;
  competitors: string[];
  /** The user's WordPress token expired then (it cannot be refreshed). */
  wordpressExpiry?: Date;
  tasks: TaskPlan[];
}

/** What provisioning gives a new connection's token check: TOKEN_CHECK_INTERVAL_DAYS at its default. */
const TOKEN_CHECK_MINUTES = integrationSettings(integrationsEnvSchema.parse({}), null).tokenCheckMinutes;

/** A task as provisioning creates it (its key and default interval), with the demo's executor and story. */
const oauthTask = (
  platform: Platform,
  extra: { pausedAt?: Date; wordpressExpiry?: Date; storyFrom?: Date } = {},
): TaskPlan => ({
  type: "OAUTH_TOKEN_MONITORING",
  dedupeKey: dedupeKeys.oauth(platform),
  platform,
  frequencyMinutes: TOKEN_CHECK_MINUTES,
  pausedAt: extra.pausedAt,
  storyFrom: extra.storyFrom,
  executor: () => tokenCheckExecutor(platform, 0.02, extra.wordpressExpiry ?? null),
});

const insightsTask = (platform: "GSC" | "BING", executor: TaskPlan["executor"], storyFrom?: Date): TaskPlan => {
  const type = platform === "GSC" ? "GSC_INSIGHTS" : "BING_INSIGHTS";
  return {
    type,
    dedupeKey: dedupeKeys.insights(platform),
    platform,
    frequencyMinutes: FREQUENCY_MINUTES[type],
    storyFrom,
    executor,
  };
};

const websiteTask = (url: string, role: WebsiteRole, executor: TaskPlan["executor"], storyFrom?: Date): TaskPlan => ({
  type: "WEBSITE_ANALYSIS",
  dedupeKey: dedupeKeys.website(url),
  websiteUrl: url,
  websiteRole: role,
  frequencyMinutes: FREQUENCY_MINUTES.WEBSITE_ANALYSIS,
  storyFrom,
  executor,
});

/** A demo property's search model (dev/provider/search-model.ts: the local provider serves the same). */
function searchModel(property: string, platform: "GSC" | "BING"): SearchModel {
  const model = demoSearchModel(property, platform);
  if (!model) throw new Error(`seed: no search model for ${platform} ${property}`);
  return model;
}

// ─── Writing it all ───────────────────────────────────────────────────────────────────────────────

type LogRow = Prisma.ExecutionLogCreateManyInput & {
  startedAt: Date;
  finishedAt: Date;
  taskId: string;
  userId: string;
  status: ExecutionStatus;
  durationMs: number;
};
type EventRow = Prisma.SchedulerEventCreateManyInput & { occurredAt: Date };

/** createMany in slices, well under both engines' limits on bound parameters. */
async function insertAll<T>(rows: T[], write: (slice: T[]) => Promise<unknown>, size = 400) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

export async function seedDemoData(db: Db, options: SeedOptions) {
  const existing = await db.user.findUnique({ where: { email: options.admin.email }, select: { id: true } });
  if (existing) return { seeded: false as const };

  const now = options.now ?? new Date();
  const days = options.days ?? 21;
  const start = startOfHour(subDays(now, days));
  const todayUtc = new Date(Math.floor(now.getTime() / DAY) * DAY);

  const sample = (name: string, fallback: string) =>
    options.sampleSitesOrigin ? `${options.sampleSitesOrigin}/sites/${name}/` : fallback;
  const isSample = Boolean(options.sampleSitesOrigin);
  const sites = {
    admin: sample("blog", "https://admin-blog.example.org/"),
    demo: sample("shop", "https://www.example.com/"),
    competitorOne: sample("competitor", "https://competitor-one.example/"),
    competitorTwo: sample("broken", "https://competitor-two.example/"), // down: the demo shows real failures too
  };
  const website = (kind: SiteKind, url: string, role: WebsiteRole, failureRate: number, storyFrom?: Date) =>
    websiteTask(
      url,
      role,
      // The local provider's sample site answers 503; a public one was first not reachable at all.
      (written) =>
        websiteExecutor(
          url,
          role,
          siteModel(kind, url, now, isSample),
          failureRate,
          written,
          storyFrom ? { from: storyFrom, refusing: isSample ? null : "203.0.113.42:443" } : null,
        ),
      storyFrom,
    );
  const insights = (platform: "GSC" | "BING", property: string, story?: Parameters<typeof insightsExecutor>[5]) =>
    insightsTask(
      platform,
      (written) => insightsExecutor(platform, property, searchModel(property, platform), 0.06, written, story ?? null),
      story?.from,
    );

  // The stories, told backwards from now on the tasks' own rhythms (a token check a week, insights and analyses daily).
  // WordPress's token expired two days ago; its weekly check came due since, and was refused.
  const wordpressExpiry = subDays(now, 2);
  const wordpressRefusedFrom = new Date(wordpressExpiry.getTime() + 18 * HOUR);
  // Bing's daily quota was used up when its insights came due, three days running, the last time today
  // (UTC, halfway between midnight and now): cooled off until the quota's next reset at midnight.
  const bingQuotaFrom = new Date(todayUtc.getTime() - 2 * DAY + Math.floor((now.getTime() - todayUtc.getTime()) / 2));
  // The second competitor went down a little over two days ago: three daily due times failed, the last
  // a few hours ago, and the 6 h cool-off has not run out yet. Likewise the viewer's Search Console.
  const brokenFrom = new Date(now.getTime() - 2 * DAY - 3 * HOUR);
  const viewerOutageFrom = new Date(now.getTime() - 2 * DAY - 4 * HOUR);
  const wixPausedAt = subDays(now, 5);

  // The viewer's own tableware shop (the sample competitor's pages, in the offline demo).
  const viewerSite = sample("competitor", DEMO_PROPERTIES.tableware);
  const viewerPlan: UserPlan[] = options.viewer
    ? [
        {
          email: options.viewer.email,
          password: options.viewer.password,
          name: "Read-only Viewer",
          role: "VIEWER",
          platforms: ["GSC"],
          site: viewerSite,
          searchProperty: DEMO_PROPERTIES.tableware,
          competitors: [],
          tasks: [
            oauthTask("GSC"),
            insights("GSC", DEMO_PROPERTIES.tableware, {
              from: viewerOutageFrom,
              durationMs: [10_020, 10_400],
              failure: () => ({
                category: "NETWORK_ERROR",
                retryable: true,
                message:
                  "Search Console: Connect Timeout Error (attempted address: searchconsole.googleapis.com:443, timeout: 10000ms)",
              }),
            }),
            // Its website has its analysis task, as adding it would have created (Connections, Platforms and the overview agree).
            website("competitor", viewerSite, "OWN", 0.04),
          ],
        },
      ]
    : [];
  const users: UserPlan[] = [
    ...viewerPlan,
    {
      email: options.admin.email,
      password: options.admin.password,
      name: "Admin",
      role: "ADMIN",
      platforms: ["GSC", "WIX"],
      site: sites.admin,
      searchProperty: DEMO_PROPERTIES.blog,
      competitors: [],
      tasks: [
        oauthTask("GSC"),
        oauthTask("WIX"),
        // The blog was set to noindex (BLOG_NOINDEX_AT): its search traffic is falling away.
        insights("GSC", DEMO_PROPERTIES.blog),
        website("blog", sites.admin, "OWN", 0.04),
      ],
    },
    {
      email: options.demo.email,
      password: options.demo.password,
      name: "Demo User",
      role: "USER",
      platforms: ["GSC", "BING", "WORDPRESS", "WIX"],
      site: sites.demo,
      searchProperty: DEMO_PROPERTIES.shop,
      competitors: [sites.competitorOne, sites.competitorTwo],
      wordpressExpiry,
      tasks: [
        oauthTask("GSC"),
        oauthTask("BING"),
        oauthTask("WORDPRESS", { wordpressExpiry, storyFrom: wordpressRefusedFrom }),
        oauthTask("WIX", { pausedAt: wixPausedAt }),
        // The shop's clicks climb through the gift season (every year from mid-November).
        insights("GSC", DEMO_PROPERTIES.shop),
        insights("BING", DEMO_PROPERTIES.shop, {
          from: bingQuotaFrom,
          durationMs: [140, 480],
          failure: (finishedAt) => ({
            category: "API_LIMIT",
            retryable: false,
            message: BING_DAILY_QUOTA,
            resumeAt: nextUtcMidnight(finishedAt),
          }),
          result: { status: 429 },
        }),
        website("shop", sites.demo, "OWN", 0.04),
        website("competitor", sites.competitorOne, "COMPETITOR", 0.04),
        website("broken", sites.competitorTwo, "COMPETITOR", 0.12, brokenFrom),
      ],
    },
  ];

  const logs: LogRow[] = [];
  const jobEvents: (EventRow & { startedAt: Date })[] = [];
  const taskEvents: EventRow[] = [];
  const snapshots: Prisma.InsightSnapshotCreateManyInput[] = [];
  const analyses: Prisma.WebsiteAnalysisCreateManyInput[] = [];

  for (const plan of users) {
    // Each task's history first: the connections and tasks are written as it left them.
    const simulated = plan.tasks.map((taskPlan, index) => {
      const timing = {
        seed: hash(`${plan.name}|${taskPlan.type}|${index}`),
        firstDue: addMinutes(start, (index * 17) % taskPlan.frequencyMinutes),
        frequencyMinutes: taskPlan.frequencyMinutes,
      };
      const firstDue = taskPlan.storyFrom
        ? anchoredFirstDue(
            { ...timing, executor: taskPlan.executor({ snapshots: [], analyses: [] }) },
            taskPlan.storyFrom,
          )
        : timing.firstDue;
      const written: Written = { snapshots: [], analyses: [] };
      const sim = simulate({
        ...timing,
        firstDue,
        until: now,
        pausedAt: taskPlan.pausedAt,
        executor: taskPlan.executor(written),
      });
      return { taskPlan, sim, written };
    });

    const user = await db.user.create({
      data: {
        email: plan.email,
        name: plan.name,
        role: plan.role,
        passwordHash: await hashPassword(plan.password),
        createdAt: start,
      },
    });
    const connections = new Map<Platform, string>();
    for (const platform of plan.platforms) {
      const expired = platform === "WORDPRESS" && plan.wordpressExpiry !== undefined;
      const checks =
        simulated.find((s) => s.taskPlan.type === "OAUTH_TOKEN_MONITORING" && s.taskPlan.platform === platform)?.sim
          .runs ?? [];
      const refused = checks.filter((run) => !run.outcome.ok && run.outcome.failure.category === "AUTH_ERROR");
      const tokenExpiresAt = expired ? plan.wordpressExpiry! : addMinutes(now, 50);
      const connection = await db.platformConnection.create({
        data: {
          userId: user.id,
          platform,
          status: refused.length ? "EXPIRED" : "CONNECTED",
          accountLabel: `${plan.name} (${platform})`,
          siteUrls: platform === "GSC" || platform === "BING" ? [plan.searchProperty] : [],
          selectedSiteUrl: platform === "GSC" || platform === "BING" ? plan.searchProperty : null,
          // Tokens in the local provider's format, so the offline demo's checks really succeed (or, for
          // the expired WordPress connection, really fail); a real platform would refuse them.
          accessTokenEnc: encryptToken(
            mintToken({ platform, kind: "access", sub: plan.email, exp: Math.floor(tokenExpiresAt.getTime() / 1000) }),
            options.keyring,
          ),
          // WordPress.com issues no refresh tokens.
          refreshTokenEnc:
            platform === "WORDPRESS"
              ? null
              : encryptToken(
                  mintToken({
                    platform,
                    kind: "refresh",
                    sub: plan.email,
                    exp: Math.floor(addMinutes(now, 180 * 24 * 60).getTime() / 1000),
                  }),
                  options.keyring,
                ),
          tokenExpiresAt,
          // The token task's last check, whatever it found.
          lastCheckedAt: checks.at(-1)?.finishedAt ?? null,
          lastError: refused.length ? WORDPRESS_REFUSAL : null,
          connectedAt: start,
          createdAt: start,
        },
      });
      connections.set(platform, connection.id);
      const firstRefusal = refused[0];
      if (firstRefusal) {
        // What markNeedsUser (executors/deps.ts) raised then: one alert, not repeated by the checks after it.
        await raiseReconnect(
          db,
          { id: connection.id, userId: user.id, platform },
          WORDPRESS_REFUSAL,
          firstRefusal.finishedAt,
        );
      }
    }
    const websites = new Map<string, string>();
    for (const [url, role] of [[plan.site, "OWN"], ...plan.competitors.map((c) => [c, "COMPETITOR"])] as [
      string,
      WebsiteRole,
    ][]) {
      const row = await db.website.create({ data: { userId: user.id, url, role, createdAt: start } });
      websites.set(url, row.id);
    }

    for (const { taskPlan, sim, written } of simulated) {
      const { state } = sim;
      const websiteId = taskPlan.websiteUrl ? (websites.get(taskPlan.websiteUrl) ?? null) : null;
      const task = await db.task.create({
        data: {
          userId: user.id,
          type: taskPlan.type,
          dedupeKey: taskPlan.dedupeKey,
          platform: taskPlan.platform ?? null,
          connectionId: taskPlan.platform ? (connections.get(taskPlan.platform) ?? null) : null,
          websiteUrl: taskPlan.websiteUrl ?? null,
          websiteRole: taskPlan.websiteRole ?? null,
          websiteId,
          frequencyMinutes: taskPlan.frequencyMinutes,
          status: taskPlan.pausedAt ? "PAUSED" : state.status,
          // A paused task keeps its due time; resuming makes it due at once.
          nextRunAt: state.nextRunAt,
          lastRunAt: state.lastRunAt,
          lastSuccessAt: state.lastSuccessAt,
          lastFailureAt: state.lastFailureAt,
          lastOutcome: state.lastOutcome,
          failureReason: state.failureReason,
          failureCategory: state.failureCategory,
          consecutiveFailures: state.consecutiveFailures,
          failurePattern: state.failurePattern ? (state.failurePattern as unknown as Prisma.InputJsonValue) : undefined,
          failureHistory: state.failureHistory ? (state.failureHistory as unknown as Prisma.InputJsonValue) : undefined,
          coolOffUntil: state.coolOffUntil,
          coolOffCount: state.coolOffCount,
          attempt: state.attempt,
          runCount: state.runCount,
          createdAt: start,
        },
      });
      if (taskPlan.pausedAt) {
        await db.auditLog.create({
          data: {
            actorId: user.id,
            action: "PAUSE",
            taskId: task.id,
            targetType: "Task",
            targetId: task.id,
            details: { from: state.status, to: "PAUSED" },
            createdAt: taskPlan.pausedAt,
          },
        });
      }
      for (const run of sim.runs) {
        const { outcome } = run;
        const status: ExecutionStatus = outcome.ok ? "SUCCESS" : "FAILED";
        logs.push({
          taskId: task.id,
          userId: user.id,
          taskType: taskPlan.type,
          status,
          trigger: "SCHEDULED",
          attempt: run.attempt,
          scheduledFor: run.due,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
          durationMs: run.durationMs,
          result: outcome.result,
          errorMessage: outcome.ok ? null : outcome.failure.message,
          errorCategory: outcome.ok ? null : outcome.failure.category,
          retryable: outcome.ok ? null : outcome.failure.retryable,
          dataSource: outcome.ok ? (outcome.dataSource ?? null) : null,
          workerId: WORKER_ID,
        });
        jobEvents.push({
          type: outcome.ok ? "JOB_COMPLETED" : "JOB_FAILED",
          runStatus: status,
          occurredAt: run.finishedAt,
          userId: user.id,
          taskId: task.id,
          workerId: WORKER_ID,
          jobKind: "RECURRING",
          durationMs: run.durationMs,
          errorMessage: outcome.ok ? null : outcome.failure.message.slice(0, 1000),
          data: { taskType: taskPlan.type, trigger: "SCHEDULED", attempt: run.attempt },
          startedAt: run.startedAt,
        });
      }
      for (const event of sim.events) {
        taskEvents.push({
          type: event.type,
          occurredAt: event.occurredAt,
          userId: user.id,
          taskId: task.id,
          workerId: WORKER_ID,
          errorMessage: event.errorMessage,
          data: event.data,
        });
      }
      for (const snapshot of written.snapshots) snapshots.push({ ...snapshot, userId: user.id, taskId: task.id });
      for (const { withWebsite, ...analysis } of written.analyses) {
        // A fetch failure's analysis names no website (as the executor writes it); the others do.
        analyses.push({ ...analysis, userId: user.id, taskId: task.id, ...(withWebsite ? { websiteId } : {}) });
      }
    }
  }

  // The runs in the order the engine opened them, so their ids follow their start times.
  logs.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  await insertAll(logs, (data) => db.executionLog.createMany({ data }));
  const logIds = new Map(
    (
      await db.executionLog.findMany({
        where: { workerId: WORKER_ID },
        select: { id: true, taskId: true, startedAt: true },
      })
    ).map((l) => [`${l.taskId}|${l.startedAt.getTime()}`, l.id]),
  );
  await insertAll(snapshots, (data) => db.insightSnapshot.createMany({ data }));
  await insertAll(analyses, (data) => db.websiteAnalysis.createMany({ data }));

  // Check cycles: one per wake-up that claimed due work (the runs that started together).
  const claims = new Map<number, LogRow[]>();
  for (const log of logs) claims.set(log.startedAt.getTime(), [...(claims.get(log.startedAt.getTime()) ?? []), log]);
  const cycles: EventRow[] = [...claims.entries()].map(([at, claimed], i) => {
    const byType: Partial<Record<TaskType, number>> = {};
    for (const log of claimed) byType[log.taskType] = (byType[log.taskType] ?? 0) + 1;
    const succeeded = claimed.filter((l) => l.status === "SUCCESS").length;
    return {
      type: "CHECK_CYCLE",
      occurredAt: new Date(at),
      workerId: WORKER_ID,
      cycleNumber: i + 1,
      checkIntervalMs: CONFIG.pollMs,
      tasksFound: claimed.length,
      tasksExecuted: claimed.length,
      tasksFailed: claimed.length - succeeded,
      tasksSkipped: 0,
      tasksByType: byType,
      durationMs: Math.max(...claimed.map((l) => l.durationMs)) + 3,
      activeExecutions: 0,
    };
  });

  // Every event in time order (ids and times both increase): a claim's cycle, then as its runs end
  // their job events, each followed by what it did to its task (cooled off, released).
  const rank: Partial<Record<string, number>> = {
    START: 0,
    CHECK_CYCLE: 1,
    JOB_COMPLETED: 2,
    JOB_FAILED: 2,
    TASK_COOLED_OFF: 3,
    TASK_RELEASED: 3,
  };
  const startEvent: EventRow = {
    type: "START",
    occurredAt: start,
    workerId: WORKER_ID,
    data: { note: "demo history" },
  };
  const events: EventRow[] = [
    startEvent,
    ...cycles,
    // createMany returns no ids: each job event finds its run by task and start time.
    ...jobEvents.map(({ startedAt, ...event }) => {
      const logId = logIds.get(`${event.taskId}|${startedAt.getTime()}`);
      if (logId === undefined)
        throw new Error(
          `seed: no execution log for the run of task ${event.taskId} started at ${startedAt.toISOString()}`,
        );
      return { ...event, executionLogId: logId };
    }),
    ...taskEvents,
  ]
    .map((event, order) => ({ event, order }))
    .sort(
      (a, b) =>
        a.event.occurredAt.getTime() - b.event.occurredAt.getTime() ||
        (rank[a.event.type] ?? 9) - (rank[b.event.type] ?? 9) ||
        a.order - b.order,
    )
    .map(({ event }) => event);
  await insertAll(events, (data) => db.schedulerEvent.createMany({ data }));

  // The daily rollup the dashboard reads, as the engine would have kept it.
  const rollup = new Map<string, Prisma.RunStatDailyCreateManyInput & { runs: number; totalDurationMs: bigint }>();
  for (const log of logs) {
    const day = rollupDay(log.startedAt);
    const key = `${log.userId}|${day}|${log.taskType}|${log.status}`;
    const row = rollup.get(key) ?? {
      userId: log.userId,
      day,
      taskType: log.taskType,
      status: log.status,
      runs: 0,
      totalDurationMs: BigInt(0),
    };
    row.runs += 1;
    row.totalDurationMs += BigInt(log.durationMs);
    rollup.set(key, row);
  }
  await insertAll([...rollup.values()], (data) => db.runStatDaily.createMany({ data }));

  await seedAlerts(db, options, now);

  // The cumulative counters: what the events say (the same mapping the admin's reconcile uses).
  const counters = await countersFromEvents(db);
  const lastCycle = await db.schedulerEvent.findFirst({
    where: { type: "CHECK_CYCLE" },
    orderBy: { id: "desc" },
    select: { id: true, occurredAt: true },
  });
  const stats = {
    ...counters,
    lastCheckCycleId: lastCycle?.id ?? null,
    lastCheckCycleAt: lastCycle?.occurredAt ?? null,
  };
  await db.cumulativeStats.upsert({ where: { id: 1 }, create: { id: 1, ...stats }, update: stats });
  return { seeded: true as const, users: users.length, executionLogs: logs.length, events: events.length };
}

/**
 * The alerts the history raised, and the demo user's channels. Each task the history left needing a person
 * has its "needs you" alert from when its episode began (the outbox's own function writes it). The demo user
 * gets what a new user would set up: a webhook channel to the local provider's receiver (signed with the
 * demo's known secret, so the receiver can verify it), an e-mail channel to the provider's mail sink, and
 * rules that send to both; their open alerts are queued to those channels, so the first delivery run after
 * start sends them (the receiver's page shows them), and a daily reminder follows while they last.
 */
async function seedAlerts(db: Db, options: SeedOptions, now: Date) {
  const needing = await db.task.findMany({
    where: { status: { in: ["NEEDS_INTERVENTION", "FAILED"] }, userId: { not: null } },
    select: {
      id: true,
      userId: true,
      type: true,
      platform: true,
      websiteUrl: true,
      status: true,
      failureReason: true,
      failureCategory: true,
    },
  });
  for (const task of needing) {
    // The episode began at the last cool-off that was not a failed probe's extension.
    const began = await db.schedulerEvent.findMany({
      where: { taskId: task.id, type: "TASK_COOLED_OFF" },
      orderBy: { occurredAt: "desc" },
      select: { occurredAt: true, data: true },
    });
    const start = began.find((e) => (e.data as { kind?: string } | null)?.kind === "cooled_off") ?? began[0];
    await raiseTaskNeedsYou(db, task, task, start?.occurredAt ?? now);
  }
  const demo = await db.user.findUnique({ where: { email: options.demo.email }, select: { id: true } });
  if (!demo) return;
  const channels: { id: string; digest: boolean }[] = [];
  if (options.sampleSitesOrigin)
    channels.push(
      await db.alertChannel.create({
        data: {
          userId: demo.id,
          kind: "WEBHOOK",
          name: "Demo receiver (local provider)",
          url: `${options.sampleSitesOrigin}/__receiver/webhook`,
          secretEnc: encryptToken(DEMO_WEBHOOK_SECRET, options.keyring),
          createdAt: now,
        },
      }),
    );
  channels.push(
    await db.alertChannel.create({
      data: { userId: demo.id, kind: "EMAIL", name: "My inbox", email: options.demo.email, createdAt: now },
    }),
  );
  for (const kind of ["TASK_NEEDS_INTERVENTION", "TASK_RECOVERED", "RECONNECT_REQUIRED", "TASK_LATE"]) {
    await db.alertRule.create({
      data: {
        userId: demo.id,
        kind,
        remindEveryMinutes: kind === "TASK_RECOVERED" ? null : 24 * 60,
        channels: { create: channels.map((channel) => ({ channelId: channel.id })) },
      },
    });
  }
  const open = await db.alert.findMany({ where: { userId: demo.id, resolvedAt: null } });
  for (const alert of open) {
    await queueDeliveries(
      db,
      {
        userId: demo.id,
        alertId: alert.id,
        purpose: "RAISED",
        event: alertEvent("alert.raised", alert, now),
        channels,
      },
      now,
    );
    // Told now: the daily reminder counts from here.
    await db.alert.update({ where: { id: alert.id }, data: { notifiedAt: now } });
  }
}
