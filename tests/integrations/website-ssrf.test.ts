import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FETCH_POLICY, fetchPage, type FetchPolicy } from "@/server/integrations/website";
import { IntegrationError } from "@/server/integrations/http";

/**
 * The SSRF guard of website analysis against redirects: a public-looking site (the only host the
 * policy lets through) answers with a redirect into the private network. Every hop is checked, at
 * the URL and again when the name is resolved, so none of these may reach the internal server.
 */
function listen(handler: http.RequestListener) {
  return new Promise<{ server: http.Server; port: number }>((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

describe("SSRF guard through redirects", () => {
  let internal: { server: http.Server; port: number };
  let site: { server: http.Server; port: number };
  let internalHits = 0;
  let policy: FetchPolicy;

  beforeAll(async () => {
    internal = await listen((_req, res) => {
      internalHits++;
      res.end("internal secret");
    });
    // /to?u=<url> redirects to <url>; /hop/<n>?u=<url> redirects through n more hops first.
    site = await listen((req, res) => {
      const url = new URL(req.url ?? "/", "http://site");
      const target = url.searchParams.get("u") ?? "/";
      const hops = /^\/hop\/(\d+)$/.exec(url.pathname);
      if (hops && Number(hops[1]) > 0) {
        res.writeHead(302, { location: `/hop/${Number(hops[1]) - 1}?u=${encodeURIComponent(target)}` }).end();
        return;
      }
      if (url.pathname === "/to" || hops) {
        res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: target }).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/html" }).end("<html><title>public page</title></html>");
    });
    // Only the "public" site is allowed; the internal server on the same loopback is not.
    policy = { ...DEFAULT_FETCH_POLICY, timeoutMs: 5_000, allowedPrivateUrls: [`http://127.0.0.1:${site.port}/`] };
  });
  afterAll(() => {
    internal.server.close();
    site.server.close();
  });

  it("follows a redirect within the allowed site (the guard is not simply refusing everything)", async () => {
    const page = await fetchPage(`http://127.0.0.1:${site.port}/hop/2?u=/`, policy);
    expect(page).toMatchObject({ status: 200, finalUrl: `http://127.0.0.1:${site.port}/` });
    expect(page.redirects).toHaveLength(3);
  });

  const targets = (port: number) => [
    `http://127.0.0.1:${port}/`, // loopback, another port of the same host
    `http://localhost:${port}/`, // a name that resolves to loopback (checked at lookup)
    `http://[::1]:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`, // IPv4-mapped IPv6
    `http://0x7f000001:${port}/`, // hexadecimal 127.0.0.1
    `http://2130706433:${port}/`, // decimal 127.0.0.1
    `http://0.0.0.0:${port}/`,
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/", // cloud metadata
    "http://[fd00::1]/", // unique local IPv6
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/", // carrier-grade NAT
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    `http://user:pass@127.0.0.1:${port}/`,
  ];

  it("refuses every redirect into the private network, after any number of hops and with any 3xx", async () => {
    let refused = 0;
    for (const target of targets(internal.port)) {
      for (const path of [
        `/to?u=${encodeURIComponent(target)}`,
        `/to?status=307&u=${encodeURIComponent(target)}`,
        `/to?status=301&u=${encodeURIComponent(target)}`,
        `/hop/3?u=${encodeURIComponent(target)}`,
      ]) {
        const error = await fetchPage(`http://127.0.0.1:${site.port}${path}`, policy).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, `${path} → ${target}`).toBeInstanceOf(IntegrationError);
        expect((error as IntegrationError).message, target).toMatch(/refused/);
        expect(error, target).toMatchObject({ category: "CONFIG_ERROR", retryable: false });
        refused++;
      }
    }
    expect(internalHits).toBe(0);
    expect(refused).toBe(targets(0).length * 4);
  });
});
