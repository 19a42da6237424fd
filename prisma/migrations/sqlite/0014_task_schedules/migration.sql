-- AlterTable
ALTER TABLE "Task" ADD COLUMN "cronExpression" TEXT;
ALTER TABLE "Task" ADD COLUMN "cronTimeZone" TEXT;

