/**
 * The benchmark's data set: users, tasks, 90 days of execution logs, scheduler events, and the
 * daily rollup and cumulative counters that agree with them. Rows are generated in memory from a
 * seeded PRNG (same sizes → same data) and written in bulk: prepared statements inside one
 * transaction per table on SQLite, `INSERT … SELECT unnest($arrays)` in chunks on PostgreSQL.
 */
import Database from "better-sqlite3";
import bcrypt from "bcryptjs";
import pg from "pg";
import { random } from "@/demo/seed";
import { rollupDay } from "@/server/scheduler/stats";

export interface DatasetSize {
  users: number;
  tasks: number;
  logs: number;
  events: number;
}

export const BENCH_ADMIN = { email: "bench-admin@example.com", password: "bench-password" };
export const BENCH_USER = { email: "bench-user@example.com", password: "bench-password" };

type PgType = "text" | "int" | "bigint" | "timestamp" | "jsonb" | "bool" | `"${string}"`;
interface Table {
  name: string;
  columns: [name: string, type: PgType][];
  rows: unknown[][];
}

const DAY = 86_400_000;
const TYPES = [
  "OAUTH_TOKEN_MONITORING",
  "OAUTH_TOKEN_MONITORING",
  "OAUTH_TOKEN_MONITORING",
  "OAUTH_TOKEN_MONITORING",
  "GSC_INSIGHTS",
  "BING_INSIGHTS",
  "WEBSITE_ANALYSIS",
  "WEBSITE_ANALYSIS",
  "WEBSITE_ANALYSIS",
  "WEBSITE_ANALYSIS",
] as const;
const PLATFORMS = ["GSC", "BING", "WORDPRESS", "WIX"] as const;

export interface Dataset {
  tables: Table[];
  /** For the data floor and the HTTP bench: the id 900,000 rows deep (or 90 % deep when smaller). */
  deepCursor: number;
  adminId: string;
  userId: string;
}

export async function generateDataset(size: DatasetSize, now = new Date()): Promise<Dataset> {
  const r = random(42);
  const start = now.getTime() - 90 * DAY;
  const hash = await bcrypt.hash(BENCH_ADMIN.password, 10);

  const users: unknown[][] = [];
  for (let i = 0; i < size.users; i++) {
    const email = i === 0 ? BENCH_ADMIN.email : i === 1 ? BENCH_USER.email : `user${i}@bench.example.com`;
    users.push([
      `bu${i}`,
      email,
      `Bench user ${i}`,
      i < 2 ? hash : null,
      i === 0 ? "ADMIN" : "USER",
      new Date(start),
      new Date(start),
    ]);
  }

  const tasks: { id: string; userId: string; type: string }[] = [];
  const taskRows: unknown[][] = [];
  for (let i = 0; i < size.tasks; i++) {
    const userIndex = i % size.users;
    const slot = Math.floor(i / size.users);
    const type = TYPES[slot % TYPES.length]!;
    const id = `bt${i}`;
    const userId = `bu${userIndex}`;
    const status = i % 50 === 7 ? "NEEDS_INTERVENTION" : i % 50 === 8 ? "FAILED" : i % 25 === 9 ? "PAUSED" : "ACTIVE";
    const platform =
      type === "OAUTH_TOKEN_MONITORING"
        ? PLATFORMS[slot % 4]!
        : type === "GSC_INSIGHTS"
          ? "GSC"
          : type === "BING_INSIGHTS"
            ? "BING"
            : null;
    const website = type === "WEBSITE_ANALYSIS" ? `https://site${userIndex}-${slot}.bench.example.com/` : null;
    const failing = status === "NEEDS_INTERVENTION" || status === "FAILED";
    const failedAt = new Date(now.getTime() - Math.floor(r() * DAY));
    const pattern =
      status === "NEEDS_INTERVENTION"
        ? {
            consecutive: 3,
            recent: 4,
            windowDays: 7,
            reason: "HTTP 429: quota reached",
            category: "API_LIMIT",
            errorPatterns: [{ pattern: "HTTP <n>: quota reached", category: "API_LIMIT", count: 4 }],
            lastFailureAt: failedAt.toISOString(),
            coolOffUntil: new Date(now.getTime() + 6 * 3_600_000).toISOString(),
          }
        : null;
    tasks.push({ id, userId, type });
    taskRows.push([
      id,
      userId,
      type,
      `${type}:${slot}`,
      platform,
      website,
      website ? (slot === 6 ? "OWN" : "COMPETITOR") : null,
      [60, 360, 1440][i % 3]!,
      status,
      // Not due during the benchmark: the server's engine runs, but has nothing to do.
      new Date(now.getTime() + DAY + Math.floor(r() * 29 * DAY)),
      failing ? failedAt : new Date(now.getTime() - Math.floor(r() * DAY)),
      failing ? "FAILED" : "SUCCESS",
      failing ? "HTTP 429: quota reached" : null,
      failing ? "API_LIMIT" : null,
      failing ? 3 : 0,
      pattern ? JSON.stringify(pattern) : null,
      pattern ? new Date(now.getTime() + 6 * 3_600_000) : null,
      0,
      new Date(start),
      new Date(start),
    ]);
  }

  const logRows: unknown[][] = [];
  const rollup = new Map<
    string,
    { userId: string; day: string; taskType: string; status: string; runs: number; totalDurationMs: number }
  >();
  const counts = { executed: 0, succeeded: 0, failed: 0, skipped: 0, timedOut: 0 };
  for (let i = 1; i <= size.logs; i++) {
    const task = tasks[Math.floor(r() * tasks.length)]!;
    const startedAt = new Date(start + Math.floor(((i - 1) / size.logs) * 90 * DAY));
    const x = r();
    const status = x < 0.92 ? "SUCCESS" : x < 0.98 ? "FAILED" : x < 0.99 ? "TIMED_OUT" : "SKIPPED";
    const durationMs = 50 + Math.floor(r() * (task.type === "WEBSITE_ANALYSIS" ? 3000 : 800));
    const failed = status === "FAILED" || status === "TIMED_OUT";
    logRows.push([
      i,
      task.id,
      task.userId,
      task.type,
      status,
      r() < 0.02 ? "MANUAL" : "SCHEDULED",
      1,
      startedAt,
      startedAt,
      new Date(startedAt.getTime() + durationMs),
      durationMs,
      failed ? null : '{"ok":true,"items":12}',
      failed ? (status === "TIMED_OUT" ? "Timed out after 300000 ms" : "HTTP 503: upstream unavailable") : null,
      failed ? (status === "TIMED_OUT" ? "TIMEOUT" : "NETWORK_ERROR") : null,
      failed ? true : null,
      "live",
    ]);
    const day = rollupDay(startedAt);
    const key = `${task.userId}|${day}|${task.type}|${status}`;
    const bucket = rollup.get(key) ?? {
      userId: task.userId,
      day,
      taskType: task.type,
      status,
      runs: 0,
      totalDurationMs: 0,
    };
    bucket.runs++;
    bucket.totalDurationMs += durationMs;
    rollup.set(key, bucket);
    counts.executed++;
    if (status === "SUCCESS") counts.succeeded++;
    else if (status === "FAILED") counts.failed++;
    else if (status === "TIMED_OUT") counts.timedOut++;
    else counts.skipped++;
  }

  const eventRows: unknown[][] = [];
  let cycles = 0;
  for (let i = 1; i <= size.events; i++) {
    const occurredAt = new Date(start + Math.floor(((i - 1) / size.events) * 90 * DAY));
    if (i % 10 < 3) {
      cycles++;
      eventRows.push([
        i,
        "CHECK_CYCLE",
        occurredAt,
        null,
        null,
        null,
        "bench-worker",
        cycles,
        1000,
        5,
        5,
        0,
        0,
        null,
        null,
        null,
      ]);
    } else {
      const task = tasks[Math.floor(r() * tasks.length)]!;
      const failed = i % 10 === 9;
      eventRows.push([
        i,
        failed ? "JOB_FAILED" : "JOB_COMPLETED",
        occurredAt,
        task.userId,
        task.id,
        Math.max(1, Math.floor((i / size.events) * size.logs)),
        "bench-worker",
        null,
        null,
        null,
        null,
        null,
        null,
        "RECURRING",
        failed ? "FAILED" : "SUCCESS",
        120,
      ]);
    }
  }
  // The counters CHECK_CYCLE events carry (5 found/executed each) and the job outcomes.
  const jobsFailed = eventRows.filter((e) => e[1] === "JOB_FAILED").length;
  const jobsCompleted = eventRows.filter((e) => e[1] === "JOB_COMPLETED").length;

  const deepIndex = Math.min(900_000, Math.floor(size.logs * 0.9));
  return {
    adminId: "bu0",
    userId: "bu1",
    deepCursor: size.logs - deepIndex, // ids descend from the newest: the row `deepIndex` deep
    tables: [
      {
        name: "User",
        columns: [
          ["id", "text"],
          ["email", "text"],
          ["name", "text"],
          ["passwordHash", "text"],
          ["role", '"Role"'],
          ["createdAt", "timestamp"],
          ["updatedAt", "timestamp"],
        ],
        rows: users,
      },
      {
        name: "Task",
        columns: [
          ["id", "text"],
          ["userId", "text"],
          ["type", '"TaskType"'],
          ["dedupeKey", "text"],
          ["platform", '"Platform"'],
          ["websiteUrl", "text"],
          ["websiteRole", '"WebsiteRole"'],
          ["frequencyMinutes", "int"],
          ["status", '"TaskStatus"'],
          ["nextRunAt", "timestamp"],
          ["lastRunAt", "timestamp"],
          ["lastOutcome", '"ExecutionStatus"'],
          ["failureReason", "text"],
          ["failureCategory", '"FailureCategory"'],
          ["consecutiveFailures", "int"],
          ["failurePattern", "jsonb"],
          ["coolOffUntil", "timestamp"],
          ["runCount", "int"],
          ["createdAt", "timestamp"],
          ["updatedAt", "timestamp"],
        ],
        rows: taskRows,
      },
      {
        name: "ExecutionLog",
        columns: [
          ["id", "int"],
          ["taskId", "text"],
          ["userId", "text"],
          ["taskType", '"TaskType"'],
          ["status", '"ExecutionStatus"'],
          ["trigger", '"TriggerKind"'],
          ["attempt", "int"],
          ["scheduledFor", "timestamp"],
          ["startedAt", "timestamp"],
          ["finishedAt", "timestamp"],
          ["durationMs", "int"],
          ["result", "jsonb"],
          ["errorMessage", "text"],
          ["errorCategory", '"FailureCategory"'],
          ["retryable", "bool"],
          ["dataSource", "text"],
        ],
        rows: logRows,
      },
      {
        name: "SchedulerEvent",
        columns: [
          ["id", "int"],
          ["type", '"SchedulerEventType"'],
          ["occurredAt", "timestamp"],
          ["userId", "text"],
          ["taskId", "text"],
          ["executionLogId", "int"],
          ["workerId", "text"],
          ["cycleNumber", "int"],
          ["checkIntervalMs", "int"],
          ["tasksFound", "int"],
          ["tasksExecuted", "int"],
          ["tasksFailed", "int"],
          ["tasksSkipped", "int"],
          ["jobKind", '"JobKind"'],
          ["runStatus", '"ExecutionStatus"'],
          ["durationMs", "int"],
        ],
        rows: eventRows,
      },
      {
        name: "RunStatDaily",
        columns: [
          ["userId", "text"],
          ["day", "text"],
          ["taskType", '"TaskType"'],
          ["status", '"ExecutionStatus"'],
          ["runs", "int"],
          ["totalDurationMs", "bigint"],
        ],
        rows: [...rollup.values()].map((b) => [b.userId, b.day, b.taskType, b.status, b.runs, b.totalDurationMs]),
      },
      {
        name: "CumulativeStats",
        columns: [
          ["id", "int"],
          ["totalCheckCycles", "int"],
          ["tasksFound", "int"],
          ["tasksExecuted", "int"],
          ["jobsCompleted", "int"],
          ["jobsFailed", "int"],
          ["lastCheckCycleAt", "timestamp"],
          ["updatedAt", "timestamp"],
        ],
        rows: [[1, cycles, cycles * 5, cycles * 5, jobsCompleted, jobsFailed, now, now]],
      },
    ],
  };
}

const sqliteValue = (v: unknown) =>
  v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v;

/** Writes the data set into a migrated, empty SQLite database; returns rows written per second. */
export function writeSqlite(file: string, dataset: Dataset) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF"); // bulk load only; the server reopens with its own settings
  for (const table of dataset.tables) {
    db.prepare(`DELETE FROM "${table.name}"`).run();
    const insert = db.prepare(
      `INSERT INTO "${table.name}" (${table.columns.map(([c]) => `"${c}"`).join(", ")}) VALUES (${table.columns.map(() => "?").join(", ")})`,
    );
    db.transaction(() => {
      for (const row of table.rows) insert.run(row.map(sqliteValue));
    })();
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.exec("ANALYZE");
  db.close();
}

/** Writes the data set into a migrated, empty PostgreSQL database, 5,000 rows per statement. */
export async function writePostgres(url: string, dataset: Dataset) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of dataset.tables) {
      await client.query(`DELETE FROM "${table.name}"`);
      const columns = table.columns.map(([c]) => `"${c}"`).join(", ");
      const arrays = table.columns
        .map(([, type], i) => `$${i + 1}::${type === "timestamp" ? "timestamp(3)" : type}[]`)
        .join(", ");
      const sql = `INSERT INTO "${table.name}" (${columns}) SELECT * FROM unnest(${arrays})`;
      for (let offset = 0; offset < table.rows.length; offset += 5000) {
        const chunk = table.rows.slice(offset, offset + 5000);
        const params = table.columns.map((_, c) =>
          chunk.map((row) => {
            const v = row[c];
            return v instanceof Date ? v.toISOString() : v;
          }),
        );
        await client.query(sql, params);
      }
      if (table.columns.some(([c, t]) => c === "id" && t === "int")) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence('"${table.name}"', 'id'), (SELECT COALESCE(MAX(id), 1) FROM "${table.name}"))`,
        );
      }
    }
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

export function rowCount(dataset: Dataset) {
  return dataset.tables.reduce((a, t) => a + t.rows.length, 0);
}
