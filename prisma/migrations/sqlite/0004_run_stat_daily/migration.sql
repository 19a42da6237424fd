-- CreateTable
CREATE TABLE "RunStatDaily" (
    "userId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "totalDurationMs" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("userId", "day", "taskType", "status"),
    CONSTRAINT "RunStatDaily_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RunStatDaily_day_idx" ON "RunStatDaily"("day");

