/**
 * The engine at scale: N due no-op tasks claimed, run and fully recorded (execution log, task
 * update, job event, cumulative counters, daily rollup) by real worker processes; the schedule
 * drift under a load below capacity; and graphile-worker on the same PostgreSQL for comparison.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { Logger, run, runMigrations } from "graphile-worker";
import pg from "pg";
import { migrateDatabase } from "@/server/migrate";
import { percentiles, type Measurement } from "./report";

export interface Target {
  engine: "sqlite" | "postgres";
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite file, or a new database in the given server. */
export async function freshDatabase(engine: "sqlite" | "postgres", serverUrl?: string): Promise<Target> {
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "sd-bench-"));
    const url = `file:${join(dir, "bench.db")}`;
    await migrateDatabase(url);
    return { engine, url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!serverUrl) throw new Error("no PostgreSQL server");
  const name = `sd_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return {
    engine,
    url: url.toString(),
    drop: async () => {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Runs SQL against either engine (`?` placeholders), for the set-up and the progress polls. */
async function withSql<T>(
  target: Target,
  fn: (query: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>,
): Promise<T> {
  if (target.engine === "sqlite") {
    const db = new Database(target.url.replace(/^file:/, ""));
    db.pragma("busy_timeout = 5000");
    try {
      return await fn(async (sql, params = []) => {
        const statement = db.prepare(sql);
        return statement.reader
          ? (statement.all(...params) as Record<string, unknown>[])
          : (statement.run(...params), []);
      });
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return await fn(async (sql, params = []) => {
      let n = 0;
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows as Record<string, unknown>[];
    });
  } finally {
    await client.end();
  }
}

const iso = (target: Target, d: Date) =>
  target.engine === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString();

/** One user and `count` tasks due at `dueAt(i)` (daily, so each runs once in the measurement). */
async function insertDueTasks(target: Target, count: number, dueAt: (i: number) => Date) {
  await withSql(target, async (query) => {
    const now = iso(target, new Date());
    await query(
      `INSERT INTO "User" ("id","email","role","createdAt","updatedAt") VALUES ('bench-engine','bench-engine@example.com','USER',?,?)`,
      [now, now],
    );
    const chunk = 500;
    for (let offset = 0; offset < count; offset += chunk) {
      const n = Math.min(chunk, count - offset);
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = offset; i < offset + n; i++) {
        values.push(
          target.engine === "sqlite"
            ? "(?,?,?,?,?,?,?,?)"
            : `(?,?,?::"TaskType",?,?,?::"TaskStatus",?::timestamp(3),?::timestamp(3))`,
        );
        params.push(`be${i}`, "bench-engine", "GSC_INSIGHTS", `bench:${i}`, 1440, "ACTIVE", iso(target, dueAt(i)), now);
      }
      await query(
        `INSERT INTO "Task" ("id","userId","type","dedupeKey","frequencyMinutes","status","nextRunAt","updatedAt") VALUES ${values.join(",")}`,
        params,
      );
    }
  });
}

function startWorkers(target: Target, count: number, env: Record<string, string>): ChildProcess[] {
  return Array.from({ length: count }, () =>
    // BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the workers.
    spawn(
      process.execPath,
      [
        ...(process.env.BENCH_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
        "--import",
        "tsx",
        "bench/noop-worker.ts",
      ],
      {
        env: {
          ...process.env,
          NODE_ENV: "production",
          DATABASE_URL: target.url,
          TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
          AUTH_SECRET: "bench-auth-secret-bench-auth-secret-0123456789",
          LOCAL_PROVIDER: "false",
          SEED_ON_START: "false",
          LOG_LEVEL: "warn",
          SCHEDULER_POLL_MS: "100",
          ...env,
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    ),
  );
}

async function stopWorkers(workers: ChildProcess[]) {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGTERM");
  await Promise.all(
    workers.map((w) =>
      w.exitCode !== null ? null : Promise.race([new Promise((r) => w.once("exit", r)), sleep(15_000)]),
    ),
  );
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
}

async function waitForWorkers(target: Target, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await withSql(target, (q) => q(`SELECT COUNT(*) AS n FROM "Worker" WHERE "stoppedAt" IS NULL`));
    if (Number(row?.n) >= count) return;
    await sleep(100);
  }
  throw new Error(`${count} worker(s) did not start within ${timeoutMs} ms`);
}

/** Waits until `count` runs are recorded as finished; returns the time the last one finished. */
async function waitForRuns(
  target: Target,
  count: number,
  timeoutMs: number,
): Promise<{ done: number; lastFinished: Date | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await withSql(target, (q) =>
      q(
        `SELECT COUNT(*) AS n, MAX("finishedAt") AS last FROM "ExecutionLog" WHERE "status" <> 'RUNNING' AND "taskType" NOT IN ('SYSTEM_RETENTION', 'SYSTEM_ALERT_DELIVERY')`,
      ),
    );
    const done = Number(row?.n ?? 0);
    const last = row?.last ? new Date(target.engine === "sqlite" ? String(row.last) : (row.last as Date)) : null;
    if (done >= count || Date.now() > deadline) return { done, lastFinished: last };
    await sleep(250);
  }
}

/** Checks that everything a run records was recorded: one log, one job event, counters that add up. */
async function verifyRecorded(target: Target, count: number): Promise<string | undefined> {
  return withSql(target, async (q) => {
    // The engine's own daily retention task runs once too, and is counted like any run.
    const [system] = await q(
      `SELECT COUNT(*) AS n FROM "ExecutionLog" WHERE "taskType" = 'SYSTEM_RETENTION' AND "status" = 'SUCCESS'`,
    );
    const all = count + Number(system?.n ?? 0);
    const [logs] = await q(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT "taskId") AS tasks FROM "ExecutionLog" WHERE "status" = 'SUCCESS' AND "taskType" NOT IN ('SYSTEM_RETENTION', 'SYSTEM_ALERT_DELIVERY')`,
    );
    const [events] = await q(`SELECT COUNT(*) AS n FROM "SchedulerEvent" WHERE "type" = 'JOB_COMPLETED'`);
    const [stats] = await q(`SELECT "tasksExecuted" AS n FROM "CumulativeStats" WHERE "id" = 1`);
    const [rollup] = await q(`SELECT SUM("runs") AS n FROM "RunStatDaily"`);
    const problems = [
      Number(logs?.n) !== count && `${String(logs?.n)} successful logs`,
      Number(logs?.tasks) !== count && `${String(logs?.tasks)} distinct tasks`,
      Number(events?.n) !== all && `${String(events?.n)} JOB_COMPLETED events`,
      Number(stats?.n) !== all && `tasksExecuted ${String(stats?.n)}`,
      Number(rollup?.n) !== count && `rollup ${String(rollup?.n)}`, // system runs belong to no user's chart
    ].filter(Boolean);
    return problems.length ? `expected ${count} of each, found ${problems.join(", ")}` : undefined;
  });
}

/**
 * `verifyRecorded` once the last check cycle is written: a cycle's CHECK_CYCLE event (and the counters
 * it adds to) follows its runs, so right after the last run finishes it may still be on its way.
 */
async function settledRecord(target: Target, count: number, withinMs = 5_000): Promise<string | undefined> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const problem = await verifyRecorded(target, count);
    if (!problem || Date.now() > deadline) return problem;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs in flight per worker process for the no-op benchmark (SCHEDULER_CONCURRENCY), claimed 500 at
 * a time (the default SCHEDULER_CLAIM_BATCH), so a claim overlaps with the recording of the one
 * before. The production default (10) suits runs that wait on remote APIs; no-op runs measure the
 * engine's own ceiling, as graphile-worker's tuned configuration does with its local queue of 500.
 */
export const ENGINE_CONCURRENCY = 2048;

/** Throughput: `count` tasks all due at one instant, just after the workers are up. */
export async function engineThroughput(
  engine: "sqlite" | "postgres",
  workers: number,
  count: number,
  serverUrl?: string,
): Promise<Measurement> {
  const target = await freshDatabase(engine, serverUrl);
  const processes = startWorkers(target, workers, { SCHEDULER_CONCURRENCY: String(ENGINE_CONCURRENCY) });
  try {
    await waitForWorkers(target, workers, 60_000);
    // Inserted far in the future, then all made due at one instant by one statement: no run can start
    // while the rest are still being inserted, so the clock starts when the work is all there.
    await insertDueTasks(target, count, () => new Date(Date.now() + 86_400_000));
    const dueAt = new Date(Date.now() + 200);
    await withSql(target, (q) =>
      q(
        `UPDATE "Task" SET "nextRunAt" = ${target.engine === "postgres" ? "?::timestamp(3)" : "?"} WHERE "id" LIKE 'be%'`,
        [iso(target, dueAt)],
      ),
    );
    const { done, lastFinished } = await waitForRuns(target, count, 600_000);
    const seconds = lastFinished ? (lastFinished.getTime() - dueAt.getTime()) / 1000 : NaN;
    const problem = done < count ? `only ${done} of ${count} runs finished` : await settledRecord(target, count);
    return {
      name: `engine ${engine} ${workers} process${workers === 1 ? "" : "es"}, ${count} no-op tasks`,
      unit: "tasks/s",
      value: Math.round(done / seconds),
      ...(problem
        ? { note: `NOT ALL RECORDED: ${problem}` }
        : { note: `all ${count} runs recorded in ${seconds.toFixed(2)} s` }),
    };
  } finally {
    await stopWorkers(processes);
    await target.drop();
  }
}

/** CPU time (user + system) of a process so far, in seconds, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** The machine's busy and total CPU time so far, in seconds (every core, the database's included). */
function machineCpu(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const values = ticks.map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, v) => sum + v, 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

/**
 * Drift (due → started) with `perSecond` tasks falling due evenly for `seconds`, with `workers` worker
 * processes: below capacity, and sustained (1,000 due/s for a minute on PostgreSQL with two workers).
 * Reports the drift percentiles, whether every run was recorded, the workers' CPU, the machine's CPU
 * and, on PostgreSQL, the database's commits per second while the tasks fell due.
 */
export async function scheduleDrift(
  engine: "sqlite" | "postgres",
  perSecond: number,
  seconds: number,
  serverUrl?: string,
  workers = 1,
): Promise<Measurement> {
  const target = await freshDatabase(engine, serverUrl);
  const processes = startWorkers(target, workers, {
    SCHEDULER_CONCURRENCY: String(ENGINE_CONCURRENCY),
    SCHEDULER_POLL_MS: "1000",
  });
  try {
    await waitForWorkers(target, workers, 60_000);
    const count = perSecond * seconds;
    // Inserted a day ahead, then moved by one statement to start three seconds from now: however long
    // the insert of a minute's tasks takes, none is late before the measurement starts. On PostgreSQL
    // the move leaves a dead version of every task row: vacuumed before the first falls due, so the
    // workers are measured against the load, not against the set-up's own mass update.
    const dayAhead = Date.now() + 86_400_000;
    await insertDueTasks(target, count, (i) => new Date(dayAhead + Math.floor((i * 1000) / perSecond)));
    const first = Date.now() + 3000;
    const shiftMs = first - dayAhead;
    await withSql(target, (q) =>
      q(
        target.engine === "postgres"
          ? `UPDATE "Task" SET "nextRunAt" = "nextRunAt" + ? * interval '1 millisecond' WHERE "id" LIKE 'be%'`
          : `UPDATE "Task" SET "nextRunAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', "nextRunAt", ? || ' seconds') WHERE "id" LIKE 'be%'`,
        [target.engine === "postgres" ? shiftMs : String(shiftMs / 1000)],
      ),
    );
    if (target.engine === "postgres") await withSql(target, (q) => q(`VACUUM (ANALYZE) "Task"`));
    const commits = async () =>
      target.engine === "postgres"
        ? Number(
            (
              await withSql(target, (q) =>
                q(`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`),
              )
            )[0]?.n ?? NaN,
          )
        : NaN;
    const commitsBefore = await commits();
    const cpuBefore = processes.map((w) => cpuSeconds(w.pid!));
    const machineBefore = machineCpu();
    const t0 = performance.now();
    const { done } = await waitForRuns(target, count, seconds * 1000 + 120_000);
    const wallSeconds = (performance.now() - t0) / 1000;
    const workerCpu = processes.reduce((sum, w, i) => sum + cpuSeconds(w.pid!) - cpuBefore[i]!, 0);
    const machineAfter = machineCpu();
    await sleep(1_100); // the statistics collector reports a backend's commits within a second
    const commitCount = (await commits()) - commitsBefore;
    const rows = await withSql(target, (q) =>
      q(
        `SELECT "scheduledFor", "startedAt" FROM "ExecutionLog" WHERE "taskType" NOT IN ('SYSTEM_RETENTION', 'SYSTEM_ALERT_DELIVERY')`,
      ),
    );
    const drift = rows.map(
      (r) =>
        new Date(String(r.startedAt instanceof Date ? r.startedAt.toISOString() : r.startedAt)).getTime() -
        new Date(String(r.scheduledFor instanceof Date ? r.scheduledFor.toISOString() : r.scheduledFor)).getTime(),
    );
    const problem = done < count ? `only ${done} of ${count} runs finished` : await settledRecord(target, count);
    const cores = cpus().length;
    const machinePercent =
      ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100;
    return {
      name: `engine ${engine} schedule drift at ${perSecond} due/s for ${seconds} s, ${workers} worker${workers === 1 ? "" : "s"}`,
      unit: "ms",
      ...percentiles(drift),
      requests: drift.length,
      note: [
        problem ? `NOT ALL RECORDED: ${problem}` : `all ${count} runs recorded`,
        `workers' CPU ${Math.round((workerCpu / wallSeconds) * 100)} % of one core`,
        `machine CPU ${Math.round(machinePercent)} % of ${cores} cores`,
        ...(Number.isFinite(commitCount) ? [`${Math.round(commitCount / wallSeconds)} commits/s`] : []),
      ].join("; "),
    };
  } finally {
    await stopWorkers(processes);
    await target.drop();
  }
}

/** graphile-worker 0.17 on the same server: `count` jobs, each writing one run row. */
export async function graphileThroughput(serverUrl: string, count: number, tuned: boolean): Promise<Measurement> {
  const target = await freshDatabase("postgres", serverUrl);
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE bench_run (id serial PRIMARY KEY, job_id bigint NOT NULL, ran_at timestamptz NOT NULL DEFAULT now())`,
    );
    // Installs graphile-worker's schema, then queues every job at once.
    await runMigrations({ connectionString: target.url, logger: quietLogger() });
    await client.query(
      `SELECT graphile_worker.add_job('bench', json_build_object('i', i)) FROM generate_series(1, $1) AS i`,
      [count],
    );
    // Our own pool, so that its connections are closed before the database is dropped (graphile's
    // default pool is 10 connections; the tuned run gets one per concurrent job plus two).
    const pool = new pg.Pool({ connectionString: target.url, max: tuned ? 26 : 10 });
    pool.on("error", () => undefined); // a connection ended by the drop below is expected
    const started = Date.now();
    const runner = await run({
      pgPool: pool,
      noHandleSignals: true,
      logger: quietLogger(),
      ...(tuned
        ? {
            concurrency: 24,
            preset: { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
          }
        : {}),
      taskList: {
        bench: async (_payload, helpers) => {
          await helpers.query(`INSERT INTO bench_run (job_id) VALUES ($1)`, [helpers.job.id]);
        },
      },
    });
    for (;;) {
      const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM bench_run`);
      if (Number(rows[0]?.n) >= count || Date.now() - started > 600_000) break;
      await sleep(100);
    }
    const { rows } = await client.query<{ n: string; last: Date }>(
      `SELECT COUNT(*) AS n, MAX(ran_at) AS last FROM bench_run`,
    );
    await runner.stop();
    await pool.end();
    const seconds = (rows[0]!.last.getTime() - started) / 1000;
    return {
      name: `graphile-worker 0.17 ${tuned ? "localQueue 500 + batched completion, concurrency 24" : "defaults"}, ${count} jobs`,
      unit: "jobs/s",
      value: Math.round(Number(rows[0]!.n) / seconds),
      note: `${rows[0]!.n} run rows in ${seconds.toFixed(2)} s`,
    };
  } finally {
    await client.end();
    await target.drop();
  }
}

/** graphile-worker's logger, printing errors only. */
function quietLogger() {
  return new Logger(() => (level: string, message: string) => {
    if (level === "error") console.error(`graphile-worker: ${message}`);
  });
}
