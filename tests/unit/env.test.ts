import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/server/config/env";
import { integrationSettings, localProviderEnabled } from "@/server/integrations/config";

const valid = { AUTH_SECRET: "s".repeat(40), TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") };

describe("environment validation", () => {
  it("accepts a minimal environment and fills the defaults", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_URL).toBe("file:./data/app.db");
    expect(env.PORT).toBe(3000);
    expect(env.SCHEDULER_ENABLE_DASHBOARD).toBe(true);
    expect(env.SEED_DEMO_EMAIL).toBe("demo@example.com");
  });

  it("names every bad variable in one error", () => {
    let error: unknown;
    try {
      parseEnv({
        ...valid,
        TOKEN_ENCRYPTION_KEY: "short",
        DATABASE_URL: "mysql://x",
        PORT: "99999",
        SCHEDULER_ENABLE_TASKS: "maybe",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const variables = (error as EnvError).issues.map((i) => i.variable);
    expect(variables).toEqual(
      expect.arrayContaining(["TOKEN_ENCRYPTION_KEY", "DATABASE_URL", "PORT", "SCHEDULER_ENABLE_TASKS"]),
    );
    expect((error as Error).message).toMatch(/TOKEN_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it("validates SERVER_HEAP_MB, the heap npm start gives the server (default 192, as in package.json)", () => {
    expect(parseEnv(valid).SERVER_HEAP_MB).toBe(192);
    expect(parseEnv({ ...valid, SERVER_HEAP_MB: "" }).SERVER_HEAP_MB).toBe(192); // the shell's ${SERVER_HEAP_MB:-192}
    expect(parseEnv({ ...valid, SERVER_HEAP_MB: "512" }).SERVER_HEAP_MB).toBe(512);
    const start = (
      JSON.parse(readFileSync(path.join(import.meta.dirname, "../../package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts.start;
    expect(start).toContain(`--max-old-space-size=\${SERVER_HEAP_MB:-${parseEnv(valid).SERVER_HEAP_MB}}`);
    for (const bad of ["64", "1.5", "lots", "100000"]) {
      expect(() => parseEnv({ ...valid, SERVER_HEAP_MB: bad }), bad).toThrow(
        /SERVER_HEAP_MB: must be a whole number of megabytes from 128 to 65536/,
      );
    }
  });

  it("validates METRICS_TOKEN: optional, at least 32 characters without spaces when set", () => {
    expect(parseEnv(valid).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ ...valid, METRICS_TOKEN: "" }).METRICS_TOKEN).toBeUndefined();
    const token = "0123456789abcdef".repeat(4);
    expect(parseEnv({ ...valid, METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
    for (const bad of ["too-short", "a".repeat(31), `${"a".repeat(20)} ${"b".repeat(20)}`, `${"é".repeat(40)}`]) {
      expect(() => parseEnv({ ...valid, METRICS_TOKEN: bad }), bad).toThrow(
        /METRICS_TOKEN: must be at least 32 characters, without spaces/,
      );
    }
  });

  it("runs the local provider only when asked: never by default (npm start), `auto` from npm run demo and dev", () => {
    expect(localProviderEnabled(parseEnv(valid))).toBe(false);
    expect(localProviderEnabled(parseEnv({ ...valid, NODE_ENV: "development" }))).toBe(false);
    expect(localProviderEnabled(parseEnv({ ...valid, LOCAL_PROVIDER: "auto" }))).toBe(true);
    const withCredentials = { ...valid, GSC_CLIENT_ID: "id", GSC_CLIENT_SECRET: "secret" };
    expect(localProviderEnabled(parseEnv({ ...withCredentials, LOCAL_PROVIDER: "auto" }))).toBe(false);
    expect(localProviderEnabled(parseEnv({ ...withCredentials, LOCAL_PROVIDER: "true" }))).toBe(true);
    const scripts = (
      JSON.parse(readFileSync(path.join(import.meta.dirname, "../../package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.demo).toContain("LOCAL_PROVIDER=${LOCAL_PROVIDER:-auto}");
    expect(scripts.dev).toContain("LOCAL_PROVIDER=${LOCAL_PROVIDER:-auto}");
    expect(scripts.start).not.toContain("LOCAL_PROVIDER");
    expect(scripts.worker).not.toContain("LOCAL_PROVIDER");
    // Without it nothing private is allowed; with it, only the sample sites' paths.
    expect(integrationSettings(parseEnv(valid), null).fetchPolicy.allowedPrivateUrls).toEqual([]);
    expect(integrationSettings(parseEnv(valid), "http://127.0.0.1:3999").fetchPolicy.allowedPrivateUrls).toEqual([
      "http://127.0.0.1:3999/sites/",
      "http://127.0.0.1:3999/robots.txt",
      "http://127.0.0.1:3999/sitemap.xml",
    ]);
  });

  it("requires OAuth sign-in credentials in pairs", () => {
    expect(() => parseEnv({ ...valid, AUTH_GITHUB_ID: "id" })).toThrow(/AUTH_GITHUB_SECRET/);
  });

  it("stops start-up with a clear message naming the variable", () => {
    // The same start-up path the server and `npm run db:migrate` use.
    const result = spawnSync("npx", ["tsx", "scripts/db.ts", "migrate"], {
      env: {
        ...process.env,
        AUTH_SECRET: "too-short",
        TOKEN_ENCRYPTION_KEY: valid.TOKEN_ENCRYPTION_KEY,
        DATABASE_URL: "file:./data/never-created.db",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Invalid environment configuration");
    expect(result.stderr).toContain("AUTH_SECRET: must be at least 32 characters");
    expect(result.stderr).not.toMatch(/at .*\(.*\.ts:\d+/); // a message, not a stack trace
  });
});
