// Prisma CLI config for the derived PostgreSQL schema (generate and migrate diff only; migrations
// are applied by src/server/migrate.ts because `migrate deploy` cannot read Postgres here).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(__dirname, "postgres", "schema.prisma"),
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" }),
});
