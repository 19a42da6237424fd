-- AlterTable
ALTER TABLE "Task" ADD COLUMN "endedAt" DATETIME;
ALTER TABLE "Task" ADD COLUMN "endedReason" TEXT;

