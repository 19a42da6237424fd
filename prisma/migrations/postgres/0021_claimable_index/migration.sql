-- Issue 19: the tasks a worker may claim, in due order. The claim and "when is the next one due"
-- (src/server/scheduler/claim.ts, CLAIMABLE) read this index with exactly its predicate; before it, both
-- read every task and sorted them (at 60,000 tasks, 28 ms each on PostgreSQL, many times a second).
-- Partial, so in-flight, paused, failed and ended tasks are not in the way of the walk. Outside the
-- Prisma schema, which cannot say "partial".
CREATE INDEX "Task_claimable_nextRunAt_idx" ON "Task" ("nextRunAt")
  WHERE "leaseOwner" IS NULL AND ("status" IN ('ACTIVE', 'NEEDS_INTERVENTION') OR "pendingTrigger" IS NOT NULL);
