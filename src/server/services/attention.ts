import type { Prisma } from "@/generated/sqlite/client";
import type { Platform } from "@/generated/sqlite/enums";
import { engineOfDb, type Db } from "@/server/db";
import { Params } from "@/server/sql";
import { failureInWords, RECONNECT_STATUSES } from "@/lib/states";
import { VISIBLE_TASK_TYPES } from "@/lib/task-kinds";
import { PLATFORM_NAMES } from "@/lib/validation/platform";
import { ownedBy, type Scope } from "./scope";

/**
 * What needs a person, defined once. Every page and procedure that says "needs attention" (the
 * overview, Intervention, Platforms, the navigation badge) reads these, so they always agree:
 * - a connection whose token only its user can renew (expired, revoked, in error): Reconnect;
 * - a task cooled off after repeated failures (NEEDS_INTERVENTION) or stopped (FAILED), unless its
 *   connection is already listed (then the reconnect is what it needs, and it is counted there).
 */
export function connectionsNeedingAttention(scope: Scope): Prisma.PlatformConnectionWhereInput {
  return { ...ownedBy(scope), status: { in: [...RECONNECT_STATUSES] } };
}

export function tasksNeedingAttention(scope: Scope): Prisma.TaskWhereInput {
  return {
    ...ownedBy(scope),
    type: { in: VISIBLE_TASK_TYPES },
    status: { in: ["NEEDS_INTERVENTION", "FAILED"] },
    OR: [{ connectionId: null }, { connection: { status: { notIn: [...RECONNECT_STATUSES] } } }],
  };
}

/**
 * How many things need the scope's people (connections to reconnect, tasks): the one number every page
 * shows. One raw statement (the overview reads it on every poll), the same rows as
 * `connectionsNeedingAttention` and `tasksNeedingAttention` (tests/integration/attention-sql.test.ts).
 */
export async function attentionCount(
  db: Db,
  scope: Scope,
  /** Only this platform's connection and tasks (a platform's health). */
  platform?: Platform,
): Promise<{ total: number; connections: number; tasks: number }> {
  const p = new Params(engineOfDb(db));
  const own = ownedBy(scope);
  const connectionOwner = own.userId !== undefined ? `c."userId" = ${p.add(own.userId)} AND ` : "";
  const connectionPlatform = platform ? `c."platform" = ${p.add(platform)} AND ` : "";
  const reconnect = p.inList(`c."status"`, [...RECONNECT_STATUSES]);
  const taskOwner = own.userId !== undefined ? `t."userId" = ${p.add(own.userId)} AND ` : "";
  const taskPlatform = platform ? `t."platform" = ${p.add(platform)} AND ` : "";
  const visible = p.inList(`t."type"`, VISIBLE_TASK_TYPES);
  const stuck = p.inList(`t."status"`, ["NEEDS_INTERVENTION", "FAILED"]);
  const heldUp = p.inList(`tc."status"`, [...RECONNECT_STATUSES]);
  const [row] = await db.$queryRawUnsafe<{ connections: number | bigint; tasks: number | bigint }[]>(
    `SELECT
       (SELECT COUNT(*) FROM "PlatformConnection" c WHERE ${connectionOwner}${connectionPlatform}${reconnect}) AS "connections",
       (SELECT COUNT(*) FROM "Task" t LEFT JOIN "PlatformConnection" tc ON tc."id" = t."connectionId"
         WHERE ${taskOwner}${taskPlatform}${visible} AND ${stuck}
           AND (t."connectionId" IS NULL OR (tc."id" IS NOT NULL AND NOT (${heldUp})))) AS "tasks"`,
    ...p.values,
  );
  const connections = Number(row?.connections ?? 0);
  const tasks = Number(row?.tasks ?? 0);
  return { total: connections + tasks, connections, tasks };
}

interface StoredPattern {
  consecutive?: number;
  recent?: number;
  windowDays?: number;
  errorPatterns?: { pattern: string; category: string; count: number; example?: string }[];
}

/** What to do about a failing task, by the category of its last failure. */
export function suggestedAction(task: {
  failureCategory: string | null;
  failureReason: string | null;
  platform: string | null;
  coolOffUntil: Date | null;
}): string {
  const platform = task.platform
    ? (PLATFORM_NAMES[task.platform as keyof typeof PLATFORM_NAMES] ?? task.platform)
    : "the platform";
  switch (task.failureCategory) {
    case "AUTH_ERROR":
      return `Reconnect ${platform}: its authorization was refused or expired.`;
    case "API_LIMIT":
      return failureInWords(task.failureCategory, task.failureReason ?? "") === "Daily quota used up"
        ? "The API's daily quota is used up: the task waits for the reset and then runs by itself, or run it now if the quota is back."
        : "The API is rate limiting: wait a little, then retry.";
    case "NETWORK_ERROR":
      return "The service did not answer: check that it is reachable, then retry.";
    case "TIMEOUT":
      return "Runs take too long: check the service's speed, or raise the timeout, then retry.";
    case "CONFIG_ERROR":
      return "The task's settings are wrong (address, site, credentials): fix them, then retry.";
    default:
      return "Read the last error, then retry or run it now.";
  }
}

/** A task's error patterns in words, merged where two patterns read the same, most frequent first. */
function fingerprintsInWords(patterns: NonNullable<StoredPattern["errorPatterns"]>) {
  const merged = new Map<string, { words: string; count: number; example: string | null }>();
  for (const p of patterns) {
    const words = failureInWords(p.category, p.example ?? p.pattern);
    const entry = merged.get(words) ?? { words, count: 0, example: p.example ?? null };
    entry.count += p.count;
    merged.set(words, entry);
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

/** What a page shows of a task that needs attention. */
export const INTERVENTION_SELECT = {
  id: true,
  userId: true,
  type: true,
  platform: true,
  websiteUrl: true,
  status: true,
  consecutiveFailures: true,
  failureReason: true,
  failureCategory: true,
  failurePattern: true,
  coolOffUntil: true,
  lastFailureAt: true,
  lastSuccessAt: true,
  nextRunAt: true,
} satisfies Prisma.TaskSelect;

const TASK_SELECT = { ...INTERVENTION_SELECT, user: { select: { email: true } } } satisfies Prisma.TaskSelect;

/**
 * The items behind `attentionCount`, for the Intervention page: connections to reconnect first
 * (with the tasks they hold up), then tasks, worst first. Each says what happened in words and
 * what to do. An admin sees everyone's, with the owner's email; only an owner can reconnect.
 */
export async function attentionItems(db: Db, scope: Scope) {
  const [connections, tasks] = await Promise.all([
    db.platformConnection.findMany({
      where: connectionsNeedingAttention(scope),
      orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        userId: true,
        platform: true,
        status: true,
        lastError: true,
        lastCheckedAt: true,
        updatedAt: true,
        user: { select: { email: true } },
        tasks: {
          where: { status: { not: "ENDED" } },
          select: { id: true, type: true, status: true, lastOutcome: true },
          orderBy: { type: "asc" },
        },
      },
    }),
    db.task.findMany({
      where: tasksNeedingAttention(scope),
      orderBy: [{ consecutiveFailures: "desc" }, { lastFailureAt: "asc" }, { id: "asc" }],
      select: TASK_SELECT,
    }),
  ]);
  const others = scope.role === "ADMIN";
  return {
    count: connections.length + tasks.length,
    connections: connections.map((c) => ({
      kind: "reconnect" as const,
      id: c.id,
      userId: c.userId,
      ownerEmail: others && c.userId !== scope.userId ? c.user.email : null,
      canReconnect: c.userId === scope.userId,
      platform: c.platform,
      status: c.status,
      reason: c.lastError,
      lastCheckedAt: c.lastCheckedAt,
      tasks: c.tasks,
    })),
    tasks: tasks.map(({ user, ...t }) => {
      const pattern = (t.failurePattern ?? {}) as StoredPattern;
      return {
        kind: "task" as const,
        ...t,
        ownerEmail: others && t.userId !== scope.userId ? (user?.email ?? null) : null,
        target: t.websiteUrl ?? t.platform,
        failureInWords: t.failureReason ? failureInWords(t.failureCategory, t.failureReason) : null,
        suggestedAction: suggestedAction(t),
        inARow: pattern.consecutive ?? t.consecutiveFailures,
        recent: pattern.recent ?? null,
        windowDays: pattern.windowDays ?? 7,
        fingerprints: fingerprintsInWords(pattern.errorPatterns ?? []),
      };
    }),
  };
}
export type AttentionItems = Awaited<ReturnType<typeof attentionItems>>;
