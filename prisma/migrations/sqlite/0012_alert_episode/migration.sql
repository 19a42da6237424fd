-- AlterTable
ALTER TABLE "Alert" ADD COLUMN "episodeKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Alert_userId_episodeKey_key" ON "Alert"("userId", "episodeKey");

