/**
 * The README's lists against the code, so the documents cannot drift: each list sits between
 * `<!-- name -->` and `<!-- /name -->` in README.md, and a test here compares it with what the code has.
 *
 *   (a) `procedures`: every tRPC procedure of the full router, with its kind and access;
 *   (b) `configuration`: every variable the env schemas read, with the defaults the code applies;
 *   (c) the REST facade's paths: see the end of this file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOG_COUNT_CAP, SEARCH_COUNT_CAP } from "@/lib/validation/monitoring";
import { appRouter } from "@/server/api/root";
import { ENV_VARIABLES, parseEnv } from "@/server/config/env";
import { ROUTES } from "@/server/rest/router";
import { engineConfigFromEnv } from "@/server/scheduler/config";
import { MATRIX } from "../authorization/matrix";

const README = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");

/** The text between `<!-- name -->` and `<!-- /name -->`; fails unless each marker occurs exactly once. */
function section(doc: string, name: string): string {
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  expect(doc.split(open).length - 1, `README.md must contain "${open}" exactly once`).toBe(1);
  expect(doc.split(close).length - 1, `README.md must contain "${close}" exactly once`).toBe(1);
  const start = doc.indexOf(open) + open.length;
  const end = doc.indexOf(close);
  expect(end, `"${close}" must come after "${open}"`).toBeGreaterThan(start);
  return doc.slice(start, end);
}

/** The body rows of the Markdown table in a section, each as its trimmed cells (header and separator dropped). */
function table(doc: string, name: string): string[][] {
  const rows = section(doc, name)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("|"))
    .map((line) =>
      line
        .replace(/^\|/, "")
        .replace(/\|$/, "")
        .split("|")
        .map((cell) => cell.trim()),
    );
  expect(rows.length, `the ${name} section must hold a table`).toBeGreaterThan(2);
  const [header, separator, ...body] = rows;
  expect(
    separator!.every((cell) => /^:?-+:?$/.test(cell)),
    `the ${name} table's second line is its separator`,
  ).toBe(true);
  for (const row of body) expect(row.length, `a row of the ${name} table: ${row.join(" | ")}`).toBe(header!.length);
  return body;
}

/** The `code spans` of a cell, in order. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

function duplicates(names: string[]): string[] {
  return names.filter((name, i) => names.indexOf(name) !== i);
}

describe("README.md: the API table (a)", () => {
  const served = Object.entries(appRouter._def.procedures).map(([name, procedure]) => ({
    name,
    kind: (procedure as unknown as { _def: { type: string } })._def.type,
  }));
  const rows = () => table(README, "procedures");

  it("lists every procedure of the full router (appRouter), once, and nothing else", () => {
    const documented = rows().map(([cell]) => {
      const spans = codeSpans(cell!);
      expect(spans, `the first cell names one procedure: ${cell}`).toHaveLength(1);
      return spans[0]!;
    });
    expect(duplicates(documented), "procedures listed twice").toEqual([]);
    expect([...documented].sort(), "README.md's procedures vs appRouter's").toEqual(served.map((p) => p.name).sort());
  });

  it("gives each its kind (query/mutation) and its access (public/user/admin) as the router and the authorization matrix do", () => {
    const documented = new Map(rows().map(([name, kind, access]) => [codeSpans(name!)[0], { kind, access }]));
    const wrong = served.flatMap(({ name, kind }) => {
      const row = documented.get(name);
      const access = MATRIX[name]?.access;
      return row && (row.kind !== kind || row.access !== access)
        ? [`${name}: README says ${row.kind}, ${row.access}; the code ${kind}, ${access ?? "(not in the matrix)"}`]
        : [];
    });
    expect(wrong).toEqual([]);
  });

  it("states the caps on execution-log totals (a list's and a search's) the service applies", () => {
    const labels = [LOG_COUNT_CAP, SEARCH_COUNT_CAP].map((cap) => `${cap.toLocaleString("en")}+`);
    for (const label of labels) expect(README).toContain(`"${label}"`);
    const claims = [...README.matchAll(/"(\d[\d,]*\+)"/g)].map((m) => m[1]);
    expect(
      claims.filter((claim) => !labels.includes(claim!)),
      `totals are capped at ${labels.join(" or ")}`,
    ).toEqual([]);
  });
});

describe("README.md: the configuration table (b)", () => {
  const variableRows = () =>
    table(README, "configuration").map(([variables, defaults]) => ({
      variables: codeSpans(variables!),
      defaults: defaults!,
    }));

  it("lists every variable of the env schemas (env.ts, scheduler.ts, integrations.ts), once, and nothing else", () => {
    const documented = variableRows().flatMap((row) => row.variables);
    // Abbreviations (`BING_…`, `/_SECRET`) would hide a variable: each is written out in full.
    expect(
      documented.filter((name) => !/^[A-Z][A-Z0-9_]*$/.test(name)),
      "names that are not a variable",
    ).toEqual([]);
    expect(duplicates(documented), "variables listed twice").toEqual([]);
    expect([...documented].sort(), "README.md's variables vs the env schemas'").toEqual([...ENV_VARIABLES].sort());
  });

  it("gives the defaults the code applies", () => {
    // The smallest valid environment: every other variable takes its default.
    const env = parseEnv({ AUTH_SECRET: "a".repeat(32), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") });
    const parsed: Record<string, unknown> = env;
    // The SCHEDULER_* tuning variables are optional in the schema; the engine applies their defaults.
    const engine = new Map<string, unknown>(
      Object.entries(engineConfigFromEnv(env)).map(([key, value]) => [key.toLowerCase(), value]),
    );
    const codeDefault = (variable: string): unknown =>
      parsed[variable] ??
      (variable.startsWith("SCHEDULER_")
        ? engine.get(variable.slice("SCHEDULER_".length).replaceAll("_", "").toLowerCase())
        : undefined);

    const wrong: string[] = [];
    for (const { variables, defaults } of variableRows()) {
      const documented = documentedDefaults(defaults);
      if (documented === "prose") continue; // "generated into .env.local", "the public services": not a value
      for (const [i, variable] of variables.entries()) {
        const expected = documented === "none" ? undefined : (documented[i] ?? documented[0]);
        const actual = codeDefault(variable);
        const shown = actual === undefined ? undefined : format(actual);
        if (documented !== "none" && documented.length !== 1 && documented.length !== variables.length)
          wrong.push(`${variables.join(", ")}: ${documented.length} defaults for ${variables.length} variables`);
        else if (shown !== expected)
          wrong.push(`${variable}: README says ${expected ?? "—"}, the code ${shown ?? "has no default"}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

const UNIT_MS: Record<string, number> = { h: 3_600_000, day: 86_400_000, days: 86_400_000 };

/**
 * A default cell as values: "`3`, `5`, 7 days" → ["3", "5", "604800000"]; "—" → "none" (no default);
 * anything with other words in it → "prose" (not checked).
 */
function documentedDefaults(cell: string): string[] | "none" | "prose" {
  if (cell === "—") return "none";
  const values: string[] = [];
  const rest = cell.replace(
    /`([^`]*)`|(\d+(?:\.\d+)?) (h|days?)\b/g,
    (_match, code?: string, n?: string, unit?: string) => {
      values.push(code ?? String(Number(n) * UNIT_MS[unit!]!));
      return "";
    },
  );
  return values.length > 0 && /^[\s,]*$/.test(rest) ? values : "prose";
}

/** A default as the README writes it: numbers and flags plainly, per-type limits as `TYPE=n,TYPE=n`. */
function format(value: unknown): string {
  if (value !== null && typeof value === "object")
    return Object.entries(value)
      .map(([key, v]) => `${key}=${String(v)}`)
      .join(",");
  return String(value);
}

describe("README.md: the REST paths (c)", () => {
  it("lists every path of the REST facade with its method and access, and nothing else", () => {
    const documented = table(README, "rest").map(([method, path, access]) => ({
      method,
      path: codeSpans(path ?? "")[0],
      access,
    }));
    const served = ROUTES.map((r) => ({ method: r.method, path: r.path, access: r.access }));
    const key = (r: { method?: string; path?: string }) => `${r.method} ${r.path}`;
    expect(duplicates(documented.map(key))).toEqual([]);
    expect(documented.map(key).sort()).toEqual(served.map(key).sort());
    for (const route of served)
      expect(documented.find((d) => key(d) === key(route))?.access, key(route)).toBe(route.access);
  });
});
