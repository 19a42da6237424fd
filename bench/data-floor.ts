/**
 * The data floor: the bare SQL each procedure needs, run straight through better-sqlite3 or pg
 * (no Prisma, no HTTP, no tRPC), one query after another. What a procedure costs above this is the
 * price of the layers on top.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { rollupDay } from "@/server/scheduler/stats";
import { percentiles, type Measurement } from "./report";

const TYPES = `('OAUTH_TOKEN_MONITORING','GSC_INSIGHTS','BING_INSIGHTS','WEBSITE_ANALYSIS')`;
const LOG_COLUMNS = `"id","taskId","userId","taskType","status","trigger","attempt","scheduledFor","startedAt","finishedAt","durationMs","result","errorMessage","errorCategory","retryable","dataSource"`;

export interface FloorCase {
  name: string;
  /** The statements one call of the procedure runs (`?` placeholders), with their parameters. */
  statements: (now: Date) => [sql: string, params: unknown[]][];
}

/** `userId` null: the admin's view (every user's rows). */
export function floorCases(userId: string | null, deepCursor: number, logCountCap: number): FloorCase[] {
  const own = userId ? `"userId" = ?` : "1=1";
  const ownParams = userId ? [userId] : [];
  const iso = (d: Date) => d.toISOString();
  return [
    {
      name: "dashboard.overview",
      statements: (now) => {
        const since = rollupDay(new Date(now.getTime() - 6 * 86_400_000)); // the chart's first day
        return [
          [
            `SELECT "type","status",COUNT(*) AS n FROM "Task" WHERE ${own} AND "type" IN ${TYPES} GROUP BY "type","status"`,
            ownParams,
          ],
          [`SELECT * FROM "CumulativeStats" WHERE "id" = 1`, []],
          [
            `SELECT "day","status",SUM("runs") AS n FROM ${userId ? `"RunStatDaily"` : `"RunStatDailyAll"`} WHERE ${own} AND "day" >= ? GROUP BY "day","status"`,
            [...ownParams, since],
          ],
          [
            `SELECT "nextRunAt" FROM "Task" WHERE ${own} AND "status" = 'ACTIVE' AND "nextRunAt" IS NOT NULL AND "type" IN ${TYPES} ORDER BY "nextRunAt" LIMIT 1`,
            ownParams,
          ],
          [
            `SELECT COUNT(*) AS n FROM "Task" WHERE ${own} AND "pendingTrigger" IS NOT NULL AND "type" IN ${TYPES}`,
            ownParams,
          ],
          [
            `SELECT "id","kind","activeRuns","lastSeenAt" FROM "Worker" WHERE "stoppedAt" IS NULL AND "lastSeenAt" >= ?`,
            [iso(new Date(now.getTime() - 90_000))],
          ],
        ];
      },
    },
    {
      name: "monitoring.executionLogs first page",
      statements: () => [
        [`SELECT ${LOG_COLUMNS} FROM "ExecutionLog" WHERE ${own} ORDER BY "id" DESC LIMIT 51`, ownParams],
        [
          `SELECT COUNT(*) AS n FROM (SELECT 1 FROM "ExecutionLog" WHERE ${own} LIMIT ${logCountCap + 1}) AS capped`,
          ownParams,
        ],
      ],
    },
    ...(userId
      ? []
      : [
          {
            name: "monitoring.executionLogs deep page",
            statements: () => [
              [`SELECT ${LOG_COLUMNS} FROM "ExecutionLog" WHERE "id" < ? ORDER BY "id" DESC LIMIT 51`, [deepCursor]],
            ],
          } satisfies FloorCase,
        ]),
    {
      name: "monitoring.eventHistory",
      statements: (now) => [
        [
          `SELECT * FROM "SchedulerEvent" WHERE ${userId ? `"userId" = ?` : "1=1"} AND "occurredAt" >= ? ORDER BY "id" DESC LIMIT 51`,
          [...ownParams, iso(new Date(now.getTime() - 7 * 86_400_000))],
        ],
      ],
    },
    {
      name: "tasks.needingIntervention",
      statements: () => [
        [
          `SELECT "id","userId","type","status","platform","websiteUrl","failureReason","failureCategory","failurePattern","consecutiveFailures","coolOffUntil","lastFailureAt","lastRunAt","nextRunAt","pendingTrigger" FROM "Task" WHERE ${own} AND "type" IN ${TYPES} AND "status" IN ('NEEDS_INTERVENTION','FAILED') ORDER BY "consecutiveFailures" DESC, "lastFailureAt" ASC`,
          ownParams,
        ],
      ],
    },
    {
      name: "platform.monitoringSummary",
      statements: (now) => [
        [`SELECT "status",COUNT(*) AS n FROM "Task" WHERE ${own} AND "type" IN ${TYPES} GROUP BY "status"`, ownParams],
        [
          `SELECT "status",COUNT(*) AS n FROM "ExecutionLog" WHERE ${own} AND "startedAt" >= ? AND "status" <> 'RUNNING' GROUP BY "status"`,
          [...ownParams, iso(new Date(now.getTime() - 86_400_000))],
        ],
      ],
    },
  ];
}

/** SQLite stores Prisma's DateTime as ISO text with +00:00; compare like with like. */
const sqliteParam = (v: unknown) =>
  typeof v === "string" && /^\d{4}-\d\d-\d\dT.*Z$/.test(v) ? v.replace("Z", "+00:00") : v;

export async function measureFloor(
  target: { sqliteFile?: string; postgresUrl?: string },
  cases: FloorCase[],
  label: string,
  seconds: number,
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  if (target.sqliteFile) {
    const db = new Database(target.sqliteFile, { readonly: true });
    for (const c of cases) {
      const samples = timed(seconds, () => {
        for (const [sql, params] of c.statements(new Date())) db.prepare(sql).all(...params.map(sqliteParam));
      });
      results.push({
        name: `data floor ${c.name}${label}`,
        unit: "ms",
        ...percentiles(samples),
        requests: samples.length,
      });
    }
    db.close();
  }
  if (target.postgresUrl) {
    const client = new pg.Client({ connectionString: target.postgresUrl });
    await client.connect();
    for (const c of cases) {
      const samples: number[] = [];
      const end = Date.now() + seconds * 1000;
      while (Date.now() < end) {
        const t0 = performance.now();
        for (const [sql, params] of c.statements(new Date())) {
          let n = 0;
          await client.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          );
        }
        samples.push(performance.now() - t0);
      }
      results.push({
        name: `data floor ${c.name}${label}`,
        unit: "ms",
        ...percentiles(samples),
        requests: samples.length,
      });
    }
    await client.end();
  }
  return results;
}

function timed(seconds: number, fn: () => void): number[] {
  const samples: number[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}
