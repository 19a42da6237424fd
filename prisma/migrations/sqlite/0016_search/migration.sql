-- Search (issue 18): what the search boxes of Logs and Jobs find, kept in step with every write by
-- triggers. One line per field, lower-cased; a search term (no spaces) never spans two lines.

-- Jobs: the task's type, platform, website, failure and why it ended.
ALTER TABLE "Task" ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '';

CREATE TRIGGER "Task_searchText_insert" AFTER INSERT ON "Task" BEGIN
  UPDATE "Task" SET "searchText" = lower(concat_ws(char(10), NEW."type", NEW."platform", NEW."websiteUrl", NEW."failureReason", NEW."endedReason"))
  WHERE "id" = NEW."id";
END;

CREATE TRIGGER "Task_searchText_update" AFTER UPDATE OF "type", "platform", "websiteUrl", "failureReason", "endedReason" ON "Task" BEGIN
  UPDATE "Task" SET "searchText" = lower(concat_ws(char(10), NEW."type", NEW."platform", NEW."websiteUrl", NEW."failureReason", NEW."endedReason"))
  WHERE "id" = NEW."id";
END;

UPDATE "Task" SET "searchText" = lower(concat_ws(char(10), "type", "platform", "websiteUrl", "failureReason", "endedReason"));

-- Logs: an FTS5 table with the trigram tokenizer (case-insensitive substring phrases), rowid = minus the
-- log's id, so that ascending rowids, the order FTS5 reads without loading a whole doclist first, are
-- newest first. An admin's search is a MATCH read in that order; a user's walks their own logs (the
-- userId index) and reads each one's text by rowid.
CREATE VIRTUAL TABLE "ExecutionLogSearch" USING fts5("body", tokenize = 'trigram');

CREATE TRIGGER "ExecutionLog_search_insert" AFTER INSERT ON "ExecutionLog" BEGIN
  INSERT INTO "ExecutionLogSearch" (rowid, "body")
  SELECT -NEW."id", lower(concat_ws(char(10), NEW."taskType", t."platform", t."websiteUrl", NEW."errorMessage", NEW."errorCategory",
      (SELECT group_concat(j."value", char(10)) FROM json_tree(NEW."result") AS j WHERE j."type" = 'text')))
  FROM "Task" AS t WHERE t."id" = NEW."taskId";
END;

CREATE TRIGGER "ExecutionLog_search_update" AFTER UPDATE OF "errorMessage", "errorCategory", "result" ON "ExecutionLog" BEGIN
  UPDATE "ExecutionLogSearch" SET "body" = (
    SELECT lower(concat_ws(char(10), NEW."taskType", t."platform", t."websiteUrl", NEW."errorMessage", NEW."errorCategory",
      (SELECT group_concat(j."value", char(10)) FROM json_tree(NEW."result") AS j WHERE j."type" = 'text')))
    FROM "Task" AS t WHERE t."id" = NEW."taskId")
  WHERE rowid = -NEW."id";
END;

CREATE TRIGGER "ExecutionLog_search_delete" AFTER DELETE ON "ExecutionLog" BEGIN
  DELETE FROM "ExecutionLogSearch" WHERE rowid = -OLD."id";
END;

INSERT INTO "ExecutionLogSearch" (rowid, "body")
SELECT -l."id", lower(concat_ws(char(10), l."taskType", t."platform", t."websiteUrl", l."errorMessage", l."errorCategory",
    (SELECT group_concat(j."value", char(10)) FROM json_tree(l."result") AS j WHERE j."type" = 'text')))
FROM "ExecutionLog" AS l JOIN "Task" AS t ON t."id" = l."taskId";
