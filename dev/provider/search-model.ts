/**
 * Search performance as Search Console and Bing Webmaster report it, for one property on one
 * platform: a daily series (a yearly trend, a weekly rhythm, the gift season, a traffic drop, noise)
 * split over the property's queries and pages. One model serves two readers, so they always agree:
 * the local provider answers the APIs from it (server.ts), and the demo seed writes the snapshots the
 * insights executor would have fetched from it (src/server/services/seed.ts). Everything is a pure
 * function of absolute UTC days (and, for the latest day's data still coming in, of the moment of the
 * request): a provider started minutes or weeks after the seed continues the seeded history, its
 * answers differing only by the data that has come in since.
 */

export type SearchPlatform = "GSC" | "BING";

/** A query or page path: its share of the site's clicks, its click-through rate and average position. */
export type RowModel = readonly [key: string, share: number, ctr: number, position: number];

/** A month and day of the year (1-based month), for what recurs every year. */
export type MonthDay = readonly [month: number, day: number];

export interface SearchModel {
  /** Names the model's noise: two models with different keys never share a day's numbers. */
  key: string;
  clicksPerDay: number;
  /** Relative change of daily clicks per 30 days around TREND_REFERENCE (the trend is a slow yearly wave). */
  growth: number;
  ctr: number;
  ctrPer30Days: number;
  position: number;
  positionPer30Days: number;
  /** Traffic falling away from a date (a site set to noindex): halves every `halfLifeDays`, down to `floor`. */
  drop?: { from: Date; halfLifeDays: number; floor: number };
  /** A season every year: clicks rise from `rise` to `factor` times at `peak`, hold until `fade`, and are back by `end`. */
  season?: { rise: MonthDay; peak: MonthDay; fade: MonthDay; end: MonthDay; factor: number };
  /** The named queries (their shares add up to less than 1; the long tail takes the rest). */
  queries: readonly RowModel[];
  /** The named pages, as paths under the property. */
  pages: readonly RowModel[];
  /** The long tail: more queries and page paths, each smaller than every named one. */
  tail: { queries: readonly string[]; pages: readonly string[] };
}

const DAY = 86_400_000;
const YEAR_DAYS = 365.2425;

// ─── Deterministic noise ──────────────────────────────────────────────────────────────────────────

/** A small deterministic PRNG (mulberry32), so the demo's numbers are the same on every machine. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: a string's 32-bit hash, to seed a PRNG or a day's noise. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Noise in [-1, 1] that depends only on its key: the same day reads the same in every answer. */
const noise = (key: string) => random(hash(key))() * 2 - 1;
/** A value in [0, 1) that depends only on its key. */
const unit = (key: string) => random(hash(key))();

// ─── Time ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * The trend's phase: a yearly wave that passes through this date (every year) with each model's
 * per-30-days slopes, so it is bounded however long the demo runs and reads the same to everyone.
 */
const TREND_REFERENCE = Date.UTC(2026, 10, 10);

/** Time from the trend's reference in 30-day units near it, bounded (a sine over the year) beyond. */
function drift(dayStart: number): number {
  const days = (dayStart - TREND_REFERENCE) / DAY;
  return (YEAR_DAYS / (2 * Math.PI * 30)) * Math.sin((2 * Math.PI * days) / YEAR_DAYS);
}

/** The gift season, every year: rising from mid-November, at its height in the week before Christmas, over by mid-January. */
export const giftSeason = (factor: number): NonNullable<SearchModel["season"]> => ({
  rise: [11, 15],
  peak: [12, 15],
  fade: [12, 24],
  end: [1, 12],
  factor,
});

function seasonFactor(season: NonNullable<SearchModel["season"]>, at: number): number {
  const year = new Date(at).getUTCFullYear();
  let factor = 1;
  for (const y of [year - 1, year]) {
    // A date of this season: months before the rise's belong to the next year.
    const date = ([month, day]: MonthDay) => Date.UTC(month < season.rise[0] ? y + 1 : y, month - 1, day);
    const [rise, peak, fade, end] = [date(season.rise), date(season.peak), date(season.fade), date(season.end)];
    const height = season.factor - 1;
    let f = 1;
    if (at >= rise && at < peak) f = 1 + (height * (at - rise)) / (peak - rise);
    else if (at >= peak && at < fade) f = season.factor;
    else if (at >= fade && at < end) f = season.factor - (height * (at - fade)) / (end - fade);
    factor = Math.max(factor, f);
  }
  return factor;
}

/** The UTC day (days since the epoch) of a "YYYY-MM-DD" date, or null when it is not one. */
export function dayOf(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) ? null : Math.floor(ms / DAY);
}

const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/**
 * How much of a day's data the APIs have at `askedAt`: nothing yet for today, part of yesterday (it
 * is still coming in), all of the days before.
 */
export function dataShare(day: number, askedAt: Date): number {
  const today = Math.floor(askedAt.getTime() / DAY);
  if (day >= today) return 0;
  if (day === today - 1) return 0.55 + 0.45 * ((askedAt.getTime() - today * DAY) / DAY);
  return 1;
}

// ─── One day of a property ────────────────────────────────────────────────────────────────────────

interface DayTotals {
  clicks: number;
  impressions: number;
  position: number;
}

/** The property's whole day, as if all its data were in (real numbers; the APIs round). */
function siteDay(model: SearchModel, day: number): DayTotals {
  const at = day * DAY;
  const t = drift(at);
  const weekday = new Date(at).getUTCDay();
  let clicks =
    model.clicksPerDay *
    (1 + model.growth * t) *
    (weekday === 0 || weekday === 6 ? 0.8 : 1.08) *
    (1 + 0.09 * noise(`${model.key}|c|${day}`));
  if (model.drop && at >= model.drop.from.getTime()) {
    clicks *= Math.max(model.drop.floor, 0.5 ** ((at - model.drop.from.getTime()) / (model.drop.halfLifeDays * DAY)));
  }
  if (model.season) clicks *= seasonFactor(model.season, at);
  const ctr = Math.max(0.004, model.ctr + model.ctrPer30Days * t + 0.0015 * noise(`${model.key}|r|${day}`));
  const position = Math.max(1, model.position + model.positionPer30Days * t + 0.4 * noise(`${model.key}|p|${day}`));
  return { clicks, impressions: clicks / ctr, position };
}

type Kind = "query" | "page";

interface RowSpec {
  key: string;
  share: number;
  ctr: number;
  position: number;
}

const specsCache = new WeakMap<SearchModel, Record<Kind, RowSpec[]>>();

/** The named rows and the long tail after them: the tail shares the rest, each below the smallest named row. */
function rowSpecs(model: SearchModel, kind: Kind): RowSpec[] {
  const cached = specsCache.get(model);
  if (cached) return cached[kind];
  const build = (named: readonly RowModel[], tail: readonly string[], label: string): RowSpec[] => {
    const rows: RowSpec[] = named.map(([key, share, ctr, position]) => ({ key, share, ctr, position }));
    const rest = 1 - rows.reduce((a, r) => a + r.share, 0);
    const names = tail.filter((key) => !rows.some((r) => r.key === key));
    if (rest <= 0 || names.length === 0) return rows;
    const cap = 0.8 * Math.min(...rows.map((r) => r.share));
    if (rest / names.length > cap)
      throw new Error(
        `search model ${model.key}: ${names.length} ${label} tail rows are too few for a share of ${rest.toFixed(3)}`,
      );
    // A geometric tail, as flat as it must be for its largest row to stay under the cap.
    let ratio = 0.9;
    const first = (r: number) => (rest * (1 - r)) / (1 - r ** names.length);
    while (first(ratio) > cap && ratio < 0.999) ratio += 0.002;
    const head = first(ratio);
    return [
      ...rows,
      ...names.map((key, i) => ({
        key,
        share: head * ratio ** i,
        ctr: model.ctr * (0.45 + 0.6 * unit(`${model.key}|${label}|ctr|${key}`)),
        position: model.position + 1.5 + 11 * unit(`${model.key}|${label}|pos|${key}`),
      })),
    ];
  };
  const specs = {
    query: build(model.queries, model.tail.queries, "query"),
    page: build(model.pages, model.tail.pages, "page"),
  };
  specsCache.set(model, specs);
  return specs[kind];
}

interface RowDay {
  key: string;
  clicks: number;
  impressions: number;
  position: number;
}

/**
 * A day's clicks and impressions split over the queries (or pages): each row's share, ctr and
 * position with a little noise, scaled so the rows add up to the day's totals and their average
 * position (by impressions) is the day's.
 */
function rowsOfDay(model: SearchModel, siteUrl: string, kind: Kind, day: number, totals: DayTotals): RowDay[] {
  const specs = rowSpecs(model, kind);
  const t = drift(day * DAY);
  const weights = specs.map((s) => s.share * (1 + 0.12 * noise(`${model.key}|${kind}|c|${s.key}|${day}`)));
  const weightSum = weights.reduce((a, w) => a + w, 0);
  const clicks = weights.map((w) => (totals.clicks * w) / weightSum);
  const seen = specs.map(
    (s, i) => clicks[i]! / Math.max(0.003, s.ctr * (1 + 0.08 * noise(`${model.key}|${kind}|r|${s.key}|${day}`))),
  );
  const seenSum = seen.reduce((a, v) => a + v, 0);
  const impressions = seen.map((v, i) => Math.max(clicks[i]!, (totals.impressions * v) / seenSum));
  const impressionSum = impressions.reduce((a, v) => a + v, 0);
  const raw = specs.map(
    (s) => s.position + 0.8 * model.positionPer30Days * t + 0.5 * noise(`${model.key}|${kind}|p|${s.key}|${day}`),
  );
  const shift = totals.position - raw.reduce((a, p, i) => a + p * impressions[i]!, 0) / impressionSum;
  return specs.map((s, i) => ({
    key: kind === "page" ? new URL(s.key, pageBase(siteUrl)).toString() : s.key,
    clicks: clicks[i]!,
    impressions: impressions[i]!,
    position: Math.max(1, raw[i]! + shift),
  }));
}

/** Where a property's pages live: the URL itself, or the domain of a domain property. */
function pageBase(siteUrl: string): string {
  if (siteUrl.startsWith("sc-domain:")) return `https://${siteUrl.slice("sc-domain:".length)}/`;
  try {
    return new URL(siteUrl).toString();
  } catch {
    return "https://www.example.com/";
  }
}

// ─── Search Console: the Search Analytics query ──────────────────────────────────────────────────

export type Dimension = "query" | "page" | "date" | "country" | "device";
export const DIMENSIONS: readonly Dimension[] = ["query", "page", "date", "country", "device"];

/** Searchers' countries (ISO 3166-1 alpha-3, as Search Console names them) and devices. */
const COUNTRIES: readonly (readonly [string, number])[] = [
  ["usa", 0.34],
  ["gbr", 0.16],
  ["deu", 0.09],
  ["can", 0.08],
  ["aus", 0.06],
  ["fra", 0.05],
  ["nld", 0.04],
  ["irl", 0.035],
  ["swe", 0.03],
  ["nzl", 0.025],
  ["che", 0.02],
  ["esp", 0.02],
  ["ita", 0.02],
];
const DEVICES: readonly (readonly [string, number])[] = [
  ["MOBILE", 0.55],
  ["DESKTOP", 0.41],
  ["TABLET", 0.04],
];

export interface AnalyticsRequest {
  startDate: string;
  endDate: string;
  dimensions?: readonly Dimension[];
}

/** A Search Analytics row, as the API answers it. */
export interface AnalyticsRow {
  keys?: string[];
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
}

interface Cell {
  keys: string[];
  clickShare: number;
  impressionShare: number;
  /** The row's position: the query's, else the page's, else the day's. */
  position: number | null;
  fromQuery: boolean;
}

/**
 * Search Analytics semantics: the days from startDate to endDate (those with data at `askedAt`),
 * grouped by the requested dimensions, clicks and impressions rounded, sorted by clicks. No paging
 * (the caller pages with startRow / rowLimit).
 */
export function searchAnalytics(
  model: SearchModel,
  siteUrl: string,
  request: AnalyticsRequest,
  askedAt: Date,
): AnalyticsRow[] {
  const first = dayOf(request.startDate);
  const last = dayOf(request.endDate);
  if (first === null || last === null)
    throw new RangeError("startDate and endDate must be dates in the form YYYY-MM-DD");
  if (first > last) throw new RangeError("startDate must not be after endDate");
  const dimensions = request.dimensions ?? [];
  const groups = new Map<string, { keys: string[]; clicks: number; impressions: number; weighted: number }>();
  for (let day = first; day <= last; day++) {
    const share = dataShare(day, askedAt);
    if (share === 0) continue;
    const totals = siteDay(model, day);
    const clicks = totals.clicks * share;
    const impressions = totals.impressions * share;
    let cells: Cell[] = [{ keys: [], clickShare: 1, impressionShare: 1, position: null, fromQuery: false }];
    for (const dimension of dimensions) {
      if (dimension === "date") {
        cells = cells.map((c) => ({ ...c, keys: [...c.keys, isoDay(day)] }));
      } else if (dimension === "query" || dimension === "page") {
        const rows = rowsOfDay(model, siteUrl, dimension, day, totals);
        cells = cells.flatMap((c) =>
          rows.map((r) => ({
            keys: [...c.keys, r.key],
            clickShare: (c.clickShare * r.clicks) / totals.clicks,
            impressionShare: (c.impressionShare * r.impressions) / totals.impressions,
            position: dimension === "query" || !c.fromQuery ? r.position : c.position,
            fromQuery: c.fromQuery || dimension === "query",
          })),
        );
      } else {
        const split = dimension === "country" ? COUNTRIES : DEVICES;
        cells = cells.flatMap((c) =>
          split.map(([key, s]) => ({
            ...c,
            keys: [...c.keys, key],
            clickShare: c.clickShare * s,
            impressionShare: c.impressionShare * s,
          })),
        );
      }
    }
    for (const cell of cells) {
      const id = cell.keys.join("\u0000");
      const group = groups.get(id) ?? { keys: cell.keys, clicks: 0, impressions: 0, weighted: 0 };
      group.clicks += clicks * cell.clickShare;
      group.impressions += impressions * cell.impressionShare;
      group.weighted += impressions * cell.impressionShare * (cell.position ?? totals.position);
      groups.set(id, group);
    }
  }
  return [...groups.values()]
    .map((g) => {
      const impressions = Math.round(g.impressions);
      const clicks = Math.min(impressions, Math.round(g.clicks));
      return {
        ...(dimensions.length ? { keys: g.keys } : {}),
        clicks,
        impressions,
        ctr: impressions ? clicks / impressions : 0,
        position: g.impressions ? g.weighted / g.impressions : 0,
      };
    })
    .filter((row) => row.impressions > 0)
    .sort(
      (a, b) =>
        b.clicks - a.clicks ||
        b.impressions - a.impressions ||
        (a.keys ?? []).join().localeCompare((b.keys ?? []).join()),
    );
}

/** A top row as the insights executor stores it. */
export interface SummaryRow {
  key: string;
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
}

export interface SearchSummary {
  clicks: number;
  impressions: number;
  ctr: number;
  position: number;
  topQueries: SummaryRow[];
  topPages: SummaryRow[];
}

/**
 * What fetchPerformanceSummary (src/server/integrations/search-console.ts) makes of the local
 * provider's answers: the totals, and the top queries and pages by clicks.
 */
export function searchConsoleSummary(
  model: SearchModel,
  siteUrl: string,
  range: { startDate: string; endDate: string },
  askedAt: Date,
  top = 25,
): SearchSummary {
  const [totals] = searchAnalytics(model, siteUrl, range, askedAt);
  const topRows = (dimension: "query" | "page") =>
    searchAnalytics(model, siteUrl, { ...range, dimensions: [dimension] }, askedAt)
      .slice(0, top)
      .map((r) => ({
        key: r.keys?.[0] ?? "",
        clicks: r.clicks,
        impressions: r.impressions,
        ctr: r.ctr,
        position: r.position,
      }));
  return {
    clicks: totals?.clicks ?? 0,
    impressions: totals?.impressions ?? 0,
    ctr: totals?.ctr ?? 0,
    position: totals?.position ?? 0,
    topQueries: topRows("query"),
    topPages: topRows("page"),
  };
}

// ─── Bing Webmaster: GetQueryStats, GetPageStats, GetRankAndTrafficStats ─────────────────────────

/** One key's day, as Bing's stats list it (whole numbers; the day's start in epoch ms). */
export interface BingDailyStat {
  key: string;
  date: number;
  clicks: number;
  impressions: number;
  position: number;
}

/** How many days of stats Bing lists (the client keeps the window it asked about). */
export const BING_HISTORY_DAYS = 35;

/**
 * Whole numbers per day for one key that add up to its real ones: rounded cumulatively within
 * calendar weeks, from a phase of its own (so a key with a click every other week gets one now and
 * then, and every answer rounds a day alike), so a week's sum is off by less than one.
 */
function wholeDays(
  model: SearchModel,
  kind: Kind,
  key: string,
  values: { day: number; clicks: number; impressions: number }[],
): { day: number; clicks: number; impressions: number }[] {
  let week = Number.NaN;
  let clicks = 0;
  let impressions = 0;
  return values.map((v) => {
    if (Math.floor(v.day / 7) !== week) {
      week = Math.floor(v.day / 7);
      clicks = unit(`${model.key}|${kind}|phase|c|${key}|${week}`);
      impressions = unit(`${model.key}|${kind}|phase|i|${key}|${week}`);
    }
    const c = Math.floor(clicks + v.clicks) - Math.floor(clicks);
    const i = Math.floor(impressions + v.impressions) - Math.floor(impressions);
    clicks += v.clicks;
    impressions += v.impressions;
    return { day: v.day, clicks: c, impressions: Math.max(c, i) };
  });
}

/** GetQueryStats (by "query") or GetPageStats (by "page"): a row per key and day of the last BING_HISTORY_DAYS days. */
export function bingStats(model: SearchModel, siteUrl: string, kind: Kind, askedAt: Date): BingDailyStat[] {
  const today = Math.floor(askedAt.getTime() / DAY);
  const first = today - BING_HISTORY_DAYS;
  const from = first - (((first % 7) + 7) % 7); // from the start of its calendar week, for the rounding
  const perKey = new Map<string, { day: number; clicks: number; impressions: number; position: number }[]>();
  for (let day = from; day < today; day++) {
    const share = dataShare(day, askedAt);
    const totals = siteDay(model, day);
    for (const row of rowsOfDay(model, siteUrl, kind, day, totals)) {
      const list = perKey.get(row.key) ?? [];
      list.push({ day, clicks: row.clicks * share, impressions: row.impressions * share, position: row.position });
      perKey.set(row.key, list);
    }
  }
  const out: BingDailyStat[] = [];
  for (const [key, days] of perKey) {
    wholeDays(model, kind, key, days).forEach((whole, i) => {
      if (whole.day < first || whole.impressions === 0) return;
      out.push({
        key,
        date: whole.day * DAY,
        clicks: whole.clicks,
        impressions: whole.impressions,
        position: Math.round(days[i]!.position * 10) / 10,
      });
    });
  }
  return out.sort((a, b) => a.date - b.date || a.key.localeCompare(b.key));
}

/**
 * What fetchBingSummary (src/server/integrations/bing.ts) makes of the local provider's stats asked
 * at `askedAt`: the rows dated within the last `days` days, added up per key; the totals are the
 * queries' sums, the position weighted by impressions.
 */
export function bingSummary(model: SearchModel, siteUrl: string, askedAt: Date, days = 28, top = 25): SearchSummary {
  const until = askedAt.getTime();
  const since = until - days * DAY;
  const aggregate = (stats: BingDailyStat[]): SummaryRow[] => {
    const byKey = new Map<string, { clicks: number; impressions: number; weighted: number }>();
    for (const stat of stats) {
      if (stat.date < since || stat.date > until) continue;
      const entry = byKey.get(stat.key) ?? { clicks: 0, impressions: 0, weighted: 0 };
      entry.clicks += stat.clicks;
      entry.impressions += stat.impressions;
      entry.weighted += stat.position * stat.impressions;
      byKey.set(stat.key, entry);
    }
    return [...byKey.entries()]
      .map(([key, e]) => ({
        key,
        clicks: e.clicks,
        impressions: e.impressions,
        ctr: e.impressions ? e.clicks / e.impressions : 0,
        position: e.impressions ? e.weighted / e.impressions : 0,
      }))
      .sort((a, b) => b.clicks - a.clicks || b.impressions - a.impressions);
  };
  const queries = aggregate(bingStats(model, siteUrl, "query", askedAt));
  const pages = aggregate(bingStats(model, siteUrl, "page", askedAt));
  const clicks = queries.reduce((a, r) => a + r.clicks, 0);
  const impressions = queries.reduce((a, r) => a + r.impressions, 0);
  const weighted = queries.reduce((a, r) => a + r.position * r.impressions, 0);
  return {
    clicks,
    impressions,
    ctr: impressions ? clicks / impressions : 0,
    position: impressions ? weighted / impressions : 0,
    topQueries: queries.slice(0, top),
    topPages: pages.slice(0, top),
  };
}

// ─── The demo's properties ────────────────────────────────────────────────────────────────────────

/** The Search Console / Bing properties of the demo's users (their connections' selected sites). */
export const DEMO_PROPERTIES = {
  /** The demo user's shop of handmade ceramics. */
  shop: "https://www.example.com/",
  /** The admin's engineering blog. */
  blog: "https://admin-blog.example.org/",
  /** The viewer's tableware shop. */
  tableware: "https://viewer.example.net/",
} as const;

/** When the admin's blog was set to noindex (the sample blog still is): its search traffic falls away from then. */
export const BLOG_NOINDEX_AT = new Date("2026-11-25T00:00:00Z");

/** Combinations of a few words, in a fixed order: plausible long-tail queries. */
const combine = (first: readonly string[], second: readonly string[], join = (a: string, b: string) => `${a} ${b}`) =>
  second.flatMap((b) => first.map((a) => join(a, b)));
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const SHOP: Pick<SearchModel, "queries" | "pages" | "tail"> = {
  queries: [
    ["handmade ceramic mugs", 0.13, 0.061, 6.2],
    ["example shop", 0.1, 0.32, 1.4],
    ["hand glazed bowls", 0.07, 0.047, 8.3],
    ["ceramic vase handmade", 0.058, 0.041, 9.6],
    ["blue ceramic mug", 0.05, 0.055, 7.4],
    ["pottery shop online", 0.043, 0.022, 14.7],
    ["stoneware serving bowl", 0.038, 0.036, 11.2],
    ["ceramic gifts", 0.033, 0.019, 16.1],
    ["handmade pottery worldwide shipping", 0.028, 0.044, 10.3],
    ["how to care for glazed ceramics", 0.025, 0.034, 12.5],
  ],
  pages: [
    ["/", 0.24, 0.09, 4.1],
    ["/mugs", 0.16, 0.055, 6.8],
    ["/bowls", 0.1, 0.046, 8.4],
    ["/vases", 0.07, 0.04, 9.9],
    ["/mugs/blue-glazed-mug", 0.055, 0.052, 7.6],
    ["/care", 0.04, 0.033, 12.4],
    ["/gifts", 0.035, 0.021, 15.3],
    ["/about", 0.03, 0.07, 5.2],
    ["/bowls/stoneware-serving-bowl", 0.028, 0.037, 11.1],
    ["/shipping", 0.02, 0.05, 8.8],
  ],
  tail: {
    queries: [
      "are ceramic mugs microwave safe",
      "dishwasher safe pottery",
      "how to clean stoneware",
      "handmade gifts for coffee lovers",
      ...combine(
        ["speckled", "matte black", "sea green", "oatmeal", "cobalt blue", "white"],
        ["coffee mug", "ramen bowl", "bud vase", "pasta bowl", "espresso cup", "teapot"],
      ),
    ],
    pages: combine(
      ["speckled", "matte-black", "sea-green", "oatmeal", "cobalt"],
      ["mug", "bowl", "vase", "cup", "plate", "teapot"],
      (a, b) => `/${b === "cup" || b === "teapot" ? "mugs" : `${b}s`}/${a}-${b}`,
    ),
  },
};

const BLOG: Pick<SearchModel, "queries" | "pages" | "tail"> = {
  queries: [
    ["exponential backoff with jitter", 0.12, 0.034, 9.8],
    ["oauth refresh token expired", 0.09, 0.021, 14.2],
    ["cron job monitoring", 0.075, 0.016, 18.9],
    ["idempotent background jobs", 0.06, 0.029, 11.6],
    ["sqlite vs postgres small app", 0.052, 0.018, 16.4],
    ["graceful shutdown node.js", 0.047, 0.024, 13.1],
    ["lease based job queue", 0.04, 0.038, 8.7],
    ["admin blog", 0.034, 0.21, 2.1],
    ["retry failed webhooks", 0.029, 0.015, 21.3],
    ["prisma driver adapters", 0.024, 0.012, 24.6],
  ],
  pages: [
    ["/posts/exponential-backoff-with-jitter", 0.19, 0.033, 10.1],
    ["/posts/oauth-refresh-tokens", 0.13, 0.022, 14.5],
    ["/posts/monitoring-cron-jobs", 0.1, 0.017, 18.2],
    ["/", 0.08, 0.09, 5.3],
    ["/posts/idempotent-jobs", 0.07, 0.028, 11.9],
    ["/posts/sqlite-or-postgres", 0.06, 0.019, 16.8],
    ["/posts/graceful-shutdown", 0.05, 0.025, 12.7],
    ["/posts/leases-not-locks", 0.045, 0.036, 9.1],
    ["/posts/webhook-retries", 0.03, 0.016, 20.4],
    ["/about", 0.02, 0.05, 7.7],
  ],
  tail: {
    queries: [
      "what is a dead letter queue",
      "at least once vs exactly once delivery",
      "oauth token rotation best practices",
      ...combine(
        ["node.js", "postgres", "sqlite", "prisma", "next.js", "typescript"],
        ["job queue", "retry logic", "connection pool", "rate limiting", "health check", "timeouts"],
      ),
    ],
    pages: combine(
      ["node", "postgres", "sqlite", "prisma", "nextjs"],
      ["job-queues", "retries", "connection-pools", "rate-limits", "health-checks", "timeouts"],
      (a, b) => `/posts/${a}-${b}`,
    ),
  },
};

const TABLEWARE: Pick<SearchModel, "queries" | "pages" | "tail"> = {
  queries: [
    ["ceramic tableware", 0.12, 0.031, 9.4],
    ["dinner plate set", 0.09, 0.019, 15.8],
    ["stoneware plates", 0.075, 0.027, 11.7],
    ["competitor co", 0.07, 0.28, 1.6],
    ["tableware fair prices", 0.05, 0.036, 8.1],
    ["ceramic serving platter", 0.045, 0.024, 13.3],
    ["porcelain bowls set", 0.04, 0.017, 17.9],
    ["rustic dinnerware", 0.034, 0.021, 14.6],
    ["ceramic cups set of 4", 0.03, 0.026, 12.2],
    ["tableware bestsellers", 0.022, 0.04, 7.3],
  ],
  pages: [
    ["/", 0.22, 0.08, 4.6],
    ["/shop", 0.15, 0.035, 9.7],
    ["/shop/plates", 0.11, 0.026, 12.1],
    ["/shop/bowls", 0.08, 0.022, 13.8],
    ["/bestsellers", 0.065, 0.041, 7.9],
    ["/shop/platters", 0.05, 0.024, 13.2],
    ["/shop/cups", 0.04, 0.027, 12.6],
    ["/about", 0.03, 0.06, 6.1],
    ["/care-guide", 0.025, 0.02, 16.3],
    ["/shipping", 0.018, 0.045, 8.4],
  ],
  tail: {
    queries: [
      "is stoneware oven safe",
      "best everyday dinnerware",
      "chip resistant plates",
      ...combine(
        ["stoneware", "porcelain", "earthenware", "speckled", "matte white", "rustic"],
        ["dinner plates", "side plates", "cereal bowls", "salad bowls", "mugs set", "pasta plates"],
      ),
    ],
    pages: combine(
      ["stoneware", "porcelain", "speckled", "matte-white", "rustic"],
      ["dinner-plates", "side-plates", "cereal-bowls", "salad-bowls", "mugs", "pasta-plates"],
      (a, b) => `/shop/${a}-${b}`,
    ),
  },
};

/**
 * Each demo property on each platform. Bing sends a site a fraction of Google's searchers, at a
 * somewhat better position and click-through rate; the trends are the same stories, told smaller.
 */
const DEMO_MODELS: Record<string, Record<SearchPlatform, SearchModel>> = {
  // The shop: the gift season lifts it every year.
  [DEMO_PROPERTIES.shop]: {
    GSC: {
      key: "demo-gsc",
      clicksPerDay: 38,
      growth: 0.15,
      ctr: 0.034,
      ctrPer30Days: 0.004,
      position: 13.6,
      positionPer30Days: -1.2,
      season: giftSeason(2.1),
      ...SHOP,
    },
    BING: {
      key: "demo-bing",
      clicksPerDay: 6,
      growth: 0.08,
      ctr: 0.044,
      ctrPer30Days: 0.002,
      position: 11.4,
      positionPer30Days: -0.5,
      season: giftSeason(1.8),
      ...SHOP,
    },
  },
  // The blog: set to noindex, its traffic falls away.
  [DEMO_PROPERTIES.blog]: {
    GSC: {
      key: "admin-gsc",
      clicksPerDay: 19,
      growth: 0.05,
      ctr: 0.021,
      ctrPer30Days: 0.001,
      position: 17.6,
      positionPer30Days: -0.3,
      drop: { from: BLOG_NOINDEX_AT, halfLifeDays: 1.5, floor: 0.1 },
      ...BLOG,
    },
    BING: {
      key: "admin-bing",
      clicksPerDay: 3,
      growth: 0.03,
      ctr: 0.027,
      ctrPer30Days: 0.001,
      position: 15.1,
      positionPer30Days: -0.2,
      drop: { from: BLOG_NOINDEX_AT, halfLifeDays: 2, floor: 0.12 },
      ...BLOG,
    },
  },
  // The viewer's tableware shop: losing ground.
  [DEMO_PROPERTIES.tableware]: {
    GSC: {
      key: "viewer-gsc",
      clicksPerDay: 29,
      growth: -0.3,
      ctr: 0.03,
      ctrPer30Days: -0.003,
      position: 14.6,
      positionPer30Days: 1.1,
      ...TABLEWARE,
    },
    BING: {
      key: "viewer-bing",
      clicksPerDay: 5,
      growth: -0.2,
      ctr: 0.036,
      ctrPer30Days: -0.002,
      position: 12.8,
      positionPer30Days: 0.7,
      ...TABLEWARE,
    },
  },
};

/** The model of one of the demo's properties, or undefined for any other site. */
export function demoSearchModel(siteUrl: string, platform: SearchPlatform): SearchModel | undefined {
  return DEMO_MODELS[siteUrl]?.[platform];
}

// ─── Any other site ───────────────────────────────────────────────────────────────────────────────

interface Theme {
  queries: readonly (readonly [query: string, path: string])[];
  modifiers: readonly string[];
  nouns: readonly string[];
  section: string;
}

/** What a site nobody described might be about; one is picked by its address. */
const THEMES: readonly Theme[] = [
  {
    queries: [
      ["project planning software", "/features"],
      ["kanban board for small teams", "/features/boards"],
      ["free task tracker", "/pricing"],
      ["gantt chart online", "/features/timeline"],
      ["team workload planning", "/guides/workload"],
    ],
    modifiers: ["simple", "free", "online", "shared", "weekly", "agile"],
    nouns: ["task list", "project template", "sprint planner", "roadmap template", "meeting agenda", "team calendar"],
    section: "templates",
  },
  {
    queries: [
      ["lightweight hiking backpack", "/packs"],
      ["waterproof hiking boots", "/boots"],
      ["ultralight tent 2 person", "/tents"],
      ["trail running shoes", "/shoes"],
      ["what to pack for a day hike", "/guides/day-hike"],
    ],
    modifiers: ["ultralight", "waterproof", "women's", "men's", "budget", "merino"],
    nouns: ["rain jacket", "sleeping bag", "hiking socks", "trekking poles", "headlamp", "water filter"],
    section: "gear",
  },
  {
    queries: [
      ["easy weeknight dinners", "/recipes/weeknight"],
      ["sourdough starter recipe", "/recipes/sourdough-starter"],
      ["one pot pasta", "/recipes/one-pot-pasta"],
      ["vegetarian meal prep", "/guides/meal-prep"],
      ["how to make focaccia", "/recipes/focaccia"],
    ],
    modifiers: ["easy", "vegan", "quick", "healthy", "slow cooker", "gluten free"],
    nouns: ["lentil soup", "banana bread", "chicken curry", "granola", "pancakes", "tomato sauce"],
    section: "recipes",
  },
];

const genericCache = new Map<string, SearchModel>();

/** The name people search a site by: its domain's own label ("acme-tools" of shop.acme-tools.co.uk), in words. */
function brandOf(host: string): string {
  const labels = host.split(".").filter(Boolean);
  if (labels.length === 0 || labels.every((l) => /^\d+$/.test(l)) || host.includes(":")) return "site";
  let i = labels.length >= 2 ? labels.length - 2 : 0;
  if (i > 0 && labels.length >= 3 && ["co", "com", "org", "net", "ac", "gov"].includes(labels[i]!)) i--;
  return labels[i]!.replace(/-/g, " ");
}

/**
 * A plausible model for a site the demo does not know (tests connect arbitrary URLs): its own brand
 * queries and a topic picked by its address, steady numbers from its hash, Bing smaller than Google.
 */
export function genericSearchModel(siteUrl: string, platform: SearchPlatform): SearchModel {
  const cacheKey = `${platform}|${siteUrl}`;
  const cached = genericCache.get(cacheKey);
  if (cached) return cached;
  const host = new URL(pageBase(siteUrl)).hostname.replace(/^www\./, "");
  const brand = brandOf(host);
  const h = hash(host);
  const theme = THEMES[h % THEMES.length]!;
  const named: RowModel[] = [
    [brand, 0.14, 0.3, 1.3],
    [`${brand} login`, 0.08, 0.42, 1.1],
    ...theme.queries.map(([query], i) => [query, 0.1 - i * 0.014, 0.03 + 0.004 * i, 8 + 2.5 * i] as const),
    [`${brand} pricing`, 0.03, 0.12, 2.4],
    [`${brand} reviews`, 0.026, 0.05, 4.8],
  ];
  const pages: RowModel[] = [
    ["/", 0.26, 0.11, 3.2],
    ...theme.queries.map(([, path], i) => [path, 0.11 - i * 0.015, 0.035, 8 + 2.4 * i] as const),
    ["/login", 0.05, 0.4, 1.2],
    ["/pricing", 0.04, 0.09, 3.1],
    ["/about", 0.025, 0.06, 5.5],
  ];
  const scale = platform === "GSC" ? 1 : 0.16;
  const model: SearchModel = {
    key: `${platform === "GSC" ? "gsc" : "bing"}|${host}`,
    clicksPerDay: Math.max(1, Math.round((12 + (h % 60)) * scale * 10) / 10),
    growth: ((h >>> 8) % 30) / 100 - 0.1,
    ctr: platform === "GSC" ? 0.028 : 0.035,
    ctrPer30Days: 0.001,
    position: (platform === "GSC" ? 12 : 10.5) + ((h >>> 16) % 60) / 10,
    positionPer30Days: -0.2,
    queries: named,
    pages,
    tail: {
      queries: [`${brand} contact`, `${brand} support`, `is ${brand} legit`, ...combine(theme.modifiers, theme.nouns)],
      pages: combine(theme.modifiers.map(slug), theme.nouns.map(slug), (a, b) => `/${theme.section}/${a}-${b}`),
    },
  };
  genericCache.set(cacheKey, model);
  return model;
}
