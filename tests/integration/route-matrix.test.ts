/**
 * The authorization matrix from the file system: every route handler (route.ts) under src/app and
 * every server action ("use server") must be listed in tests/authorization/matrix.ts with its rule and
 * the methods it exports. A new route or action fails here until it is listed; e2e/route-authorization
 * then exercises each rule over HTTP against the production server.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTE_MATRIX, SERVER_ACTIONS } from "../authorization/matrix";

const app = join(import.meta.dirname, "../../src/app");
const src = join(import.meta.dirname, "../../src");
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

/** The HTTP methods a route module exports, however it writes the export. */
function exportedMethods(source: string): string[] {
  const methods = new Set<string>();
  for (const line of source.split("\n").filter((l) => l.startsWith("export"))) {
    for (const m of line.matchAll(/\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) methods.add(m[1]!);
  }
  return [...methods].sort();
}

describe("every route handler and server action has a rule", () => {
  it("lists every route.ts under src/app with the methods it exports, and nothing that no longer exists", () => {
    const routes = files(app).filter((f) => /\/route\.(ts|tsx|js)$/.test(f));
    expect(routes.map((f) => relative(app, f)).sort()).toEqual(Object.keys(ROUTE_MATRIX).sort());
    for (const file of routes) {
      const key = relative(app, file);
      expect({ route: key, methods: exportedMethods(readFileSync(file, "utf8")) }).toEqual({
        route: key,
        methods: [...ROUTE_MATRIX[key]!.methods].sort(),
      });
    }
  });

  it("lists every exported server action, and no server action hides inside another module", () => {
    const actions: string[] = [];
    for (const file of files(src).filter((f) => /\.(ts|tsx)$/.test(f) && !f.includes("/generated/"))) {
      const source = readFileSync(file, "utf8");
      const fileLevel = /^\s*["']use server["'];?/.test(source);
      // An inline "use server" inside a function would be an action no list can see: not allowed.
      const inline = source
        .split("\n")
        .filter(
          (line, i) =>
            /["']use server["']/.test(line) &&
            !(fileLevel && i === source.split("\n").findIndex((l) => /["']use server["']/.test(l))),
        );
      expect({ file: relative(src, file), inline }).toEqual({ file: relative(src, file), inline: [] });
      if (!fileLevel) continue;
      for (const m of source.matchAll(/^export (?:async )?(?:function|const) (\w+)/gm))
        actions.push(`${relative(src, file)}#${m[1]}`);
    }
    expect(actions.sort()).toEqual(Object.keys(SERVER_ACTIONS).sort());
  });
});
