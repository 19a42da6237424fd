import { addMinutes, subDays, startOfHour, differenceInHours } from "date-fns";
import type { Prisma } from "@/generated/sqlite/client";
import type { ExecutionStatus, FailureCategory, Platform, Role, TaskStatus, TaskType, WebsiteRole } from "@/generated/sqlite/enums";
import { encryptToken, type TokenKeyring } from "@/server/crypto";
import { mintToken } from "../../../dev/provider/tokens";
import type { Db } from "@/server/db";
import { defaultEngineConfig } from "@/server/scheduler/config";
import { failurePattern, type FailureEntry } from "@/server/scheduler/failure";
import { hashPassword } from "./users";

const FAILURE_WINDOW_MS = defaultEngineConfig.interventionWindowMs;

/**
 * Demo data for a new installation: an admin and a demo user, each with connections, websites,
 * a realistic mix of tasks and a few weeks of runs and scheduler events, with cumulative statistics
 * that agree with those events. Idempotent: does nothing once the admin exists.
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

/** A small deterministic PRNG (mulberry32) so the demo (and the benchmark's data) look the same on every machine. */
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

interface TaskPlan {
  type: TaskType;
  dedupeKey: string;
  platform?: Platform;
  websiteUrl?: string;
  websiteRole?: WebsiteRole;
  frequencyMinutes: number;
  status: TaskStatus;
  /** How this task's history ends: a streak of failures of this kind. */
  failing?: { category: FailureCategory; message: string; streak: number };
  failureRate: number;
  durationMs: [number, number];
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
  tasks: (platformSite: string) => TaskPlan[];
}

const oauthTask = (platform: Platform, status: TaskStatus = "ACTIVE", failing?: TaskPlan["failing"]): TaskPlan => ({
  type: "OAUTH_TOKEN_MONITORING",
  dedupeKey: `OAUTH_TOKEN_MONITORING:${platform}`,
  platform,
  frequencyMinutes: 24 * 60,
  status,
  failing,
  failureRate: 0.02,
  durationMs: [120, 900],
});

const insightsTask = (platform: "GSC" | "BING", status: TaskStatus = "ACTIVE", failing?: TaskPlan["failing"]): TaskPlan => ({
  type: platform === "GSC" ? "GSC_INSIGHTS" : "BING_INSIGHTS",
  dedupeKey: `${platform === "GSC" ? "GSC_INSIGHTS" : "BING_INSIGHTS"}:${platform}`,
  platform,
  frequencyMinutes: 6 * 60,
  status,
  failing,
  failureRate: 0.06,
  durationMs: [800, 5200],
});

const websiteTask = (url: string, role: WebsiteRole, failureRate = 0.04): TaskPlan => ({
  type: "WEBSITE_ANALYSIS",
  dedupeKey: `WEBSITE_ANALYSIS:${url}`,
  websiteUrl: url,
  websiteRole: role,
  frequencyMinutes: 12 * 60,
  status: "ACTIVE",
  failureRate,
  durationMs: [400, 3000],
});

const FAILURE_MESSAGES: { category: FailureCategory; message: string }[] = [
  { category: "NETWORK_ERROR", message: "connect ETIMEDOUT: connection timeout after 10000 ms" },
  { category: "API_LIMIT", message: "HTTP 429: rate limit exceeded, retry after 60 s" },
  { category: "UNKNOWN", message: "Unexpected response: HTTP 502 Bad Gateway" },
];

function resultFor(plan: TaskPlan, r: () => number): Prisma.InputJsonValue {
  switch (plan.type) {
    case "OAUTH_TOKEN_MONITORING":
      return { outcome: r() < 0.9 ? "valid" : "refreshed", platform: plan.platform ?? null };
    case "GSC_INSIGHTS":
    case "BING_INSIGHTS": {
      const clicks = Math.round(800 + r() * 400);
      const impressions = Math.round(clicks * (22 + r() * 8));
      return { clicks, impressions, ctr: clicks / impressions, position: Math.round((8 + r() * 6) * 10) / 10, queries: 250, pages: 48 };
    }
    default:
      return { statusCode: 200, wordCount: Math.round(900 + r() * 800), title: "Example", responseTimeMs: Math.round(150 + r() * 500) };
  }
}

export async function seedDemoData(db: Db, options: SeedOptions) {
  const existing = await db.user.findUnique({ where: { email: options.admin.email }, select: { id: true } });
  if (existing) return { seeded: false as const };

  const now = options.now ?? new Date();
  const days = options.days ?? 21;
  const r = random(20261128);
  const start = startOfHour(subDays(now, days));

  const sample = (name: string, fallback: string) => (options.sampleSitesOrigin ? `${options.sampleSitesOrigin}/sites/${name}/` : fallback);
  const sites = {
    admin: sample("blog", "https://admin-blog.example.org/"),
    demo: sample("shop", "https://www.example.com/"),
    competitorOne: sample("competitor", "https://competitor-one.example/"),
    competitorTwo: sample("broken", "https://competitor-two.example/"), // down: the demo shows real failures too
  };
  const viewerPlan: UserPlan[] = options.viewer
    ? [
        {
          email: options.viewer.email,
          password: options.viewer.password,
          name: "Read-only Viewer",
          role: "VIEWER",
          platforms: ["GSC"],
          site: sample("competitor", "https://viewer.example.net/"),
          searchProperty: "https://viewer.example.net/",
          competitors: [],
          tasks: () => [oauthTask("GSC"), insightsTask("GSC", "NEEDS_INTERVENTION", { category: "NETWORK_ERROR", message: "connect ETIMEDOUT searchconsole.googleapis.com", streak: 3 })],
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
      searchProperty: "https://admin-blog.example.org/",
      competitors: [],
      tasks: () => [oauthTask("GSC"), oauthTask("WIX"), insightsTask("GSC"), websiteTask(sites.admin, "OWN")],
    },
    {
      email: options.demo.email,
      password: options.demo.password,
      name: "Demo User",
      role: "USER",
      platforms: ["GSC", "BING", "WORDPRESS", "WIX"],
      site: sites.demo,
      searchProperty: "https://www.example.com/",
      competitors: [sites.competitorOne, sites.competitorTwo],
      tasks: () => [
        oauthTask("GSC"),
        oauthTask("BING"),
        oauthTask("WORDPRESS", "FAILED", { category: "AUTH_ERROR", message: "invalid_grant: refresh token expired or revoked; reconnect WordPress", streak: 1 }),
        oauthTask("WIX", "PAUSED"),
        insightsTask("GSC"),
        insightsTask("BING", "NEEDS_INTERVENTION", { category: "API_LIMIT", message: "HTTP 429: Bing Webmaster API quota reached (limit reached for today)", streak: 4 }),
        websiteTask(sites.demo, "OWN"),
        websiteTask(sites.competitorOne, "COMPETITOR"),
        websiteTask(sites.competitorTwo, "COMPETITOR", 0.12),
      ],
    },
  ];

  const logs: Prisma.ExecutionLogCreateManyInput[] = [];
  const jobEvents: Prisma.SchedulerEventCreateManyInput[] = [];

  for (const plan of users) {
    const user = await db.user.create({
      data: { email: plan.email, name: plan.name, role: plan.role, passwordHash: await hashPassword(plan.password) },
    });
    const connections = new Map<Platform, string>();
    for (const platform of plan.platforms) {
      const expired = platform === "WORDPRESS" && plan.role === "USER";
      const connection = await db.platformConnection.create({
        data: {
          userId: user.id,
          platform,
          status: expired ? "EXPIRED" : "CONNECTED",
          accountLabel: `${plan.name} (${platform})`,
          siteUrls: platform === "GSC" || platform === "BING" ? [plan.searchProperty] : [],
          selectedSiteUrl: platform === "GSC" || platform === "BING" ? plan.searchProperty : null,
          // Tokens in the local provider's format, so the offline demo's checks really succeed (or, for
          // the expired WordPress connection, really fail); a real platform would refuse them.
          accessTokenEnc: encryptToken(
            mintToken({ platform, kind: "access", sub: plan.email, exp: Math.floor((expired ? subDays(now, 2) : addMinutes(now, 50)).getTime() / 1000) }),
            options.keyring,
          ),
          refreshTokenEnc: expired ? null : encryptToken(mintToken({ platform, kind: "refresh", sub: plan.email, exp: Math.floor(addMinutes(now, 180 * 24 * 60).getTime() / 1000) }), options.keyring),
          tokenExpiresAt: expired ? subDays(now, 2) : addMinutes(now, 50),
          lastCheckedAt: subDays(now, expired ? 2 : 0),
          lastError: expired ? "invalid_grant: refresh token expired or revoked" : null,
          connectedAt: start,
        },
      });
      connections.set(platform, connection.id);
    }
    const websites = new Map<string, string>();
    for (const [url, role] of [[plan.site, "OWN"], ...plan.competitors.map((c) => [c, "COMPETITOR"])] as [string, WebsiteRole][]) {
      const website = await db.website.create({ data: { userId: user.id, url, role } });
      websites.set(url, website.id);
    }

    for (const [index, taskPlan] of plan.tasks(plan.site).entries()) {
      const runs: { at: Date; status: ExecutionStatus; failure?: { category: FailureCategory; message: string } }[] = [];
      // Spread first runs so the cycles are not all on the hour.
      for (let at = addMinutes(start, (index * 17) % taskPlan.frequencyMinutes); at < now; at = addMinutes(at, taskPlan.frequencyMinutes)) {
        if (taskPlan.status === "PAUSED" && at > subDays(now, 5)) break;
        const failure = r() < taskPlan.failureRate ? FAILURE_MESSAGES[Math.floor(r() * FAILURE_MESSAGES.length)] : undefined;
        runs.push({ at, status: failure ? "FAILED" : "SUCCESS", failure });
      }
      if (taskPlan.failing) {
        for (const run of runs.slice(-taskPlan.failing.streak)) {
          run.status = "FAILED";
          run.failure = { category: taskPlan.failing.category, message: taskPlan.failing.message };
        }
      }
      const last = runs.at(-1);
      const lastSuccess = [...runs].reverse().find((x) => x.status === "SUCCESS");
      const lastFailure = [...runs].reverse().find((x) => x.status === "FAILED");
      let streak = 0;
      for (const run of [...runs].reverse()) {
        if (run.status !== "FAILED") break;
        streak++;
      }
      const recentFailures: FailureEntry[] = runs.flatMap((run) =>
        run.failure && run.at.getTime() > now.getTime() - FAILURE_WINDOW_MS ? [{ at: run.at.toISOString(), ...run.failure }] : [],
      );
      const lastEntry = streak > 0 ? recentFailures.at(-1) : undefined;
      const coolOffUntil = taskPlan.status === "NEEDS_INTERVENTION" && last ? addMinutes(last.at, 7 * 24 * 60) : null;
      const task = await db.task.create({
        data: {
          userId: user.id,
          type: taskPlan.type,
          dedupeKey: taskPlan.dedupeKey,
          platform: taskPlan.platform ?? null,
          connectionId: taskPlan.platform ? (connections.get(taskPlan.platform) ?? null) : null,
          websiteUrl: taskPlan.websiteUrl ?? null,
          websiteRole: taskPlan.websiteRole ?? null,
          websiteId: taskPlan.websiteUrl ? (websites.get(taskPlan.websiteUrl) ?? null) : null,
          frequencyMinutes: taskPlan.frequencyMinutes,
          status: taskPlan.status,
          // A cooled-off task's next run is its probe when the cool-off ends.
          nextRunAt:
            taskPlan.status === "ACTIVE" && last
              ? addMinutes(last.at, taskPlan.frequencyMinutes)
              : taskPlan.status === "NEEDS_INTERVENTION" && last
                ? addMinutes(last.at, 7 * 24 * 60)
                : null,
          coolOffCount: taskPlan.status === "NEEDS_INTERVENTION" ? 1 : 0,
          lastRunAt: last?.at ?? null,
          lastSuccessAt: lastSuccess?.at ?? null,
          lastFailureAt: lastFailure?.at ?? null,
          lastOutcome: last?.status ?? null,
          failureReason: streak > 0 ? (last?.failure?.message ?? null) : null,
          failureCategory: streak > 0 ? (last?.failure?.category ?? null) : null,
          consecutiveFailures: streak,
          // The same history and pattern the engine keeps, so the intervention page reads seeded tasks as it reads real ones.
          failureHistory: recentFailures.length ? (recentFailures as unknown as Prisma.InputJsonValue) : undefined,
          failurePattern:
            taskPlan.status === "NEEDS_INTERVENTION" && lastEntry
              ? ({ ...failurePattern(recentFailures, streak, FAILURE_WINDOW_MS, lastEntry), coolOffUntil: coolOffUntil?.toISOString() } as unknown as Prisma.InputJsonValue)
              : undefined,
          coolOffUntil,
          runCount: runs.length,
          createdAt: start,
        },
      });
      for (const run of runs) {
        const durationMs = Math.round(taskPlan.durationMs[0] + r() * (taskPlan.durationMs[1] - taskPlan.durationMs[0]));
        logs.push({
          taskId: task.id,
          userId: user.id,
          taskType: taskPlan.type,
          status: run.status,
          trigger: "SCHEDULED",
          scheduledFor: run.at,
          startedAt: run.at,
          finishedAt: new Date(run.at.getTime() + durationMs),
          durationMs,
          result: run.status === "SUCCESS" ? resultFor(taskPlan, r) : undefined,
          errorMessage: run.failure?.message ?? null,
          errorCategory: run.failure?.category ?? null,
          retryable: run.failure ? run.failure.category !== "AUTH_ERROR" : null,
          dataSource: taskPlan.type === "GSC_INSIGHTS" || taskPlan.type === "BING_INSIGHTS" ? "api" : null,
          workerId: "demo-seed",
        });
        jobEvents.push({
          type: run.status === "SUCCESS" ? "JOB_COMPLETED" : "JOB_FAILED",
          runStatus: run.status,
          occurredAt: new Date(run.at.getTime() + durationMs),
          userId: user.id,
          taskId: task.id,
          jobKind: "RECURRING",
          durationMs,
          errorMessage: run.failure?.message ?? null,
          data: { taskType: taskPlan.type },
        });
      }
    }
  }

  // Check cycles: the engine's once-an-hour summary in this demo history, from the runs above.
  logs.sort((a, b) => (a.startedAt as Date).getTime() - (b.startedAt as Date).getTime());
  const cycles: Prisma.SchedulerEventCreateManyInput[] = [];
  const hours = differenceInHours(now, start) + 1; // the last, partial hour included
  let cursor = 0;
  for (let h = 0; h < hours; h++) {
    const from = addMinutes(start, h * 60);
    const to = addMinutes(from, 60);
    const inCycle: Prisma.ExecutionLogCreateManyInput[] = [];
    while (cursor < logs.length && (logs[cursor]!.startedAt as Date) < to) inCycle.push(logs[cursor++]!);
    const byType: Record<string, number> = {};
    for (const log of inCycle) byType[log.taskType] = (byType[log.taskType] ?? 0) + 1;
    cycles.push({
      type: "CHECK_CYCLE",
      occurredAt: from,
      cycleNumber: h + 1,
      checkIntervalMs: 60 * 60 * 1000,
      tasksFound: inCycle.length,
      tasksExecuted: inCycle.length,
      tasksFailed: inCycle.filter((l) => l.status === "FAILED").length,
      tasksSkipped: 0,
      tasksByType: byType,
      durationMs: Math.round(20 + r() * 180),
      activeExecutions: 0,
      workerId: "demo-seed",
    });
  }

  await db.executionLog.createMany({ data: logs });
  // The daily rollup the dashboard reads, as the engine would have kept it.
  const rollup = new Map<string, Prisma.RunStatDailyCreateManyInput>();
  for (const log of logs) {
    const day = (log.startedAt as Date).toISOString().slice(0, 10);
    const key = `${log.userId}|${day}|${log.taskType}|${log.status}`;
    const row = rollup.get(key) ?? { userId: log.userId!, day, taskType: log.taskType, status: log.status!, runs: 0, totalDurationMs: BigInt(0) };
    row.runs = (row.runs ?? 0) + 1;
    row.totalDurationMs = BigInt(row.totalDurationMs ?? 0) + BigInt(log.durationMs ?? 0);
    rollup.set(key, row);
  }
  await db.runStatDaily.createMany({ data: [...rollup.values()] });
  await db.schedulerEvent.createMany({
    data: [{ type: "START", occurredAt: start, workerId: "demo-seed", data: { note: "demo history" } }, ...cycles, ...jobEvents],
  });
  const sum = (f: (c: Prisma.SchedulerEventCreateManyInput) => number | null | undefined) => cycles.reduce((a, c) => a + (f(c) ?? 0), 0);
  const lastCycle = await db.schedulerEvent.findFirst({ where: { type: "CHECK_CYCLE" }, orderBy: { id: "desc" }, select: { id: true, occurredAt: true } });
  const stats = {
    totalCheckCycles: cycles.length,
    tasksFound: sum((c) => c.tasksFound),
    tasksExecuted: sum((c) => c.tasksExecuted),
    tasksFailed: sum((c) => c.tasksFailed),
    tasksSucceeded: logs.filter((l) => l.status === "SUCCESS").length,
    tasksSkipped: 0,
    jobsCompleted: jobEvents.filter((e) => e.type === "JOB_COMPLETED").length,
    jobsFailed: jobEvents.filter((e) => e.type === "JOB_FAILED").length,
    lastCheckCycleId: lastCycle?.id ?? null,
    lastCheckCycleAt: lastCycle?.occurredAt ?? null,
  };
  await db.cumulativeStats.upsert({ where: { id: 1 }, create: { id: 1, ...stats }, update: stats });
  return { seeded: true as const, users: users.length, executionLogs: logs.length, events: cycles.length + jobEvents.length + 1 };
}
