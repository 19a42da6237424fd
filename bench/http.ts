/**
 * The API over real HTTP: a production server (`next start`) on the bench database, signed-in
 * sessions, autocannon at a fixed number of connections for a fixed time per endpoint.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import { percentiles, type Measurement } from "./report";

export interface Server {
  url: string;
  process: ChildProcess;
  /** What the server printed so far (for a failing test's report). */
  output(): string;
  stop(): Promise<void>;
}

/** The bench server's session secret (the server is started with it, so sessions can be minted). */
const BENCH_AUTH_SECRET = "bench-auth-secret-bench-auth-secret-0123456789";

/** As `npm start` sizes the heap (SERVER_HEAP_MB, default 192): V8 otherwise grows it lazily on a big machine. */
const SERVER_HEAP_MB = process.env.SERVER_HEAP_MB ?? "192";

export async function startServer(options: {
  port: number;
  databaseUrl: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<Server> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${SERVER_HEAP_MB}`,
      ...(options.nodeArgs ?? []),
      "node_modules/next/dist/bin/next",
      "start",
      "-p",
      String(options.port),
      "-H",
      "127.0.0.1",
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_MANUAL_SIG_HANDLE: "true",
        DATABASE_URL: options.databaseUrl,
        AUTH_SECRET: BENCH_AUTH_SECRET,
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
        SEED_ON_START: "false",
        LOCAL_PROVIDER: "false",
        SCHEDULER_ENABLED: "true", // measured with the engine running, as in production
        EVENT_RETENTION_DAYS: "365",
        LOG_RETENTION_DAYS: "3650",
        // Counted as in production (the cost is part of each figure), never reached: load is not abuse here.
        RATE_LIMIT_MUTATIONS_PER_MINUTE: "100000",
        RATE_LIMIT_READS_PER_MINUTE: "1000000",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/api/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer within 60 s:\n${output.slice(-3000)}`);
    await sleep(200);
  }
  return {
    url,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await Promise.race([new Promise((resolve) => child.once("exit", resolve)), sleep(15_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

function setCookies(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/** Signs in through next-auth's credentials callback, as the sign-in form does; returns the Cookie header. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = setCookies(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/dashboard` }),
  });
  const session = setCookies(response).find((c) => c.includes("session-token="));
  if (!session) throw new Error(`sign-in as ${email} failed (HTTP ${response.status})`);
  return session;
}

/**
 * A signed-in session for a user of the data set, made as next-auth makes one (a JWE under the plain
 * cookie's name): a thousand sign-ins through the form would take minutes of password hashing and
 * trip the sign-in limit, and the server reads the cookie the same either way.
 */
export async function mintSession(userId: string): Promise<string> {
  const salt = "authjs.session-token";
  const now = Math.floor(Date.now() / 1000);
  const token = await encode({ token: { sub: userId, iat: now, exp: now + 3600 }, secret: BENCH_AUTH_SECRET, salt });
  return `${salt}=${token}`;
}

/** A tRPC query as the client sends it (superjson-wrapped input in the query string). */
export function trpcPath(procedure: string, input?: unknown) {
  return `/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;
}

export interface LoadCase {
  name: string;
  path: string;
  cookie?: string;
}

/**
 * Waits until the server answers a trivial request quickly again (twice in a row under 25 ms, at most
 * 30 s): requests still in flight when a load stops (a slow endpoint's 32) would otherwise be served
 * during the next measurement and be charged to it.
 */
export async function settle(baseUrl: string) {
  const deadline = Date.now() + 30_000;
  for (let quick = 0; quick < 2 && Date.now() < deadline;) {
    const t0 = performance.now();
    await fetch(`${baseUrl}/api/ping`).then((r) => r.arrayBuffer());
    quick = performance.now() - t0 < 25 ? quick + 1 : 0;
    if (quick < 2) await sleep(50);
  }
}

/**
 * Drives the server at `connections` and measures `seconds` of steady state, once every connection is
 * open and has had an answer: Node (libuv 1.46) accepts one pending connection per event-loop turn, so
 * while a saturated server works through a turn of requests the rest of a burst of new connections
 * waits in the accept queue. Counted from the first request, a plain Node server that spends 4.5 ms
 * per request measured p50 115 ms, p99 1,570 ms at 32 new connections; counted once all were open,
 * p50 144, p99 288 ms. The cold figures measured that queue, scaled by each procedure's cost, not the
 * procedure; a browser or a proxy keeps its connections open. Latency percentiles come from the answers
 * to requests sent inside the window, throughput from the answers received in it.
 */
async function steadyLoad(
  options: autocannon.Options,
  connections: number,
  seconds: number,
): Promise<{ latencies: number[]; requests: number; errors: number; warmUpMs: number }> {
  const latencies: number[] = [];
  const open = new Set<unknown>();
  const began = performance.now();
  let windowStart: number | null = null;
  let requests = 0;
  let errors = 0;
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      // An upper bound: the run stops itself once the window is measured.
      { ...options, connections, duration: seconds + 60 },
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on("response", (client, status, _bytes, responseTime) => {
      const now = performance.now();
      if (windowStart === null) {
        open.add(client);
        // Every connection answered once, and at least a second of warm-up (JIT, caches).
        if ((open.size === connections && now - began >= 1_000) || now - began >= 30_000) windowStart = now;
        return;
      }
      if (now > windowStart + seconds * 1_000) {
        instance.stop();
        return;
      }
      requests++;
      if (status < 200 || status >= 300) errors++;
      if (now - responseTime >= windowStart) latencies.push(responseTime);
    });
    instance.on("reqError", () => errors++);
  });
  return { latencies, requests, errors, warmUpMs: Math.round((windowStart ?? performance.now()) - began) };
}

/** Drives one path at `connections` for `seconds` of steady state (`steadyLoad`). */
export async function load(baseUrl: string, c: LoadCase, connections: number, seconds: number): Promise<Measurement> {
  const run = await steadyLoad(
    { url: baseUrl + c.path, headers: c.cookie ? { cookie: c.cookie } : {} },
    connections,
    seconds,
  );
  await settle(baseUrl);
  return {
    name: `http ${c.name} @${connections}`,
    unit: "ms",
    ...percentiles(run.latencies),
    requestsPerSecond: Math.round((run.requests / seconds) * 10) / 10,
    requests: run.requests,
    errors: run.errors,
  };
}

/**
 * Many users at once: each request is the next user's (cookie i), and each sweep over all users the
 * next path, so no user's answer is asked twice in a row and no per-user cache can serve it.
 */
export async function loadRoundRobin(
  baseUrl: string,
  name: string,
  cookies: string[],
  paths: string[],
  connections: number,
  seconds: number,
): Promise<Measurement> {
  let next = 0;
  const requests = [
    {
      setupRequest: (request: autocannon.Request) => {
        const i = next++;
        const path = paths[Math.floor(i / cookies.length) % paths.length]!;
        return { ...request, path, headers: { ...request.headers, cookie: cookies[i % cookies.length]! } };
      },
    },
  ];
  const run = await steadyLoad({ url: baseUrl, requests }, connections, seconds);
  await settle(baseUrl);
  return {
    name: `http ${name} @${connections}`,
    unit: "ms",
    ...percentiles(run.latencies),
    requestsPerSecond: Math.round((run.requests / seconds) * 10) / 10,
    requests: run.requests,
    errors: run.errors,
  };
}

/** Resident memory of a process and all its descendants (next start serves from a child process). */
export function treeRssMb(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const pid of tree) {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round(kb / 1024);
}
