-- Hand-written: ALTER TABLE ADD COLUMN instead of Prisma's table redefinition, which would drop
-- and recreate "Task" (and cascade-delete its execution logs if foreign keys were enforced).
ALTER TABLE "Task" ADD COLUMN "failureHistory" JSONB;
ALTER TABLE "Task" ADD COLUMN "coolOffCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Task" ADD COLUMN "attempt" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Task" ADD COLUMN "pendingTrigger" TEXT;
ALTER TABLE "ExecutionLog" ADD COLUMN "attempt" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "SchedulerEvent" ADD COLUMN "runStatus" TEXT;
ALTER TABLE "CumulativeStats" ADD COLUMN "tasksInterrupted" INTEGER NOT NULL DEFAULT 0;
