-- AlterTable
ALTER TABLE "Task" ADD COLUMN "graceMinutes" INTEGER;

