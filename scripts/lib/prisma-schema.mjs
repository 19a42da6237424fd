// The PostgreSQL form of a schema written for SQLite (prisma/schema.prisma is the single source):
// same models, the postgresql provider, its own generated client.
export function toPostgresSchema(sqliteSchema) {
  const postgres = sqliteSchema
    .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgres"')
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./dev.db"', 'url      = "postgresql://localhost:5432/unused"');
  if (postgres === sqliteSchema || !postgres.includes('"postgresql"') || !postgres.includes("generated/postgres")) {
    throw new Error(
      "the datasource/generator blocks of prisma/schema.prisma changed shape; update scripts/lib/prisma-schema.mjs",
    );
  }
  return postgres;
}
