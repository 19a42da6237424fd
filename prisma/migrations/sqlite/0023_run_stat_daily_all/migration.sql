-- CreateTable
CREATE TABLE "RunStatDailyAll" (
    "day" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "totalDurationMs" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("day", "taskType", "status")
);


-- Issue 19: every user's RunStatDaily rows summed per day, type and outcome, for an administrator's
-- overview; kept by triggers on RunStatDaily in the same transaction as the rows they sum, whoever
-- writes them (SQLite's triggers are per row; PostgreSQL's, migration 0023 there, per statement).
CREATE TRIGGER "RunStatDaily_all_insert" AFTER INSERT ON "RunStatDaily" BEGIN
  INSERT INTO "RunStatDailyAll" ("day", "taskType", "status", "runs", "totalDurationMs")
  VALUES (NEW."day", NEW."taskType", NEW."status", NEW."runs", NEW."totalDurationMs")
  ON CONFLICT ("day", "taskType", "status") DO UPDATE SET
    "runs" = "runs" + excluded."runs",
    "totalDurationMs" = "totalDurationMs" + excluded."totalDurationMs";
END;

CREATE TRIGGER "RunStatDaily_all_update" AFTER UPDATE ON "RunStatDaily" BEGIN
  UPDATE "RunStatDailyAll" SET
    "runs" = "runs" - OLD."runs",
    "totalDurationMs" = "totalDurationMs" - OLD."totalDurationMs"
  WHERE "day" = OLD."day" AND "taskType" = OLD."taskType" AND "status" = OLD."status";
  INSERT INTO "RunStatDailyAll" ("day", "taskType", "status", "runs", "totalDurationMs")
  VALUES (NEW."day", NEW."taskType", NEW."status", NEW."runs", NEW."totalDurationMs")
  ON CONFLICT ("day", "taskType", "status") DO UPDATE SET
    "runs" = "runs" + excluded."runs",
    "totalDurationMs" = "totalDurationMs" + excluded."totalDurationMs";
END;

CREATE TRIGGER "RunStatDaily_all_delete" AFTER DELETE ON "RunStatDaily" BEGIN
  UPDATE "RunStatDailyAll" SET
    "runs" = "runs" - OLD."runs",
    "totalDurationMs" = "totalDurationMs" - OLD."totalDurationMs"
  WHERE "day" = OLD."day" AND "taskType" = OLD."taskType" AND "status" = OLD."status";
END;

-- What the rows written before this migration sum to.
INSERT INTO "RunStatDailyAll" ("day", "taskType", "status", "runs", "totalDurationMs")
SELECT "day", "taskType", "status", SUM("runs"), SUM("totalDurationMs") FROM "RunStatDaily" GROUP BY 1, 2, 3;
