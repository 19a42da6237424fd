import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER, stampPeerAddresses } from "@/server/http/client-address";

/**
 * The sign-in limit's client address, over real HTTP: a Node server stamped like the app's (the
 * instrumentation hook subscribes before Next.js serves anything), answering what the limit would use.
 */
describe("the client address of a request", () => {
  let server: http.Server;
  let base: string;
  let hops = 0;
  beforeAll(async () => {
    stampPeerAddresses();
    server = http.createServer((req, res) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      res.end(JSON.stringify({ client: clientAddress(headers, hops) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  const ask = async (headers: Record<string, string> = {}) =>
    ((await (await fetch(base, { headers })).json()) as { client: string | null }).client;

  it("is the socket's peer with TRUST_PROXY=0, whatever X-Forwarded-For or a forged stamp says", async () => {
    hops = 0;
    expect(await ask()).toBe("127.0.0.1");
    expect(await ask({ "x-forwarded-for": "203.0.113.1" })).toBe("127.0.0.1");
    expect(await ask({ "x-forwarded-for": "203.0.113.2, 198.51.100.3" })).toBe("127.0.0.1");
    expect(await ask({ [PEER_ADDRESS_HEADER]: "203.0.113.4" })).toBe("127.0.0.1"); // overwritten by the stamp
  });

  it("with N trusted proxies, is the address N hops from the right of X-Forwarded-For (the left is the client's to forge)", async () => {
    hops = 1;
    expect(await ask({ "x-forwarded-for": "203.0.113.1" })).toBe("203.0.113.1");
    expect(await ask({ "x-forwarded-for": "6.6.6.6, 203.0.113.1" })).toBe("203.0.113.1"); // a forged left part is ignored
    expect(await ask()).toBe("127.0.0.1"); // the proxy added nothing: its own address
    hops = 2;
    expect(await ask({ "x-forwarded-for": "6.6.6.6, 203.0.113.1, 10.0.0.2" })).toBe("203.0.113.1");
  });

  it("is unknown (null) for a request that did not come through this process's server", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.1" }), 1)).toBeNull();
    expect(clientAddress(undefined, 0)).toBeNull();
  });
});
