import type { Db } from "@/server/db";
import type { PageInput } from "@/lib/validation/common";
import { ownedBy, type Scope } from "./scope";

/** Newest first, keyset-paginated on the id (ids grow with start time). */
export async function listExecutionLogs(db: Db, scope: Scope, input: PageInput) {
  const rows = await db.executionLog.findMany({
    where: { ...ownedBy(scope), ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: input.limit + 1,
    select: {
      id: true,
      taskId: true,
      taskType: true,
      status: true,
      trigger: true,
      startedAt: true,
      finishedAt: true,
      durationMs: true,
      errorMessage: true,
      dataSource: true,
    },
  });
  const hasMore = rows.length > input.limit;
  const items = hasMore ? rows.slice(0, input.limit) : rows;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}
