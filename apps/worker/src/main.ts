import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/common';
import { resolveDatabase, runMigrations } from '@app/database';
import { Client } from 'pg';

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The background process: outbox delivery, reminders and retention will run
 * here. For now it starts, connects, and exits cleanly on SIGTERM.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const db = await resolveDatabase(config, say);
  await runMigrations(db.url, say);
  const client = new Client({ connectionString: db.url });
  await client.connect();
  await client.query('SELECT 1');
  say('worker connected; waiting for work');
  const keepAlive = setInterval(() => undefined, 60_000);
  const shutdown = async (signal: string) => {
    say(`${signal}: worker shutting down`);
    clearInterval(keepAlive);
    await client.end().catch(() => undefined);
    await db.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`worker start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
