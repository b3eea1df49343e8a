/* `npm run migration:run`: applies migrations to DATABASE_URL (or the embedded database). */
import { ConfigError, loadConfigOrExit } from '@app/common';
import { resolveDatabase } from '../database-url';
import { runMigrations } from '../data-source';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const db = await resolveDatabase(config);
  try {
    const applied = await runMigrations(db.url, (line) => console.log(line));
    console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
  } finally {
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `migration failed: ${(err as Error).message}`);
  process.exit(1);
});
