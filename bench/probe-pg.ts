import pg from "pg";
import autocannon from "autocannon";
import { migrateDatabase } from "@/server/migrate";
import { BENCH_ADMIN, BENCH_USER, generateDataset, writePostgres, writeSqlite } from "./dataset";
import { load, signIn, startServer, trpcPath } from "./http";
async function main() {
  const engine = process.env.ENGINE ?? "postgres";
  const dataset = await generateDataset({ users: 200, tasks: 2000, logs: 100_000, events: 10_000 });
  let url = "file:/tmp/probe/bench.db";
  if (engine === "postgres") {
    const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS sd_probe WITH (FORCE)`);
    await admin.end();
    url = "postgresql://postgres@127.0.0.1:5432/sd_probe";
    await migrateDatabase(url);
    await writePostgres(url, dataset);
  } else {
    await migrateDatabase(url);
    writeSqlite("/tmp/probe/bench.db", dataset);
  }
  const server = await startServer({ port: 3298, databaseUrl: url, ...(process.env.PROF ? { nodeArgs: ["--cpu-prof", "--cpu-prof-dir=/tmp/prof2"] } : {}) });
  const user = await signIn(server.url, BENCH_USER.email, BENCH_USER.password);
  const admin = await signIn(server.url, BENCH_ADMIN.email, BENCH_ADMIN.password);
  const paths = (process.env.PATHS ?? "").split(" ").filter(Boolean);
  const all = paths.length
    ? paths
    : [
        "/api/scheduler/execution-logs?limit=50",
        trpcPath("monitoring.executionLogs", { limit: 50, search: "503" }),
        trpcPath("monitoring.executionLogs", { limit: 50 }),
        trpcPath("tasks.needingIntervention", { limit: 50 }),
      ];
  for (const path of all)
    for (const [who, cookie] of [["user", user], ["admin", admin]] as const)
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const r = await fetch(server.url + path, { headers: { cookie } });
        const body = await r.text();
        console.log(who, path.slice(0, 70), r.status, Math.round(performance.now() - t0), "ms", body.length, body.slice(0, 150));
      }
  if (process.env.SLOW)
    for (const path of all) {
      const t0 = Date.now();
      const slow: string[] = [];
      await new Promise<void>((resolve) => {
        const inst = autocannon({ url: server.url + path, connections: 32, duration: 4, headers: { cookie: user } }, () => resolve());
        inst.on("response", (_c, _s, _b, rt) => { if (rt > 800) slow.push(`${Date.now() - t0}:${Math.round(rt)}`); });
      });
      console.log("slow", path.slice(0, 50), slow.join(" "));
    }
  if (process.env.LOAD)
    for (const path of all)
      for (const [who, cookie] of [["user", user], ["admin", admin]] as const)
        console.log(who, path.slice(0, 60), JSON.stringify(await load(server.url, { name: who, path, cookie }, 32, 3)));
  await server.stop();
  console.log(server.output().split("\n").filter((l) => /error|warn/i.test(l)).slice(-10).join("\n"));
}
void main();
