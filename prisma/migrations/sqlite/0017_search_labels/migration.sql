-- Search by the names people know (issue 18): "Search Console", "Bing Webmaster", "Website analysis",
-- and by what the rows show: a job's status ("Paused"), a run's outcome ("Failed") and trigger ("manual").
-- "SearchLabel" holds the display name of each task type, platform, status and outcome; src/server/migrate.ts fills it
-- from src/lib (TASK_KINDS, PLATFORM_NAMES) after every migration run and rewrites the search text when
-- a name changed. The triggers of 0016 now write the names beside the codes.
CREATE TABLE "SearchLabel" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "label" TEXT NOT NULL
);

DROP TRIGGER "Task_searchText_insert";
DROP TRIGGER "Task_searchText_update";
DROP TRIGGER "ExecutionLog_search_insert";
DROP TRIGGER "ExecutionLog_search_update";

CREATE TRIGGER "Task_searchText_insert" AFTER INSERT ON "Task" BEGIN
  UPDATE "Task" SET "searchText" = lower(concat_ws(char(10), NEW."type", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."type"),
    NEW."platform", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."platform"),
    NEW."status", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."status"), NEW."websiteUrl", NEW."failureReason", NEW."endedReason"))
  WHERE "id" = NEW."id";
END;

CREATE TRIGGER "Task_searchText_update" AFTER UPDATE OF "type", "platform", "status", "websiteUrl", "failureReason", "endedReason" ON "Task" BEGIN
  UPDATE "Task" SET "searchText" = lower(concat_ws(char(10), NEW."type", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."type"),
    NEW."platform", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."platform"),
    NEW."status", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."status"), NEW."websiteUrl", NEW."failureReason", NEW."endedReason"))
  WHERE "id" = NEW."id";
END;

CREATE TRIGGER "ExecutionLog_search_insert" AFTER INSERT ON "ExecutionLog" BEGIN
  INSERT INTO "ExecutionLogSearch" (rowid, "body")
  SELECT -NEW."id", lower(concat_ws(char(10), NEW."taskType", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."taskType"),
      t."platform", (SELECT "label" FROM "SearchLabel" WHERE "key" = t."platform"),
      NEW."status", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."status"), NEW."trigger",
      t."websiteUrl", NEW."errorMessage", NEW."errorCategory",
      (SELECT group_concat(j."value", char(10)) FROM json_tree(NEW."result") AS j WHERE j."type" = 'text')))
  FROM "Task" AS t WHERE t."id" = NEW."taskId";
END;

CREATE TRIGGER "ExecutionLog_search_update" AFTER UPDATE OF "status", "errorMessage", "errorCategory", "result" ON "ExecutionLog" BEGIN
  UPDATE "ExecutionLogSearch" SET "body" = (
    SELECT lower(concat_ws(char(10), NEW."taskType", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."taskType"),
      t."platform", (SELECT "label" FROM "SearchLabel" WHERE "key" = t."platform"),
      NEW."status", (SELECT "label" FROM "SearchLabel" WHERE "key" = NEW."status"), NEW."trigger",
      t."websiteUrl", NEW."errorMessage", NEW."errorCategory",
      (SELECT group_concat(j."value", char(10)) FROM json_tree(NEW."result") AS j WHERE j."type" = 'text')))
    FROM "Task" AS t WHERE t."id" = NEW."taskId")
  WHERE rowid = -NEW."id";
END;
