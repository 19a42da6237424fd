// Derives prisma/postgres/schema.prisma from prisma/schema.prisma (the single source of the model):
// same models, PostgreSQL provider, its own generated client. Run by `npm run db:generate`.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = readFileSync(join(root, "prisma/schema.prisma"), "utf8");

const postgres = source
  .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgres"')
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('url      = "file:./dev.db"', 'url      = "postgresql://localhost:5432/unused"');

if (postgres === source || !postgres.includes('"postgresql"') || !postgres.includes("generated/postgres")) {
  throw new Error("prisma-variants: the datasource/generator blocks of prisma/schema.prisma changed shape");
}

mkdirSync(join(root, "prisma/postgres"), { recursive: true });
writeFileSync(
  join(root, "prisma/postgres/schema.prisma"),
  "// GENERATED from prisma/schema.prisma by scripts/prisma-variants.mjs. Do not edit.\n" + postgres,
);
console.log("prisma-variants: wrote prisma/postgres/schema.prisma");
