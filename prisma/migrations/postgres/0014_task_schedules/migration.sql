-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'SET_SCHEDULE';

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "cronExpression" TEXT,
ADD COLUMN     "cronTimeZone" TEXT;

