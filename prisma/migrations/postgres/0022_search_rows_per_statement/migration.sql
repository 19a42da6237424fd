-- Issue 19: the engine records runs set-based (one statement closes a batch of runs), but the search
-- trigger ran once per row, a plpgsql call and an INSERT each: it cost the engine about 40 % of its
-- throughput. A statement-level trigger with a transition table writes the batch's search rows in one
-- INSERT … SELECT, through the same text function (execution_log_search_body). Still only finished
-- runs (0020): the statement's RUNNING rows are left out. A transition table cannot be combined with
-- a column list, so every UPDATE statement on the log table rewrites the rows of the finished runs it
-- touched: those updates are the run's close (and the no-op update that rewrites all texts after a
-- name changed, src/server/migrate.ts).
DROP TRIGGER "ExecutionLog_search" ON "ExecutionLog";
DROP FUNCTION "execution_log_search"();

CREATE FUNCTION "execution_log_search_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ExecutionLogSearch" ("logId", "userId", "body")
  SELECT n."id", n."userId", coalesce("execution_log_search_body"(n::"ExecutionLog"), '')
  FROM "changed_logs" AS n WHERE n."status" <> 'RUNNING'
  ON CONFLICT ("logId") DO UPDATE SET "body" = EXCLUDED."body";
  RETURN NULL;
END $$;

CREATE TRIGGER "ExecutionLog_search_insert" AFTER INSERT ON "ExecutionLog"
  REFERENCING NEW TABLE AS "changed_logs" FOR EACH STATEMENT EXECUTE FUNCTION "execution_log_search_rows"();
CREATE TRIGGER "ExecutionLog_search_update" AFTER UPDATE ON "ExecutionLog"
  REFERENCING NEW TABLE AS "changed_logs" FOR EACH STATEMENT EXECUTE FUNCTION "execution_log_search_rows"();
