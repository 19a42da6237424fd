// Finds a PostgreSQL server for the tests: TEST_POSTGRES_URL, else 127.0.0.1:5432, else a throwaway
// cluster started from the installed server binaries (removed by the returned cleanup).
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import pg from "pg";

export async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * A PostgreSQL cluster of our own on a free port, with its controls: `stop(mode)` and `start()`
 * (the chaos drills restart it under load), and `remove()`. Null without the server binaries.
 */
export async function startCluster() {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const version = readdirSync(base)
    .sort((a, b) => Number(b) - Number(a))
    .find((v) => existsSync(join(base, v, "bin", "initdb")));
  if (!version) return null;
  const bin = join(base, version, "bin");
  const dir = mkdtempSync(join(tmpdir(), "sd-pg-"));
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  // initdb refuses to run as root; run the cluster as the postgres system user then.
  const as = (cmd, args) => (isRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]);
  if (isRoot)
    chownSync(
      dir,
      Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
      Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
    );
  const data = join(dir, "data");
  const [c1, a1] = as(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  execFileSync(c1, a1, { stdio: "ignore" });
  const pgCtl = (args) => {
    const [c, a] = as(join(bin, "pg_ctl"), ["-D", data, ...args]);
    return spawnSync(c, a, { stdio: "ignore" }).status === 0;
  };
  const start = () => {
    if (
      !pgCtl([
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        "-l",
        join(dir, "log"),
        "-w",
        "start",
      ])
    )
      throw new Error(`pg_ctl start failed (log: ${join(dir, "log")})`);
  };
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    /** "fast" ends sessions and shuts down cleanly; "immediate" is a crash (recovery on next start). */
    stop: (mode = "fast") => pgCtl(["-m", mode, "-w", "stop"]),
    remove: () => {
      pgCtl(["-m", "immediate", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway cluster for the test run, removed by the cleanup it registers. */
export async function startThrowawayCluster(cleanups) {
  const cluster = await startCluster();
  if (!cluster) return null;
  cleanups.push(() => cluster.remove());
  return cluster.url;
}

export async function findPostgres(cleanups) {
  if (process.env.TEST_POSTGRES_URL) {
    if (await canConnect(process.env.TEST_POSTGRES_URL))
      return { url: process.env.TEST_POSTGRES_URL, how: "TEST_POSTGRES_URL" };
    return { url: null, how: `TEST_POSTGRES_URL is set but ${process.env.TEST_POSTGRES_URL} does not answer` };
  }
  const local = "postgresql://postgres@127.0.0.1:5432/postgres";
  if (await canConnect(local)) return { url: local, how: "the server on 127.0.0.1:5432" };
  try {
    const url = await startThrowawayCluster(cleanups);
    if (url) return { url, how: "a throwaway cluster started for this run" };
  } catch (error) {
    return { url: null, how: `starting a throwaway cluster failed: ${error.message}` };
  }
  return {
    url: null,
    how: "no server on 127.0.0.1:5432 and no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)",
  };
}
