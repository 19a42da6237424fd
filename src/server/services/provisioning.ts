import type { Platform, WebsiteRole } from "@/generated/sqlite/enums";
import type { Prisma } from "@/generated/sqlite/client";
import { VISIBLE_TASK_TYPES, type VisibleTaskType } from "@/lib/task-kinds";
import { DEFAULT_SCHEDULE_SETTINGS, TASK_RUNTIME } from "@/server/scheduler/task-kinds";

type Tx = Prisma.TransactionClient;

/** One task per purpose: these keys make provisioning idempotent (unique per user + key); from the catalogue. */
export const dedupeKeys = {
  oauth: (platform: Platform) => TASK_RUNTIME.OAUTH_TOKEN_MONITORING.dedupeKey(platform),
  insights: (platform: "GSC" | "BING") =>
    TASK_RUNTIME[platform === "GSC" ? "GSC_INSIGHTS" : "BING_INSIGHTS"].dedupeKey(platform),
  website: (url: string) => TASK_RUNTIME.WEBSITE_ANALYSIS.dedupeKey(url),
};

/** A new task's interval by type, with every setting at its default; from the catalogue. */
export const FREQUENCY_MINUTES = Object.fromEntries(
  VISIBLE_TASK_TYPES.map((type) => [type, TASK_RUNTIME[type].frequencyMinutes(DEFAULT_SCHEDULE_SETTINGS)]),
) as Record<VisibleTaskType, number>;

export interface TaskSpec {
  type: VisibleTaskType;
  dedupeKey: string;
  platform?: Platform;
  connectionId?: string;
  websiteId?: string;
  websiteUrl?: string;
  websiteRole?: WebsiteRole;
  /** Overrides the type's default interval. */
  frequencyMinutes?: number;
}

export function tasksForConnection(
  connection: { id: string; platform: Platform },
  tokenCheckMinutes?: number,
): TaskSpec[] {
  const specs: TaskSpec[] = [
    {
      type: "OAUTH_TOKEN_MONITORING",
      dedupeKey: dedupeKeys.oauth(connection.platform),
      platform: connection.platform,
      connectionId: connection.id,
      frequencyMinutes: tokenCheckMinutes,
    },
  ];
  if (connection.platform === "GSC" || connection.platform === "BING") {
    specs.push({
      type: connection.platform === "GSC" ? "GSC_INSIGHTS" : "BING_INSIGHTS",
      dedupeKey: dedupeKeys.insights(connection.platform),
      platform: connection.platform,
      connectionId: connection.id,
    });
  }
  return specs;
}

export function taskForWebsite(website: { id: string; url: string; role: WebsiteRole }): TaskSpec {
  return {
    type: "WEBSITE_ANALYSIS",
    dedupeKey: dedupeKeys.website(website.url),
    websiteId: website.id,
    websiteUrl: website.url,
    websiteRole: website.role,
  };
}

export type ProvisionAction = "created" | "reactivated" | "unchanged";

/**
 * Creates the task if missing (the unique user + key makes a concurrent duplicate impossible),
 * re-attaches it to a new connection or website, revives it when its purpose returned (an ENDED task
 * of a reconnected platform or re-added website), resumes it when asked, and otherwise leaves it alone.
 */
export async function provisionTask(
  tx: Tx,
  userId: string,
  spec: TaskSpec,
  now: Date,
  options: { resumePaused: boolean },
): Promise<{ action: ProvisionAction; taskId: string }> {
  const existing = await tx.task.findUnique({
    where: { userId_dedupeKey: { userId, dedupeKey: spec.dedupeKey } },
    select: { id: true, status: true, connectionId: true, websiteId: true },
  });
  if (!existing) {
    const created = await tx.task.create({
      data: {
        userId,
        ...spec,
        frequencyMinutes: spec.frequencyMinutes ?? FREQUENCY_MINUTES[spec.type],
        status: "ACTIVE",
        nextRunAt: now,
      },
      select: { id: true },
    });
    return { action: "created", taskId: created.id };
  }
  const detached =
    (spec.connectionId && existing.connectionId !== spec.connectionId) ||
    (spec.websiteId && existing.websiteId !== spec.websiteId);
  const resume = existing.status === "ENDED" || (options.resumePaused && existing.status === "PAUSED");
  if (resume || detached) {
    await tx.task.update({
      where: { id: existing.id },
      data: {
        connectionId: spec.connectionId,
        websiteId: spec.websiteId,
        ...(resume ? { status: "ACTIVE", nextRunAt: now, endedAt: null, endedReason: null } : {}),
      },
    });
    return { action: "reactivated", taskId: existing.id };
  }
  return { action: "unchanged", taskId: existing.id };
}

/**
 * Ends the tasks whose purpose is gone (a removed website, a disconnected platform): they never run
 * again and leave the active lists, and their history stays reachable. A queued trigger is dropped
 * with them; a run in flight finishes and is recorded, and leaves the task ENDED.
 */
export async function endTasks(tx: Tx, where: Prisma.TaskWhereInput, reason: string, now: Date): Promise<number> {
  const { count } = await tx.task.updateMany({
    where: { ...where, status: { not: "ENDED" } },
    data: {
      status: "ENDED",
      endedAt: now,
      endedReason: reason,
      nextRunAt: null,
      pendingTrigger: null,
      coolOffUntil: null,
    },
  });
  return count;
}
