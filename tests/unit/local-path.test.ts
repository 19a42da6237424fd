import { describe, expect, it } from "vitest";
import { localPath } from "@/lib/local-path";

describe("the path to go to after signing in", () => {
  it("keeps a path on this site, query and fragment included", () => {
    expect(localPath("/dashboard/jobs?status=PAUSED#x")).toBe("/dashboard/jobs?status=PAUSED#x");
    expect(localPath("/dashboard/../dashboard/logs")).toBe("/dashboard/logs");
  });

  it.each([
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example/x", // a backslash is a slash to a browser
    "/\t/evil.example/x", // tabs and newlines are dropped by a browser
    "/\n/evil.example/x",
    "\\\\evil.example",
    "javascript:alert(1)",
    "dashboard",
    "",
  ])("refuses %j: the fallback instead", (value) => {
    expect(localPath(value)).toBe("/dashboard");
  });

  it("refuses what is not text", () => {
    expect(localPath(null)).toBe("/dashboard");
    expect(localPath(undefined, "/signin")).toBe("/signin");
  });
});
