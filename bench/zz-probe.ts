import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase } from "@/server/migrate";
import { BENCH_USER, generateDataset, writeSqlite } from "./dataset";
import { load, signIn, startServer, trpcPath } from "./http";

async function main() {
const dir = mkdtempSync(join(tmpdir(), "probe-"));
const file = join(dir, "bench.db");
const dataset = await generateDataset({ users: 200, tasks: 2_000, logs: 100_000, events: 10_000 });
await migrateDatabase(`file:${file}`);
writeSqlite(file, dataset);
for (const variant of (process.env.VARIANTS ?? "on,off").split(",")) {
  const env: Record<string, string> = variant === "off" ? { SCHEDULER_ENABLED: "false" } : {};
  const server = await startServer({ port: 3311, databaseUrl: `file:${file}`, env, nodeArgs: process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : [] });
  const user = await signIn(server.url, BENCH_USER.email, BENCH_USER.password);
  for (const c of [
    { name: "floor", path: "/api/ping" },
    { name: "jobs", path: trpcPath("dashboard.jobs", { limit: 50 }), cookie: user },
    { name: "logs", path: trpcPath("monitoring.executionLogs", { limit: 50 }), cookie: user },
  ]) {
    const m = await load(server.url, c, 32, 4);
    console.log(variant, c.name, m.p50, m.p95, m.p99, m.requestsPerSecond);
  }
  await server.stop();
}
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
