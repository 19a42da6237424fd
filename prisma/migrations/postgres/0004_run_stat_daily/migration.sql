-- CreateTable
CREATE TABLE "RunStatDaily" (
    "userId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "taskType" "TaskType" NOT NULL,
    "status" "ExecutionStatus" NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "totalDurationMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "RunStatDaily_pkey" PRIMARY KEY ("userId","day","taskType","status")
);

-- CreateIndex
CREATE INDEX "RunStatDaily_day_idx" ON "RunStatDaily"("day");

-- AddForeignKey
ALTER TABLE "RunStatDaily" ADD CONSTRAINT "RunStatDaily_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

