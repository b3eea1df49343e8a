/**
 * Once per `npm test`: find a PostgreSQL (DATABASE_URL, or an embedded one
 * under .data/test), create a template database and migrate it. Each test
 * file then copies the template (CREATE DATABASE … TEMPLATE), so files run in
 * parallel on their own data.
 */
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../libs/database/src/data-source';
import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres';
import { adminQuery, withDatabase } from './test-database';

declare global {
  var __TEST_PG_STOP__: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const db = await startEmbeddedPostgres({
      dataDir: join(__dirname, '..', '..', '.data', 'test'),
      name: 'postgres',
      database: 'postgres',
      log: () => undefined,
    });
    adminUrl = db.adminUrl;
    globalThis.__TEST_PG_STOP__ = db.stop;
  }
  // The name carries its creation time, so a later run only sweeps leftovers old enough to be dead.
  const template = `dsl_template_${Math.floor(Date.now() / 1000)}_${process.pid}`;
  // Leftovers of interrupted runs: drop test databases nobody is connected to.
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const stale = await client.query(
      `SELECT datname FROM pg_database d WHERE datname ~ '^dsl_(t|template)_[0-9]+_'
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    const cutoff = Date.now() / 1000 - 3 * 3600;
    for (const row of stale.rows) {
      const created = Number(/^dsl_(?:t|template)_(\d+)_/.exec(row.datname)?.[1]);
      if (created < cutoff) await client.query(`DROP DATABASE IF EXISTS "${row.datname}"`);
    }
    await client.query(`CREATE DATABASE "${template}"`);
  } finally {
    await client.end();
  }
  await runMigrations(withDatabase(adminUrl, template));
  process.env.TEST_ADMIN_URL = adminUrl;
  process.env.TEST_TEMPLATE_DB = template;
}

export { adminQuery };
