// Prisma CLI config for the SQLite schema. `engine: "js"` selects the wasm schema engine shipped in
// the npm package, so no native binary is downloaded (see ../shared/reference/stack-notes.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(__dirname, "schema.prisma"),
  adapter: async () => new PrismaBetterSQLite3({ url: "file::memory:" }),
});
