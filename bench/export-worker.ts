/**
 * One export in a process of its own (`bench/export.ts` starts it), so its memory is the export's alone:
 * every execution log of the data set, as the admin sees them, through the service and the CSV (or
 * NDJSON) formatting the route handler streams, the chunks counted and dropped as a client would take
 * them. Prints one JSON line: rows, bytes, time, and the RSS and heap before and at their peak.
 */
import { createDb } from "@/server/db";
import { exportChunks, type ExportRequest } from "@/server/services/export";
import type { Scope } from "@/server/services/scope";

const url = process.env.DATABASE_URL!;
const scope: Scope = { userId: process.env.BENCH_ADMIN_ID!, role: "ADMIN" };
const format = process.env.BENCH_EXPORT_FORMAT === "ndjson" ? "ndjson" : "csv";
const request: ExportRequest = { kind: "execution-logs", filter: {} };
const MB = 2 ** 20;

async function main() {
  const db = createDb(url);
  const expected = await db.executionLog.count();
  // A first page warms up what every export shares (the client, its engine, the modules, the query plan).
  for await (const chunk of exportChunks(db, scope, request, format)) if (chunk) break;
  globalThis.gc?.();
  const base = process.memoryUsage();
  const peak = { rss: base.rss, heap: base.heapUsed };
  const early = { rss: base.rss, heap: base.heapUsed };
  let rows = 0;
  let bytes = 0;
  let chunks = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
    if (rows <= expected / 10) Object.assign(early, peak);
  };
  const timer = setInterval(sample, 25);
  const started = performance.now();
  for await (const chunk of exportChunks(db, scope, request, format)) {
    chunks++;
    bytes += Buffer.byteLength(chunk);
    // Rows: one line each (the bench's messages hold no line break), less the CSV header.
    rows +=
      (format === "csv" ? chunk.split("\r\n") : chunk.split("\n")).length -
      1 -
      (chunks === 1 && format === "csv" ? 1 : 0);
    sample();
  }
  const ms = performance.now() - started;
  clearInterval(timer);
  await db.$disconnect();
  console.log(
    JSON.stringify({
      expected,
      rows,
      bytes,
      ms: Math.round(ms),
      baseRssMb: Math.round(base.rss / MB),
      peakRssGrowthMb: Math.round(((peak.rss - base.rss) / MB) * 10) / 10,
      peakHeapGrowthMb: Math.round(((peak.heap - base.heapUsed) / MB) * 10) / 10,
      earlyRssGrowthMb: Math.round(((early.rss - base.rss) / MB) * 10) / 10,
      earlyHeapGrowthMb: Math.round(((early.heap - base.heapUsed) / MB) * 10) / 10,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
