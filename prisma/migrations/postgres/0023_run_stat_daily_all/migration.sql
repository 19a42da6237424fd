-- CreateTable
CREATE TABLE "RunStatDailyAll" (
    "day" TEXT NOT NULL,
    "taskType" "TaskType" NOT NULL,
    "status" "ExecutionStatus" NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "totalDurationMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "RunStatDailyAll_pkey" PRIMARY KEY ("day","taskType","status")
);


-- Issue 19: an administrator's overview summed every user's RunStatDaily rows of the window (a
-- thousand users: tens of thousands of rows per poll). "RunStatDailyAll" holds their sum per day, type
-- and outcome, kept by statement-level triggers on RunStatDaily in the same transaction as the rows
-- they sum, whoever writes them. A batch's upsert fires the INSERT trigger for the rows it inserted and
-- the UPDATE trigger for those it updated; each adds its statement's difference in one INSERT … SELECT,
-- in key order, so two transactions take the shared rows in the same order.
CREATE FUNCTION "run_stat_daily_all_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RunStatDailyAll" ("day", "taskType", "status", "runs", "totalDurationMs")
  SELECT d."day", d."taskType", d."status", SUM(d."runs"), SUM(d."totalDurationMs")
  FROM "rollup_new" AS d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("day", "taskType", "status") DO UPDATE SET
    "runs" = "RunStatDailyAll"."runs" + EXCLUDED."runs",
    "totalDurationMs" = "RunStatDailyAll"."totalDurationMs" + EXCLUDED."totalDurationMs";
  RETURN NULL;
END $$;

CREATE FUNCTION "run_stat_daily_all_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RunStatDailyAll" ("day", "taskType", "status", "runs", "totalDurationMs")
  SELECT d."day", d."taskType", d."status", SUM(d."runs"), SUM(d."totalDurationMs")
  FROM (
    SELECT n."day", n."taskType", n."status", n."runs", n."totalDurationMs" FROM "rollup_new" AS n
    UNION ALL
    SELECT o."day", o."taskType", o."status", -o."runs", -o."totalDurationMs" FROM "rollup_old" AS o
  ) AS d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("day", "taskType", "status") DO UPDATE SET
    "runs" = "RunStatDailyAll"."runs" + EXCLUDED."runs",
    "totalDurationMs" = "RunStatDailyAll"."totalDurationMs" + EXCLUDED."totalDurationMs";
  RETURN NULL;
END $$;

CREATE FUNCTION "run_stat_daily_all_remove"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "RunStatDailyAll" AS a SET
    "runs" = a."runs" - d."runs",
    "totalDurationMs" = a."totalDurationMs" - d."totalDurationMs"
  FROM (
    SELECT o."day", o."taskType", o."status", SUM(o."runs") AS "runs", SUM(o."totalDurationMs") AS "totalDurationMs"
    FROM "rollup_old" AS o GROUP BY 1, 2, 3
  ) AS d
  WHERE a."day" = d."day" AND a."taskType" = d."taskType" AND a."status" = d."status";
  RETURN NULL;
END $$;

CREATE TRIGGER "RunStatDaily_all_insert" AFTER INSERT ON "RunStatDaily"
  REFERENCING NEW TABLE AS "rollup_new" FOR EACH STATEMENT EXECUTE FUNCTION "run_stat_daily_all_add"();
CREATE TRIGGER "RunStatDaily_all_update" AFTER UPDATE ON "RunStatDaily"
  REFERENCING OLD TABLE AS "rollup_old" NEW TABLE AS "rollup_new" FOR EACH STATEMENT EXECUTE FUNCTION "run_stat_daily_all_change"();
CREATE TRIGGER "RunStatDaily_all_delete" AFTER DELETE ON "RunStatDaily"
  REFERENCING OLD TABLE AS "rollup_old" FOR EACH STATEMENT EXECUTE FUNCTION "run_stat_daily_all_remove"();

-- What the rows written before this migration sum to.
INSERT INTO "RunStatDailyAll" ("day", "taskType", "status", "runs", "totalDurationMs")
SELECT "day", "taskType", "status", SUM("runs"), SUM("totalDurationMs") FROM "RunStatDaily" GROUP BY 1, 2, 3;
