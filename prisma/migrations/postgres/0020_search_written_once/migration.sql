-- Issue 19: every entry a pg_trgm GIN index takes costs the engine dearly under sustained load (with a
-- minute of 1,000 due runs a second, the search writes were most of the database's CPU). So:

-- 1. A run's search row is written once, when the run finishes, instead of when it starts and again
--    when it ends. A run in progress is found by computing its text on the spot (src/server/services/search.ts):
--    there are only as many as the workers run at once.
DROP TRIGGER "ExecutionLog_search" ON "ExecutionLog";
CREATE TRIGGER "ExecutionLog_search" AFTER INSERT OR UPDATE OF "status", "errorMessage", "errorCategory", "result" ON "ExecutionLog"
  FOR EACH ROW WHEN (NEW."status" <> 'RUNNING') EXECUTE FUNCTION "execution_log_search"();
DELETE FROM "ExecutionLogSearch" AS s USING "ExecutionLog" AS l WHERE s."logId" = l."id" AND l."status" = 'RUNNING';

-- 2. A job's search text keeps its column (what Prisma's filter reads), but its trigram index moves to a
--    table of its own, written only when the text changes: every run updates its task row twice (claim,
--    record), and an update that cannot be HOT (the claim and due-time indexes change) re-enters every
--    index of the row, the GIN one included.
DROP INDEX "Task_searchText_trgm_idx";

CREATE TABLE "TaskSearch" (
    "taskId" TEXT NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "TaskSearch_pkey" PRIMARY KEY ("taskId")
);
ALTER TABLE "TaskSearch" ADD CONSTRAINT "TaskSearch_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION "task_search_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "TaskSearch" ("taskId", "body") VALUES (NEW."id", NEW."searchText")
  ON CONFLICT ("taskId") DO UPDATE SET "body" = EXCLUDED."body";
  RETURN NULL;
END $$;

-- After "Task_searchText" (a BEFORE trigger) has written the text.
CREATE TRIGGER "Task_search_row_insert" AFTER INSERT ON "Task"
  FOR EACH ROW EXECUTE FUNCTION "task_search_row"();
CREATE TRIGGER "Task_search_row_update" AFTER UPDATE ON "Task"
  FOR EACH ROW WHEN (OLD."searchText" IS DISTINCT FROM NEW."searchText") EXECUTE FUNCTION "task_search_row"();

INSERT INTO "TaskSearch" ("taskId", "body") SELECT "id", "searchText" FROM "Task";

CREATE INDEX "TaskSearch_body_trgm_idx" ON "TaskSearch" USING gin ("body" gin_trgm_ops);
