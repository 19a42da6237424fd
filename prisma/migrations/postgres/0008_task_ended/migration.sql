-- AlterEnum
ALTER TYPE "TaskStatus" ADD VALUE 'ENDED';

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "endedAt" TIMESTAMP(3),
ADD COLUMN     "endedReason" TEXT;

