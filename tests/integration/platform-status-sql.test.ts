/**
 * The insights and website pages read every task's latest results in one statement (window functions,
 * `recentSnapshots` and `latestAnalyses` in platform-status.ts). Over random tasks (live and ended, two
 * users), snapshots and analyses (some failed), on both engines, they must give exactly what reading
 * each task through Prisma gives: the latest snapshot whole and the last TREND_POINTS as the trend, the
 * latest analysis and, where it failed, the last good one; nothing of the other user's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import type { TaskStatus, TaskType } from "@/generated/sqlite/enums";
import { TASK_SELECT, TREND_POINTS } from "@/server/services/platform-status";
import { callerFor, createTestDatabase, createTestUser, testEngines, type TestDatabase } from "../helpers/db";
import { prng } from "../helpers/prng";

/** Each task read on its own through Prisma, as the pages read them before (the oracle). */
async function perTaskInsights(db: Db, userId: string) {
  const tasks = await db.task.findMany({
    where: { userId, type: { in: ["GSC_INSIGHTS", "BING_INSIGHTS"] }, status: { not: "ENDED" } },
    orderBy: [{ type: "asc" }, { createdAt: "asc" }],
    select: { id: true },
  });
  return Promise.all(
    tasks.map(async (t) => {
      const recent = await db.insightSnapshot.findMany({
        where: { taskId: t.id },
        orderBy: { fetchedAt: "desc" },
        take: TREND_POINTS,
      });
      const latest = recent[0];
      return {
        id: t.id,
        latestSnapshot: latest
          ? {
              id: latest.id,
              siteUrl: latest.siteUrl,
              startDate: latest.startDate,
              endDate: latest.endDate,
              clicks: latest.clicks,
              impressions: latest.impressions,
              ctr: latest.ctr,
              position: latest.position,
              topQueries: latest.topQueries,
              topPages: latest.topPages,
              dataSource: latest.dataSource,
              fetchedAt: latest.fetchedAt,
            }
          : null,
        trend: recent
          .map((s) => ({
            fetchedAt: s.fetchedAt,
            clicks: s.clicks,
            impressions: s.impressions,
            ctr: s.ctr,
            position: s.position,
          }))
          .reverse(),
      };
    }),
  );
}

async function perTaskAnalyses(db: Db, userId: string) {
  const tasks = await db.task.findMany({
    where: { userId, type: "WEBSITE_ANALYSIS", status: { not: "ENDED" } },
    orderBy: [{ websiteRole: "asc" }, { createdAt: "asc" }],
    select: { id: true },
  });
  return Promise.all(
    tasks.map(async (t) => {
      const latest = await db.websiteAnalysis.findFirst({ where: { taskId: t.id }, orderBy: { analyzedAt: "desc" } });
      const lastGood = latest?.error
        ? await db.websiteAnalysis.findFirst({
            where: { taskId: t.id, error: null },
            orderBy: { analyzedAt: "desc" },
            select: { seoScore: true, analyzedAt: true },
          })
        : null;
      return {
        id: t.id,
        latest: latest
          ? {
              id: latest.id,
              statusCode: latest.statusCode,
              finalUrl: latest.finalUrl,
              responseTimeMs: latest.responseTimeMs,
              ttfbMs: latest.ttfbMs,
              title: latest.title,
              metaDescription: latest.metaDescription,
              wordCount: latest.wordCount,
              seoScore: latest.seoScore,
              images: latest.images,
              imagesWithoutAlt: latest.imagesWithoutAlt,
              internalLinks: latest.internalLinks,
              externalLinks: latest.externalLinks,
              details: latest.details,
              error: latest.error,
              analyzedAt: latest.analyzedAt,
            }
          : null,
        lastGood,
      };
    }),
  );
}

describe.each(testEngines())("the platform pages' result reads on %s", (engine) => {
  let t: TestDatabase;
  const users: string[] = [];
  const r = prng(2020);
  const base = Date.now() - 90 * 86_400_000;
  let tick = 0;
  // Distinct times: the oracle's order by time alone is then the statement's order.
  const nextTime = () => new Date(base + ++tick * 60_000 + r.int(0, 59_000));

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    for (let u = 0; u < 2; u++) users.push((await createTestUser(t.db)).id);
    for (const userId of users) {
      // Search Console connected (with a site chosen), Bing's token expired; some tasks have none.
      const connections = {
        GSC: await t.db.platformConnection.create({
          data: { userId, platform: "GSC", status: "CONNECTED", selectedSiteUrl: "https://site.example/" },
        }),
        BING: await t.db.platformConnection.create({ data: { userId, platform: "BING", status: "EXPIRED" } }),
      };
      for (let i = 0; i < 8; i++) {
        // The first two of each user's are sure cases: a full trend, and a failure after good results.
        const type = [
          "GSC_INSIGHTS" as const,
          "WEBSITE_ANALYSIS" as const,
          r.pick<TaskType>(["GSC_INSIGHTS", "BING_INSIGHTS", "WEBSITE_ANALYSIS"]),
        ][Math.min(i, 2)]!;
        const status = i < 2 ? "ACTIVE" : r.pick<TaskStatus>(["ACTIVE", "ACTIVE", "PAUSED", "FAILED", "ENDED"]);
        const task = await t.db.task.create({
          data: {
            userId,
            type,
            status,
            dedupeKey: `${type}:${i}`,
            frequencyMinutes: 1440,
            nextRunAt: r.chance(0.2) ? null : nextTime(),
            lastRunAt: r.chance(0.5) ? null : nextTime(),
            lastOutcome: r.pick([null, "SUCCESS", "FAILED"] as const),
            consecutiveFailures: r.int(0, 3),
            // Distinct, so the page's order by type or role, then creation, is one order.
            createdAt: nextTime(),
            ...(type === "WEBSITE_ANALYSIS"
              ? { websiteUrl: `https://site-${i}.example`, websiteRole: r.pick(["OWN", "COMPETITOR"] as const) }
              : {
                  platform: type === "GSC_INSIGHTS" ? ("GSC" as const) : ("BING" as const),
                  connectionId: r.chance(0.8) ? connections[type === "GSC_INSIGHTS" ? "GSC" : "BING"].id : null,
                }),
          },
        });
        // From none to more than the trend holds.
        const results = i < 2 ? TREND_POINTS + 7 : r.pick([0, 1, 3, TREND_POINTS, TREND_POINTS + 7]);
        for (let k = 0; k < results; k++) {
          if (type === "WEBSITE_ANALYSIS") {
            const failed = i === 1 ? k === results - 1 : r.chance(0.4);
            await t.db.websiteAnalysis.create({
              data: {
                userId,
                taskId: task.id,
                url: task.websiteUrl!,
                role: task.websiteRole!,
                analyzedAt: nextTime(),
                ...(failed
                  ? { error: "HTTP 503" }
                  : {
                      statusCode: 200,
                      finalUrl: task.websiteUrl,
                      responseTimeMs: r.int(50, 900),
                      ttfbMs: r.int(10, 300),
                      title: r.chance(0.8) ? `Title ${k}` : null,
                      wordCount: r.int(0, 5000),
                      seoScore: r.int(0, 100),
                      images: r.int(0, 20),
                      imagesWithoutAlt: r.int(0, 5),
                      internalLinks: r.int(0, 80),
                      externalLinks: r.int(0, 30),
                      details: r.chance(0.5) ? { canonical: task.websiteUrl, reasons: ["a", "b"] } : undefined,
                    }),
              },
            });
          } else {
            await t.db.insightSnapshot.create({
              data: {
                userId,
                taskId: task.id,
                platform: task.platform!,
                siteUrl: "https://site.example/",
                startDate: new Date(base),
                endDate: new Date(base + 86_400_000),
                clicks: r.int(0, 5000),
                impressions: r.int(0, 90_000),
                ctr: r.int(0, 1000) / 1000,
                position: r.int(10, 500) / 10,
                topQueries: [{ query: `q${k}`, clicks: r.int(0, 99) }],
                topPages: [],
                fetchedAt: nextTime(),
              },
            });
          }
        }
      }
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("gives each insights task its latest snapshot and trend, as reading each task through Prisma does", async () => {
    for (const userId of users) {
      const page = await (await callerFor(t, userId)).platform.insightsStatus();
      const want = await perTaskInsights(t.db, userId);
      expect(page.map((p) => p.id)).toEqual(want.map((w) => w.id));
      expect(page.map(({ id, latestSnapshot, trend }) => ({ id, latestSnapshot, trend }))).toEqual(want);
      expect(page.some((p) => p.trend.length === TREND_POINTS)).toBe(true);
      // Each task's own fields and connection, as Prisma reads them.
      const tasks = await t.db.task.findMany({
        where: { userId, type: { in: ["GSC_INSIGHTS", "BING_INSIGHTS"] }, status: { not: "ENDED" } },
        orderBy: [{ type: "asc" }, { createdAt: "asc" }],
        select: {
          ...TASK_SELECT,
          type: true,
          platform: true,
          userId: true,
          connection: { select: { status: true, selectedSiteUrl: true } },
        },
      });
      expect(page.map((p) => ({ ...p, latestSnapshot: undefined, trend: undefined }))).toEqual(tasks);
    }
  });

  it("gives each website task its latest analysis and, after a failure, its last good one", async () => {
    for (const userId of users) {
      const page = await (await callerFor(t, userId)).platform.websiteAnalysisStatus();
      const items = [...page.own, ...page.competitors];
      const want = await perTaskAnalyses(t.db, userId);
      const byId = new Map(want.map((w) => [w.id, w]));
      expect(items.map((i) => i.id).sort()).toEqual(want.map((w) => w.id).sort());
      for (const item of items) {
        expect({ latest: item.latestAnalysis, lastGood: item.lastGoodAnalysis }).toEqual({
          latest: byId.get(item.id)!.latest,
          lastGood: byId.get(item.id)!.lastGood,
        });
      }
      expect(items.some((i) => i.latestAnalysis?.error && i.lastGoodAnalysis)).toBe(true);
      const tasks = await t.db.task.findMany({
        where: { userId, type: "WEBSITE_ANALYSIS", status: { not: "ENDED" } },
        orderBy: [{ websiteRole: "asc" }, { createdAt: "asc" }],
        select: { ...TASK_SELECT, userId: true, websiteUrl: true, websiteRole: true },
      });
      expect(items.map((i) => ({ ...i, latestAnalysis: undefined, lastGoodAnalysis: undefined }))).toEqual(
        tasks.filter((t) => t.websiteRole !== "COMPETITOR").concat(tasks.filter((t) => t.websiteRole === "COMPETITOR")),
      );
    }
  });
});
