import type { Db } from "@/server/db";
import { ensureDeliveryTask } from "./alerts/deliver";
import { cleanupSchedulerEvents } from "./stats";
import type { Executor } from "./types";

const BATCH = 5000;

/** Deletes finished execution logs older than `before`, in batches; RUNNING logs are never deleted. */
export async function cleanupExecutionLogs(db: Db, before: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await db.executionLog.findMany({
      where: { startedAt: { lt: before }, status: { not: "RUNNING" } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (batch.length === 0) return deleted;
    const { count } = await db.executionLog.deleteMany({ where: { id: { in: batch.map((l) => l.id) } } });
    deleted += count;
  }
}

export const SYSTEM_RETENTION_TASK_ID = "system-retention";
/** Its dedupe key (the catalogue's, src/server/scheduler/task-kinds.ts, names it from here). */
export const SYSTEM_RETENTION_KEY = "system:retention";

/** The system tasks, owned by no user (retention, alert delivery): created once, whichever process starts first. */
export async function ensureSystemTasks(db: Db, now: Date) {
  await ensureDeliveryTask(db, now);
  try {
    await db.task.upsert({
      where: { id: SYSTEM_RETENTION_TASK_ID },
      create: {
        id: SYSTEM_RETENTION_TASK_ID,
        userId: null,
        type: "SYSTEM_RETENTION",
        dedupeKey: SYSTEM_RETENTION_KEY,
        frequencyMinutes: 24 * 60,
        nextRunAt: now,
      },
      update: {},
    });
  } catch (error) {
    // Several processes starting at once: another one created it first, which is all we need.
    if ((error as { code?: string }).code !== "P2002") throw error;
  }
}

/** The scheduled retention job: event history and execution logs beyond their retention go, and the
 * health probe rows of instances that have not checked in for a day (each process writes its own). */
export function retentionExecutor(db: Db, options: { eventRetentionDays: number; logRetentionDays: number }): Executor {
  return async (_task, context) => {
    const now = context.now();
    const day = 24 * 60 * 60_000;
    const events = await cleanupSchedulerEvents(db, new Date(now.getTime() - options.eventRetentionDays * day), now);
    const logs = await cleanupExecutionLogs(db, new Date(now.getTime() - options.logRetentionDays * day));
    const probes = await db.healthProbe.deleteMany({ where: { checkedAt: { lt: new Date(now.getTime() - day) } } });
    return {
      ok: true,
      result: {
        eventsDeleted: events.deleted,
        logsDeleted: logs,
        healthProbesDeleted: probes.count,
        eventRetentionDays: options.eventRetentionDays,
        logRetentionDays: options.logRetentionDays,
      },
    };
  };
}
