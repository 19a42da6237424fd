// npm run db:migrate | db:seed — against whatever DATABASE_URL names (.env.local is read too).
import { loadEnvConfig } from "@next/env";
loadEnvConfig(process.cwd());

async function main() {
  const { env } = await import("@/server/config/env");
  const { migrateDatabase } = await import("../src/server/migrate");
  const command = process.argv[2];
  const url = env().DATABASE_URL;
  const migration = await migrateDatabase(url);
  console.log(
    `${migration.engine}: ${migration.applied.length} migration(s) applied, ${migration.alreadyApplied} already applied`,
  );
  if (command === "seed") {
    const { seedFromEnv } = await import("@/server/runtime/start");
    const result = await seedFromEnv();
    console.log(result.seeded ? `seeded: ${JSON.stringify(result)}` : "seed: data already present, nothing to do");
    const { database } = await import("../src/server/db");
    await database().db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
