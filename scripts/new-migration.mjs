// Writes a new migration for both engines from the change between the last migrated schema
// (prisma/migrations/schema.snapshot.prisma) and prisma/schema.prisma:
//   npm run db:new-migration -- add_something
// `prisma migrate dev` cannot run offline here, so migrations are made with `migrate diff` and
// applied by src/server/migrate.ts. Needs the local PostgreSQL (the Postgres diff connects to it).
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  rmSync,
  mkdtempSync,
} from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { toPostgresSchema } from "./lib/prisma-schema.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:new-migration -- <name>");
  process.exit(2);
}

execFileSync("node", [join(root, "scripts/prisma-variants.mjs")], { stdio: "inherit" });
const migrationsDir = join(root, "prisma/migrations");
const snapshot = join(migrationsDir, "schema.snapshot.prisma");
const tmp = mkdtempSync(join(tmpdir(), "migration-"));

const engines = [
  { engine: "sqlite", config: "prisma/sqlite.config.ts", to: "prisma/schema.prisma", form: (t) => t },
  {
    engine: "postgres",
    config: "prisma/postgres.config.ts",
    to: "prisma/postgres/schema.prisma",
    form: toPostgresSchema,
  },
];

const existing = existsSync(join(migrationsDir, "sqlite")) ? readdirSync(join(migrationsDir, "sqlite")) : [];
const number = String(existing.length + 1).padStart(4, "0");
let empty = true;
const scripts = engines.map(({ engine, config, to, form }) => {
  const from = existsSync(snapshot)
    ? [
        "--from-schema-datamodel",
        (() => {
          const f = join(tmp, `${engine}.prisma`);
          writeFileSync(f, form(readFileSync(snapshot, "utf8")));
          return f;
        })(),
      ]
    : ["--from-empty"];
  const sql = execFileSync(
    "npx",
    ["prisma", "migrate", "diff", "--config", config, ...from, "--to-schema-datamodel", to, "--script"],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  if (!/^-- This is an empty migration/.test(sql.trim())) empty = false;
  return { engine, sql };
});
rmSync(tmp, { recursive: true, force: true });

if (empty) {
  console.log("The schema has not changed since the last migration; nothing written.");
  process.exit(0);
}
for (const { engine, sql } of scripts) {
  const dir = join(migrationsDir, engine, `${number}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  console.log(`wrote ${dir}/migration.sql`);
}
copyFileSync(join(root, "prisma/schema.prisma"), snapshot);
