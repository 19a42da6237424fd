import type { Prisma } from "@/generated/sqlite/client";
import { IntegrationError } from "@/server/integrations/http";
import { raiseScoreDrop } from "../alerts/conditions";
import { fetchPage, type FetchPolicy } from "@/server/integrations/website";
import {
  analysisDetails,
  analyzeHtml,
  parseRobots,
  seoScore,
  type SiteChecks,
} from "@/server/integrations/page-analysis";
import type { Executor } from "../types";
import { failureOf, type ExecutorDeps } from "./deps";

/** robots.txt and the sitemap it names (or /sitemap.xml); missing ones are findings, not failures. */
async function siteChecks(pageUrl: string, policy: FetchPolicy): Promise<Pick<SiteChecks, "robotsTxt" | "sitemap">> {
  const origin = new URL(pageUrl).origin;
  const quick = {
    ...policy,
    timeoutMs: Math.min(policy.timeoutMs, 8000),
    maxBytes: Math.min(policy.maxBytes, 512 * 1024),
  };
  let robotsTxt: SiteChecks["robotsTxt"] = { found: false, sitemaps: [], disallowsAll: false };
  try {
    const robots = await fetchPage(`${origin}/robots.txt`, quick);
    if (robots.status === 200) robotsTxt = { found: true, ...parseRobots(robots.body) };
  } catch {
    // unreachable robots.txt counts as missing
  }
  let sitemap = { found: false, urls: 0 };
  try {
    const page = await fetchPage(robotsTxt.sitemaps[0] ?? `${origin}/sitemap.xml`, quick);
    if (page.status === 200 && /<(urlset|sitemapindex)/.test(page.body))
      sitemap = { found: true, urls: (page.body.match(/<loc>/g) ?? []).length };
  } catch {
    // likewise
  }
  return { robotsTxt, sitemap };
}

/** Fetches and analyses the task's website (own or competitor), stores the result and its change from the previous run. */
export function websiteAnalysisExecutor(deps: ExecutorDeps): Executor {
  return async (task, { now: clock }) => {
    const now = clock();
    if (!task.websiteUrl || !task.userId)
      return { ok: false, category: "CONFIG_ERROR", message: "the task has no website URL", retryable: false };
    const owner = await deps.db.task.findUnique({
      where: { id: task.id },
      select: { websiteRole: true, websiteId: true },
    });
    // Every analysis, a failed one too, belongs to its website, so the website's page shows the failure.
    const base = {
      userId: task.userId,
      taskId: task.id,
      websiteId: owner?.websiteId ?? null,
      url: task.websiteUrl,
      role: owner?.websiteRole ?? "OWN",
      analyzedAt: now,
    } as const;
    let page;
    try {
      page = await fetchPage(task.websiteUrl, deps.fetchPolicy);
    } catch (error) {
      if (error instanceof IntegrationError) {
        await deps.db.websiteAnalysis.create({ data: { ...base, error: error.message.slice(0, 500) } });
      }
      return failureOf(error);
    }
    const analysis = analyzeHtml(page.body, page.finalUrl);
    const checks = await siteChecks(page.finalUrl, deps.fetchPolicy);
    const score = seoScore(analysis, {
      status: page.status,
      ttfbMs: page.ttfbMs,
      https: page.finalUrl.startsWith("https:"),
      ...checks,
    });
    const previous = await deps.db.websiteAnalysis.findFirst({
      where: { taskId: task.id, error: null },
      orderBy: { analyzedAt: "desc" },
      select: { seoScore: true, wordCount: true, title: true, responseTimeMs: true, analyzedAt: true },
    });
    const details = analysisDetails(
      analysis,
      checks,
      score,
      { redirects: page.redirects, truncated: page.truncated, responseTimeMs: page.totalMs },
      previous,
    );
    const { change } = details;
    const failed = page.status >= 400;
    await deps.db.$transaction(async (tx) => {
      const created = await tx.websiteAnalysis.create({
        data: {
          ...base,
          statusCode: page.status,
          responseTimeMs: page.totalMs,
          ttfbMs: page.ttfbMs,
          finalUrl: page.finalUrl,
          title: analysis.title,
          metaDescription: analysis.metaDescription,
          headings: analysis.headings,
          internalLinks: analysis.internalLinks,
          externalLinks: analysis.externalLinks,
          images: analysis.images,
          imagesWithoutAlt: analysis.imagesWithoutAlt,
          wordCount: analysis.wordCount,
          seoScore: score.score,
          details: details as unknown as Prisma.InputJsonValue,
          error: failed ? `HTTP ${page.status}` : null,
        },
        select: { id: true },
      });
      // Own sites only: a competitor's drop is theirs to worry about.
      if (base.role === "OWN" && previous?.seoScore != null && !failed)
        await raiseScoreDrop(
          tx,
          {
            userId: base.userId,
            taskId: task.id,
            url: base.url,
            analysisId: created.id,
            previous: previous.seoScore,
            current: score.score,
          },
          now,
        );
    });
    const result = {
      url: task.websiteUrl,
      finalUrl: page.finalUrl,
      statusCode: page.status,
      seoScore: score.score,
      wordCount: analysis.wordCount,
      title: analysis.title,
      ttfbMs: page.ttfbMs,
      responseTimeMs: page.totalMs,
      change,
    };
    if (failed) {
      return {
        ok: false,
        category: page.status >= 500 ? "NETWORK_ERROR" : "CONFIG_ERROR",
        message: `${task.websiteUrl} answered HTTP ${page.status}`,
        retryable: page.status >= 500,
        result,
      };
    }
    return { ok: true, result };
  };
}
