-- Search by the names people know (issue 18): "Search Console", "Bing Webmaster", "Website analysis",
-- and by what the rows show: a job's status ("Paused"), a run's outcome ("Failed") and trigger ("manual").
-- "SearchLabel" holds the display name of each task type, platform, status and outcome; src/server/migrate.ts fills it
-- from src/lib (TASK_KINDS, PLATFORM_NAMES) after every migration run and rewrites the search text when
-- a name changed. The functions of 0016 now write the names beside the codes.
CREATE TABLE "SearchLabel" (
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,

    CONSTRAINT "SearchLabel_pkey" PRIMARY KEY ("key")
);

CREATE OR REPLACE FUNCTION "task_search_text"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := lower(concat_ws(E'\n', NEW."type"::text, (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."type"::text),
    NEW."platform"::text, (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."platform"::text),
    NEW."status"::text, (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."status"::text),
    NEW."websiteUrl", NEW."failureReason", NEW."endedReason"));
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION "execution_log_search_body"(log "ExecutionLog") RETURNS text LANGUAGE sql STABLE AS $$
  SELECT lower(concat_ws(E'\n', log."taskType"::text, (SELECT "label" FROM "SearchLabel" WHERE "key" = log."taskType"::text),
    t."platform"::text, (SELECT "label" FROM "SearchLabel" WHERE "key" = t."platform"::text),
    log."status"::text, (SELECT "label" FROM "SearchLabel" WHERE "key" = log."status"::text), log."trigger"::text,
    t."websiteUrl",
    log."errorMessage", log."errorCategory"::text,
    (SELECT string_agg(v #>> '{}', E'\n') FROM jsonb_path_query(log."result", 'strict $.**') AS v WHERE jsonb_typeof(v) = 'string')))
  FROM "Task" AS t WHERE t."id" = log."taskId"
$$;

-- The status changes the text now: the triggers watch it too.
DROP TRIGGER "Task_searchText" ON "Task";
CREATE TRIGGER "Task_searchText" BEFORE INSERT OR UPDATE OF "type", "platform", "status", "websiteUrl", "failureReason", "endedReason" ON "Task"
  FOR EACH ROW EXECUTE FUNCTION "task_search_text"();

DROP TRIGGER "ExecutionLog_search" ON "ExecutionLog";
CREATE TRIGGER "ExecutionLog_search" AFTER INSERT OR UPDATE OF "status", "errorMessage", "errorCategory", "result" ON "ExecutionLog"
  FOR EACH ROW EXECUTE FUNCTION "execution_log_search"();
