import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { hasForeignOrigin, requestHost, requestOrigin } from "@/server/http/origin";

/** A request as `next start` hands it to the proxy: the URL names the bind address, Host the site. */
function request(method: string, headers: Record<string, string>, pathname = "/signup") {
  return new NextRequest(`http://localhost:3311${pathname}`, { method, headers });
}

// What the sign-up form's fetch sends with a server action.
const action = {
  "next-action": "7f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345",
  "content-type": "text/plain;charset=UTF-8",
};

describe("the proxy refuses a server action posted from another site", () => {
  it.each([
    ["another site", "https://evil.example"],
    ["another port of this host", "http://127.0.0.1:9999"],
    ["an opaque origin (sandboxed frame, data: URL)", "null"],
    ["a malformed origin", "not a url"],
  ])("403 for %s, before Next's own check (which answered 500)", async (_name, origin) => {
    for (const pathname of ["/signup", "/signin", "/dashboard"]) {
      const response = proxy(request("POST", { host: "127.0.0.1:3311", origin, ...action }, pathname));
      expect(response.status, `${pathname} from ${origin}`).toBe(403);
      expect(await response.text()).toBe("Cross-site request refused\n");
      expect(response.headers.get("x-middleware-next")).toBeNull(); // not passed on to the page
    }
  });

  it("403 for a form posted without JavaScript (multipart, no Next-Action header)", () => {
    const response = proxy(
      request("POST", {
        host: "127.0.0.1:3311",
        origin: "https://evil.example",
        "content-type": "multipart/form-data",
      }),
    );
    expect(response.status).toBe(403);
  });

  it("lets this site's own actions through, directly and behind a proxy", () => {
    const direct = proxy(request("POST", { host: "127.0.0.1:3311", origin: "http://127.0.0.1:3311", ...action }));
    expect(direct.status).toBe(200);
    expect(direct.headers.get("x-middleware-next")).toBe("1");
    expect(direct.headers.get("content-security-policy")).toContain("script-src");

    // A TLS-terminating proxy: Host is the upstream, X-Forwarded-Host what the browser used (first of a chain).
    const forwarded = {
      host: "127.0.0.1:3311",
      "x-forwarded-host": "dashboard.example.com, lb.internal",
      "x-forwarded-proto": "https",
    };
    expect(proxy(request("POST", { ...forwarded, origin: "https://dashboard.example.com", ...action })).status).toBe(
      200,
    );
    // ...and there the upstream's own address is the foreign one.
    expect(proxy(request("POST", { ...forwarded, origin: "http://127.0.0.1:3311", ...action })).status).toBe(403);
  });

  it("lets a POST without Origin through (Next lets it through too: no browser sends one without)", () => {
    expect(proxy(request("POST", { host: "127.0.0.1:3311", ...action })).status).toBe(200);
  });

  it("does not judge reads: a page may be linked to (or fetched) from anywhere", () => {
    for (const method of ["GET", "HEAD"])
      expect(proxy(request(method, { host: "127.0.0.1:3311", origin: "https://evil.example" })).status).toBe(200);
  });
});

describe("the origin helpers", () => {
  it("name the host and origin the browser used", () => {
    const direct = request("GET", { host: "127.0.0.1:3311" });
    expect(requestHost(direct)).toBe("127.0.0.1:3311");
    expect(requestOrigin(direct)).toBe("http://127.0.0.1:3311");
    const proxied = request("GET", {
      host: "127.0.0.1:3311",
      "x-forwarded-host": "dashboard.example.com, lb.internal",
      "x-forwarded-proto": "https, http",
    });
    expect(requestHost(proxied)).toBe("dashboard.example.com");
    expect(requestOrigin(proxied)).toBe("https://dashboard.example.com");
  });

  it("compare an Origin by host, without case", () => {
    const at = (origin: string) => request("POST", { host: "Dashboard.Example.com", origin });
    expect(hasForeignOrigin(at("https://dashboard.example.com"))).toBe(false);
    expect(hasForeignOrigin(at("https://dashboard.example.com.evil.example"))).toBe(true);
    expect(hasForeignOrigin(request("POST", {}))).toBe(false);
  });
});
