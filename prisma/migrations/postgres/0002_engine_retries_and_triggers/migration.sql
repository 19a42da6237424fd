-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "coolOffCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failureHistory" JSONB,
ADD COLUMN     "pendingTrigger" "TriggerKind";

-- AlterTable
ALTER TABLE "ExecutionLog" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "SchedulerEvent" ADD COLUMN     "runStatus" "ExecutionStatus";

-- AlterTable
ALTER TABLE "CumulativeStats" ADD COLUMN     "tasksInterrupted" INTEGER NOT NULL DEFAULT 0;

