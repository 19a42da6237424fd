/**
 * The export of every execution log (CSV, as an admin sees them: the largest export there is) through
 * the service and the formatting the route streams, in a process of its own with the server's heap
 * size: rows per second, and how much its memory grows while it runs, over the whole walk and over its
 * first tenth. Memory that stays flat between the two, whatever the number of rows, is the point.
 */
import { spawn } from "node:child_process";
import type { Measurement } from "./report";

/** As `npm start` sizes the server's heap (SERVER_HEAP_MB, default 192). */
const SERVER_HEAP_MB = process.env.SERVER_HEAP_MB ?? "192";

interface ExportRun {
  expected: number;
  rows: number;
  bytes: number;
  ms: number;
  baseRssMb: number;
  peakRssGrowthMb: number;
  peakHeapGrowthMb: number;
  earlyRssGrowthMb: number;
  earlyHeapGrowthMb: number;
}

function runExport(databaseUrl: string, adminId: string, format: "csv" | "ndjson"): Promise<ExportRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${SERVER_HEAP_MB}`, "--expose-gc", "--import", "tsx", "bench/export-worker.ts"],
      {
        env: {
          ...process.env,
          NODE_ENV: "production",
          DATABASE_URL: databaseUrl,
          BENCH_ADMIN_ID: adminId,
          BENCH_EXPORT_FORMAT: format,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (data: Buffer) => (out += data.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !line.startsWith("{")) return reject(new Error(`export bench exited ${code}: ${out}`));
      resolve(JSON.parse(line) as ExportRun);
    });
  });
}

/** The export measurements on one database (`label`: "SQLite", "PostgreSQL"). */
export async function exportMeasurements(databaseUrl: string, adminId: string, label: string): Promise<Measurement[]> {
  const run = await runExport(databaseUrl, adminId, "csv");
  if (run.rows !== run.expected) throw new Error(`the export wrote ${run.rows} rows of ${run.expected}`);
  const seconds = run.ms / 1000;
  const mb = run.bytes / 2 ** 20;
  return [
    {
      name: `export: ${run.rows} logs as CSV, streamed through the service (admin, ${label})`,
      unit: "rows/s",
      value: Math.round(run.rows / seconds),
      note: `${mb.toFixed(0)} MB in ${seconds.toFixed(1)} s (${(mb / seconds).toFixed(1)} MB/s)`,
    },
    {
      // Constant memory: the whole walk's heap grows no more than twice what its first tenth did
      // (garbage collection's own slack), however many rows there are.
      name: `export: peak heap growth over the ${run.rows}-log CSV export (${label})`,
      unit: "MB",
      value: run.peakHeapGrowthMb,
      ratio: {
        to: "growth over the first tenth",
        value: Math.round((run.peakHeapGrowthMb / Math.max(1, run.earlyHeapGrowthMb)) * 100) / 100,
        target: "≤ 2",
        met: run.peakHeapGrowthMb <= 2 * Math.max(1, run.earlyHeapGrowthMb),
      },
      note:
        `${mb.toFixed(0)} MB of CSV; first tenth: heap +${run.earlyHeapGrowthMb} MB, RSS +${run.earlyRssGrowthMb} MB; ` +
        `RSS peak growth ${run.peakRssGrowthMb} MB (before: ${run.baseRssMb} MB)`,
    },
  ];
}
