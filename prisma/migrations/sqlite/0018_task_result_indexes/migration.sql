-- Issue 19: the insights and website pages read each task's latest results by task (one statement for all tasks).
-- CreateIndex
CREATE INDEX "InsightSnapshot_taskId_fetchedAt_idx" ON "InsightSnapshot"("taskId", "fetchedAt");

-- CreateIndex
CREATE INDEX "WebsiteAnalysis_taskId_analyzedAt_idx" ON "WebsiteAnalysis"("taskId", "analyzedAt");

