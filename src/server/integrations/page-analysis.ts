import * as cheerio from "cheerio";

export interface PageAnalysis {
  title: string | null;
  metaDescription: string | null;
  canonical: string | null;
  robots: string | null;
  lang: string | null;
  headings: { h1: string[]; h2: string[]; h3: string[]; h4: string[]; h5: string[]; h6: string[] };
  wordCount: number;
  internalLinks: number;
  externalLinks: number;
  images: number;
  imagesWithoutAlt: number;
  openGraph: Record<string, string>;
  structuredData: { jsonLd: number; microdata: number };
}

/** What an SEO-minded reader checks on a page, parsed with cheerio. */
export function analyzeHtml(html: string, pageUrl: string): PageAnalysis {
  const $ = cheerio.load(html);
  const text = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").trim();
  const headings = {
    h1: [] as string[],
    h2: [] as string[],
    h3: [] as string[],
    h4: [] as string[],
    h5: [] as string[],
    h6: [] as string[],
  };
  for (const level of ["h1", "h2", "h3", "h4", "h5", "h6"] as const)
    $(level).each((_, el) => void headings[level].push(text($(el).text()).slice(0, 200)));
  const base = new URL(pageUrl);
  let internalLinks = 0;
  let externalLinks = 0;
  $("a[href]").each((_, el) => {
    const href = $(el).attr("href") ?? "";
    if (/^(mailto:|tel:|javascript:|#)/i.test(href)) return;
    try {
      if (new URL(href, base).host === base.host) internalLinks++;
      else externalLinks++;
    } catch {
      // an unparseable href is neither
    }
  });
  const images = $("img");
  const openGraph: Record<string, string> = {};
  $('meta[property^="og:"]').each((_, el) => {
    const key = $(el).attr("property")!.slice(3);
    if (key) openGraph[key] = text($(el).attr("content")).slice(0, 300);
  });
  const jsonLd = $('script[type="application/ld+json"]').length;
  $("script, style, noscript, template").remove();
  const words = text($("body").text() || $.root().text())
    .split(" ")
    .filter((w) => /\p{L}|\p{N}/u.test(w));
  return {
    title: text($("title").first().text()) || null,
    metaDescription: text($('meta[name="description" i]').attr("content")) || null,
    canonical: $('link[rel="canonical" i]').attr("href") ?? null,
    robots: text($('meta[name="robots" i]').attr("content")) || null,
    lang: $("html").attr("lang") ?? null,
    headings,
    wordCount: words.length,
    internalLinks,
    externalLinks,
    images: images.length,
    imagesWithoutAlt: images.filter((_, el) => !text($(el).attr("alt"))).length,
    openGraph,
    structuredData: { jsonLd, microdata: $("[itemscope]").length },
  };
}

export interface SiteChecks {
  status: number;
  ttfbMs: number;
  https: boolean;
  robotsTxt: { found: boolean; sitemaps: string[]; disallowsAll: boolean };
  sitemap: { found: boolean; urls: number };
}

/** A simple 0–100 score with the reason for every point lost. */
export function seoScore(page: PageAnalysis, site: SiteChecks): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 100;
  const lose = (points: number, reason: string) => {
    score -= points;
    reasons.push(`-${points}: ${reason}`);
  };
  if (site.status >= 400) lose(40, `the page answers HTTP ${site.status}`);
  if (!page.title) lose(15, "no <title>");
  else if (page.title.length < 10 || page.title.length > 65)
    lose(5, `title length ${page.title.length} (aim for 10–65 characters)`);
  if (!page.metaDescription) lose(10, "no meta description");
  else if (page.metaDescription.length < 50 || page.metaDescription.length > 160)
    lose(3, `meta description length ${page.metaDescription.length} (aim for 50–160)`);
  if (page.headings.h1.length === 0) lose(10, "no <h1>");
  else if (page.headings.h1.length > 1) lose(5, `${page.headings.h1.length} <h1> headings (one is expected)`);
  if (page.images > 0 && page.imagesWithoutAlt > 0)
    lose(Math.min(10, page.imagesWithoutAlt * 2), `${page.imagesWithoutAlt} of ${page.images} images have no alt text`);
  if (page.wordCount < 300) lose(10, `thin content: ${page.wordCount} words`);
  if (page.robots && /noindex/i.test(page.robots)) lose(20, "the page asks not to be indexed (robots noindex)");
  if (!page.canonical) lose(3, "no canonical link");
  if (Object.keys(page.openGraph).length === 0) lose(3, "no Open Graph tags");
  if (page.structuredData.jsonLd + page.structuredData.microdata === 0) lose(2, "no structured data");
  if (!site.robotsTxt.found) lose(3, "no robots.txt");
  else if (site.robotsTxt.disallowsAll) lose(20, "robots.txt disallows all crawling");
  if (!site.sitemap.found) lose(3, "no sitemap");
  if (site.ttfbMs > 1500) lose(5, `slow first byte: ${site.ttfbMs} ms`);
  return { score: Math.max(0, score), reasons };
}

/** robots.txt: whether it exists, its Sitemap lines, and whether it shuts out every crawler. */
export function parseRobots(text: string): { sitemaps: string[]; disallowsAll: boolean } {
  const sitemaps: string[] = [];
  let inStar = false;
  let disallowsAll = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    const [field, ...rest] = line.split(":");
    const value = rest.join(":").trim();
    switch (field?.toLowerCase()) {
      case "sitemap":
        if (value) sitemaps.push(value);
        break;
      case "user-agent":
        inStar = value === "*";
        break;
      case "disallow":
        if (inStar && value === "/") disallowsAll = true;
        break;
    }
  }
  return { sitemaps, disallowsAll };
}

/** The parts of a previous successful analysis its successor is compared with. */
export interface PreviousAnalysis {
  seoScore: number | null;
  wordCount: number | null;
  title: string | null;
  responseTimeMs: number | null;
  analyzedAt: Date;
}

/**
 * What an analysis stores beside its columns: the page's other findings, the site checks, why it
 * scored what it did, and what changed since the previous successful analysis (null for the first).
 * One definition for the executor and for the demo's history.
 */
export function analysisDetails(
  page: PageAnalysis,
  site: Pick<SiteChecks, "robotsTxt" | "sitemap">,
  score: { score: number; reasons: string[] },
  fetched: { redirects: string[]; truncated: boolean; responseTimeMs: number },
  previous: PreviousAnalysis | null,
) {
  const change = previous
    ? {
        since: previous.analyzedAt.toISOString(),
        seoScore: score.score - (previous.seoScore ?? 0),
        wordCount: page.wordCount - (previous.wordCount ?? 0),
        responseTimeMs: fetched.responseTimeMs - (previous.responseTimeMs ?? 0),
        titleChanged: previous.title !== page.title,
      }
    : null;
  return {
    canonical: page.canonical,
    robots: page.robots,
    lang: page.lang,
    openGraph: page.openGraph,
    structuredData: page.structuredData,
    robotsTxt: site.robotsTxt,
    sitemap: site.sitemap,
    redirects: fetched.redirects,
    truncated: fetched.truncated,
    scoreReasons: score.reasons,
    change,
  };
}
