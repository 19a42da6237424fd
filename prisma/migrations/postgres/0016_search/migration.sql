-- Search (issue 18): what the search boxes of Logs and Jobs find, kept in step with every write by
-- triggers. One line per field, lower-cased; a search term (no spaces) never spans two lines.
-- Substring search (`LIKE '%term%'`) is served by pg_trgm GIN indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Jobs: the task's type, platform, website, failure and why it ended.
ALTER TABLE "Task" ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '';

CREATE FUNCTION "task_search_text"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := lower(concat_ws(E'\n', NEW."type"::text, NEW."platform"::text, NEW."websiteUrl", NEW."failureReason", NEW."endedReason"));
  RETURN NEW;
END $$;

CREATE TRIGGER "Task_searchText" BEFORE INSERT OR UPDATE OF "type", "platform", "websiteUrl", "failureReason", "endedReason" ON "Task"
  FOR EACH ROW EXECUTE FUNCTION "task_search_text"();

UPDATE "Task" SET "searchText" = lower(concat_ws(E'\n', "type"::text, "platform"::text, "websiteUrl", "failureReason", "endedReason"));

CREATE INDEX "Task_searchText_trgm_idx" ON "Task" USING gin ("searchText" gin_trgm_ops);

-- Logs: one row per log, its id as the key, with its owner so a user's search reads their rows only.
CREATE TABLE "ExecutionLogSearch" (
    "logId" INTEGER NOT NULL,
    "userId" TEXT,
    "body" TEXT NOT NULL,

    CONSTRAINT "ExecutionLogSearch_pkey" PRIMARY KEY ("logId")
);

ALTER TABLE "ExecutionLogSearch" ADD CONSTRAINT "ExecutionLogSearch_logId_fkey" FOREIGN KEY ("logId") REFERENCES "ExecutionLog"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION "execution_log_search_body"(log "ExecutionLog") RETURNS text LANGUAGE sql STABLE AS $$
  SELECT lower(concat_ws(E'\n', log."taskType"::text, t."platform"::text, t."websiteUrl", log."errorMessage", log."errorCategory"::text,
    (SELECT string_agg(v #>> '{}', E'\n') FROM jsonb_path_query(log."result", 'strict $.**') AS v WHERE jsonb_typeof(v) = 'string')))
  FROM "Task" AS t WHERE t."id" = log."taskId"
$$;

CREATE FUNCTION "execution_log_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ExecutionLogSearch" ("logId", "userId", "body") VALUES (NEW."id", NEW."userId", coalesce("execution_log_search_body"(NEW), ''))
  ON CONFLICT ("logId") DO UPDATE SET "body" = EXCLUDED."body";
  RETURN NULL;
END $$;

CREATE TRIGGER "ExecutionLog_search" AFTER INSERT OR UPDATE OF "errorMessage", "errorCategory", "result" ON "ExecutionLog"
  FOR EACH ROW EXECUTE FUNCTION "execution_log_search"();

INSERT INTO "ExecutionLogSearch" ("logId", "userId", "body")
SELECT l."id", l."userId", coalesce("execution_log_search_body"(l), '') FROM "ExecutionLog" AS l;

CREATE INDEX "ExecutionLogSearch_userId_logId_idx" ON "ExecutionLogSearch" ("userId", "logId");

CREATE INDEX "ExecutionLogSearch_body_trgm_idx" ON "ExecutionLogSearch" USING gin ("body" gin_trgm_ops);
