/**
 * Search latency on the benchmark's data set, through the service the Logs page calls
 * (`listExecutionLogs` with `search`, first page with its count, as the page asks), for the bench user
 * (their own logs) and the admin (everyone's): common words, a site of the user's, two words together,
 * a word nothing has. Each search is asked repeatedly, in turn; p50/p95/p99 per scope over all of them.
 */
import { createDb } from "@/server/db";
import { listExecutionLogs } from "@/server/services/logs";
import type { Measurement } from "./report";

/** Words the data set has (see bench/dataset.ts): errors, platforms, a site of user 1's, two at once, none. */
export const BENCH_SEARCHES = ["503", "timed out", "wordpress", "site1-6", "insights 503", "zzzqx"] as const;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function searchMeasurements(
  databaseUrl: string,
  ids: { userId: string; adminId: string },
  label: string,
  rounds: number,
): Promise<Measurement[]> {
  const db = createDb(databaseUrl);
  try {
    const out: Measurement[] = [];
    for (const [who, scope] of [
      ["user", { userId: ids.userId, role: "USER" as const }],
      ["admin", { userId: ids.adminId, role: "ADMIN" as const }],
    ] as const) {
      for (const search of BENCH_SEARCHES) await listExecutionLogs(db, scope, { limit: 50, search }); // warm
      const times: number[] = [];
      for (let round = 0; round < rounds; round++)
        for (const search of BENCH_SEARCHES) {
          const start = performance.now();
          await listExecutionLogs(db, scope, { limit: 50, search });
          times.push(performance.now() - start);
        }
      times.sort((a, b) => a - b);
      out.push({
        name: `search: monitoring.executionLogs first page with count, ${BENCH_SEARCHES.length} searches (${who}, ${label})`,
        unit: "ms",
        p50: Math.round(percentile(times, 50) * 10) / 10,
        p95: Math.round(percentile(times, 95) * 10) / 10,
        p99: Math.round(percentile(times, 99) * 10) / 10,
        requests: times.length,
        note: "target p99 ≤ 50 ms at 1M logs",
      });
    }
    return out;
  } finally {
    await db.$disconnect();
  }
}
