import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The proxy, as a load balancer would be: it checks each instance's /api/health every 200 ms and
 * sends requests round robin to those that answered 200 (an instance that drains answers 503 and
 * is left alone), one upstream connection per request. A refused connection (an instance that is
 * down) goes to the next instance. Nothing else is retried: a request an instance accepted must be
 * answered by it.
 */
export function startProxy(upstreams: number[]) {
  let next = 0;
  const served = new Map<number, number>();
  const healthy = new Set(upstreams);
  const check = setInterval(() => {
    for (const port of upstreams) {
      const probe = http.get(
        { host: "127.0.0.1", port, path: "/api/health", agent: false, timeout: 1_000 },
        (answer) => {
          answer.resume();
          if (answer.statusCode === 200) healthy.add(port);
          else healthy.delete(port);
        },
      );
      probe.on("error", () => healthy.delete(port));
      probe.on("timeout", () => probe.destroy());
    }
  }, 200);
  const pick = () => {
    const candidates = upstreams.filter((p) => healthy.has(p));
    const pool = candidates.length ? candidates : upstreams; // none healthy: try them all
    return pool[next++ % pool.length]!;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        const port = pick();
        const upstream = http.request(
          {
            host: "127.0.0.1",
            port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: `127.0.0.1:${port}` },
            agent: false,
          },
          (answer) => {
            served.set(port, (served.get(port) ?? 0) + 1);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", (error: NodeJS.ErrnoException) => {
          if (error.code === "ECONNREFUSED" && tries < 50) {
            healthy.delete(port);
            setTimeout(() => attempt(tries + 1), tries < upstreams.length ? 0 : 100);
            return;
          }
          if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
          res.end(`proxy: ${error.code ?? error.message}`);
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  return new Promise<{ url: string; served: Map<number, number>; close: () => void }>((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        served,
        close: () => {
          clearInterval(check);
          server.close();
        },
      }),
    );
  });
}
