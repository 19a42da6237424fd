-- Issue 19: a user's Logs page reads their runs in id order from this index (it sorted all of them before).
-- CreateIndex
CREATE INDEX "ExecutionLog_userId_id_idx" ON "ExecutionLog"("userId", "id");

