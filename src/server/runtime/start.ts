import { database } from "@/server/db";
import { env } from "@/server/config/env";
import { localProviderEnabled } from "@/server/integrations/config";
import { logger } from "@/server/logger";
import { tokenKeyring } from "@/server/runtime/keyring";
import { migrateDatabase } from "@/server/migrate";
import { reencryptStaleTokens } from "@/server/services/token-rotation";

/** The demo's users and history, on a new installation (SEED_ON_START, `npm run db:seed`): the demo module is loaded only then. */
export async function seedFromEnv() {
  const e = env();
  const { seedDemoData } = await import("@/demo/seed");
  return seedDemoData(database().db, {
    keyring: tokenKeyring(),
    admin: { email: e.SEED_ADMIN_EMAIL, password: e.SEED_ADMIN_PASSWORD },
    demo: { email: e.SEED_DEMO_EMAIL, password: e.SEED_DEMO_PASSWORD },
    viewer: { email: e.SEED_VIEWER_EMAIL, password: e.SEED_VIEWER_PASSWORD },
    sampleSitesOrigin:
      localProviderEnabled(e) && e.LOCAL_PROVIDER_PORT !== 0 ? `http://127.0.0.1:${e.LOCAL_PROVIDER_PORT}` : null,
  });
}

/** Start-up: validate env (throws naming the bad variable), migrate, seed a new installation. */
export async function prepareServer(options: { seed?: boolean } = {}) {
  const e = env();
  const migration = await migrateDatabase(e.DATABASE_URL);
  if (migration.applied.length)
    logger.info({ applied: migration.applied, engine: migration.engine }, "migrations applied");
  const reencrypted = await reencryptStaleTokens(database().db, tokenKeyring());
  if (reencrypted)
    logger.info(
      { connections: reencrypted },
      "tokens re-encrypted under the current key: the old keys can now be removed",
    );
  if (e.SEED_ON_START && options.seed !== false) {
    const seed = await seedFromEnv();
    if (seed.seeded) logger.info({ ...seed }, "demo data seeded");
  }
}

/** For server start-up: a bad environment or an unreachable database stops it with a readable message. */
export async function prepareServerOrExit(options: { seed?: boolean } = {}) {
  try {
    await prepareServer(options);
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
}
