// Derives prisma/postgres/schema.prisma from prisma/schema.prisma (the single source of the model).
// Run by `npm run db:generate`.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toPostgresSchema } from "./lib/prisma-schema.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const postgres = toPostgresSchema(readFileSync(join(root, "prisma/schema.prisma"), "utf8"));
mkdirSync(join(root, "prisma/postgres"), { recursive: true });
writeFileSync(
  join(root, "prisma/postgres/schema.prisma"),
  "// GENERATED from prisma/schema.prisma by scripts/prisma-variants.mjs. Do not edit.\n" + postgres,
);
console.log("prisma-variants: wrote prisma/postgres/schema.prisma");
