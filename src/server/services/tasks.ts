import type { Db } from "@/server/db";
import { TASK_TYPES } from "./dashboard";
import { ownedBy, type Scope } from "./scope";

export function listTasks(db: Db, scope: Scope) {
  return db.task.findMany({
    where: { ...ownedBy(scope), type: { in: TASK_TYPES } },
    orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      type: true,
      platform: true,
      websiteUrl: true,
      websiteRole: true,
      frequencyMinutes: true,
      status: true,
      nextRunAt: true,
      lastRunAt: true,
      lastOutcome: true,
      consecutiveFailures: true,
      failureReason: true,
    },
  });
}
