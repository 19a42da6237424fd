import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");

export type WorkerProcess = ChildProcess & { exited: Promise<number | null>; output: () => string };

/** Spawns a real worker process (tests/fixtures/test-worker.ts: `npm run worker`'s entry with a test executor). */
export function spawnWorker(databaseUrl: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "tests/fixtures/test-worker.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, SEED_ON_START: "false", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return Object.assign(child, { exited, output: () => output });
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
