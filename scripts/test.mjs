// `npm test`: every check and test suite, ending with one line "N passed, N failed, N skipped".
//
//   1. type check, lint, formatting, and a check that the migrations produce prisma/schema.prisma
//   2. vitest (services and routers against real SQLite, and against PostgreSQL when one is
//      reachable: TEST_POSTGRES_URL, else 127.0.0.1:5432, else a throwaway cluster started here)
//   3. production build + Playwright in Debian's Chromium
//   4. the chaos drills (tests/chaos: crashes, restarts, rolling restart; real processes on
//      PostgreSQL and the production build). `npm run test:chaos` runs only these.
//
// Under CI=true (or REQUIRE_POSTGRES=1) a missing PostgreSQL fails the run instead of skipping.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { findPostgres } from "./lib/postgres.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const requirePostgres = process.env.CI === "true" || process.env.REQUIRE_POSTGRES === "1";
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : null;
if (only !== null && only !== "chaos") {
  console.error(`unknown --only ${only} (known: chaos)`);
  process.exit(2);
}
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
/** One line per failed test (suite › file › name: first line of the error), printed last. */
const failedTests = [];
const cleanups = [];

function banner(text) {
  console.log(`\n━━━ ${text} ${"━".repeat(Math.max(3, 90 - text.length))}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, ...options.env },
    timeout: options.timeout,
  });
  return result.status === 0;
}

function check(name, command, args, options) {
  banner(name);
  if (run(command, args, options)) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
}

/**
 * Prettier over the files git tracks (not whatever else lies in the work tree: a build's output, a CI
 * machine's own files), naming the files it would reformat again at the end of the output.
 */
function formattingCheck() {
  const name = "Formatting (prettier --check, print width 120)";
  banner(name);
  const listed = spawnSync("git", ["ls-files", "-z"], { encoding: "utf8" });
  const files = listed.status === 0 ? listed.stdout.split("\0").filter(Boolean) : ["."];
  const result = spawnSync("npx", ["prettier", "--check", "--ignore-unknown", ...files], { encoding: "utf8" });
  process.stdout.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  if (result.status === 0) {
    totals.passed++;
    return;
  }
  totals.failed++;
  failures.push(name);
  for (const line of `${result.stdout}\n${result.stderr}`.split("\n"))
    if (/^\[warn\] (?!Code style)/.test(line)) failedTests.push(`prettier › ${line.slice(7)}: not formatted`);
}

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return path;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    banner("Installing Debian's chromium for the browser tests");
    run("apt-get", ["update", "-qq"]);
    if (
      run("apt-get", ["install", "-y", "-qq", "chromium"], { env: { DEBIAN_FRONTEND: "noninteractive" } }) &&
      existsSync(path)
    )
      return path;
  }
  return null;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** Runs a vitest config with a JSON report and adds its counts to the totals. */
function vitestSuite(name, args, env) {
  const json = `test-results/${name}.json`;
  rmSync(json, { force: true });
  const ok = run(
    "npx",
    ["vitest", "run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${json}`],
    { env },
  );
  const report = readJson(json);
  if (report) {
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (report.numFailedTests > 0) failures.push(`${name}: ${report.numFailedTests} failed`);
    for (const file of report.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (test.status !== "failed") continue;
        const reason = String(test.failureMessages?.[0] ?? "")
          .split("\n")[0]
          .slice(0, 300);
        failedTests.push(`${name} › ${file.name.replace(process.cwd() + "/", "")} › ${test.fullName}: ${reason}`);
      }
    }
  }
  if (!ok && (!report || report.numFailedTests === 0)) {
    totals.failed++;
    failures.push(`${name} did not complete`);
  }
}

function postgresMissing(postgres) {
  const notice = [
    "",
    "!".repeat(100),
    "!!  THE POSTGRESQL HALF OF THE TEST SUITE IS SKIPPED (and with it the chaos drills)",
    `!!  Reason: ${postgres.how}.`,
    "!!  Install PostgreSQL (apt-get install -y postgresql) or set TEST_POSTGRES_URL to run it.",
    "!".repeat(100),
    "",
  ].join("\n");
  console.log(notice);
  if (requirePostgres) {
    totals.failed++;
    failures.push("PostgreSQL required (CI) but not available");
  }
}

/** The drills need PostgreSQL and the production build (`next start`). */
function chaosDrills(postgres) {
  banner(
    "Chaos drills (vitest tests/chaos: worker churn, PostgreSQL crash, full disk, read-only database, rolling restart)",
  );
  if (!postgres.url) {
    console.log("skipped: the drills need PostgreSQL");
    totals.skipped++;
    return;
  }
  vitestSuite("chaos", ["--config", "vitest.chaos.config.mts"], {
    TEST_POSTGRES_URL: postgres.url,
    CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  });
}

async function chaosOnly() {
  mkdirSync("test-results", { recursive: true });
  const postgres = await findPostgres(cleanups);
  if (postgres.url) console.log(`\nPostgreSQL: using ${postgres.how}.`);
  else postgresMissing(postgres);
  if (!existsSync(".next/BUILD_ID")) {
    banner("Production build (next build), which the drills start");
    if (!run("npx", ["next", "build"])) {
      totals.failed++;
      failures.push("next build");
      return;
    }
  }
  chaosDrills(postgres);
}

async function main() {
  mkdirSync("test-results", { recursive: true });

  // ── 1. static checks ──
  check("Type check (tsc --noEmit, strict)", "npx", ["tsc", "--noEmit"]);
  check("Lint (eslint, no warnings allowed)", "npx", ["eslint", "--max-warnings", "0", "."]);
  formattingCheck();
  check("Migrations match prisma/schema.prisma", "npx", [
    "prisma",
    "migrate",
    "diff",
    "--config",
    "prisma/sqlite.config.ts",
    "--from-schema-datamodel",
    "prisma/migrations/schema.snapshot.prisma",
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--exit-code",
  ]);

  // ── 2. vitest on SQLite and PostgreSQL ──
  const postgres = await findPostgres(cleanups);
  if (postgres.url) console.log(`\nPostgreSQL tests: using ${postgres.how}.`);
  else postgresMissing(postgres);
  banner(`Unit and integration tests (vitest: SQLite${postgres.url ? " + PostgreSQL" : ""})`);
  vitestSuite("vitest", [], postgres.url ? { TEST_POSTGRES_URL: postgres.url } : {});

  // ── 3. production build + Playwright ──
  const chromium = ensureChromium();
  banner("Production build (next build)");
  const built = run("npx", ["next", "build"]);
  if (!built) {
    totals.failed++;
    failures.push("next build");
  } else if (!chromium) {
    console.log(
      "\nThe browser tests need Chromium: run `apt-get install -y chromium` (as root), or set CHROMIUM_PATH.",
    );
    totals.failed++;
    failures.push("Chromium missing");
  } else {
    totals.passed++;
    banner("Browser tests (Playwright, Chromium, production build)");
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`data/e2e.db${suffix}`, { force: true });
    const e2eJson = "test-results/e2e-results.json";
    rmSync(e2eJson, { force: true });
    const e2eOk = run("npx", ["playwright", "test"], {
      env: { CHROMIUM_PATH: chromium, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
    });
    const e2e = readJson(e2eJson);
    if (e2e?.stats) {
      totals.passed += e2e.stats.expected + e2e.stats.flaky;
      totals.failed += e2e.stats.unexpected;
      totals.skipped += e2e.stats.skipped;
      if (e2e.stats.unexpected > 0) failures.push(`playwright: ${e2e.stats.unexpected} failed`);
      const walk = (suite) => {
        for (const spec of suite.specs ?? []) {
          if (spec.ok) continue;
          const error = spec.tests?.flatMap((t) => t.results ?? []).find((r) => r.error)?.error;
          const reason = String(error?.message ?? "")
            .split("\n")[0]
            .slice(0, 300);
          failedTests.push(`playwright › ${spec.file}:${spec.line} › ${spec.title}: ${reason}`);
        }
        for (const child of suite.suites ?? []) walk(child);
      };
      for (const suite of e2e.suites ?? []) walk(suite);
    }
    if (!e2eOk && (!e2e?.stats || e2e.stats.unexpected === 0)) {
      totals.failed++;
      failures.push("playwright did not complete");
    }
    // ── 4. chaos drills (after the browser tests: they need the build, and load the machine) ──
    chaosDrills(postgres);
  }
}

let exitCode = 0;
try {
  await (only === "chaos" ? chaosOnly() : main());
} catch (error) {
  console.error(error);
  totals.failed++;
  failures.push(`test runner: ${error.message}`);
} finally {
  for (const cleanup of cleanups.reverse()) cleanup();
}
if (failures.length) {
  // Named here, at the very end, so the tail of a CI log says which tests failed and why.
  if (failedTests.length) console.log(`\nFailed tests:\n${failedTests.map((t) => `  ✘ ${t}`).join("\n")}`);
  console.log(`\nFailed: ${failures.join("; ")}`);
  exitCode = 1;
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
