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
  // eslint-disable-next-line no-var
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
  const template = `dsl_template_${process.pid}`;
  // Leftovers of interrupted runs: drop test databases nobody is connected to.
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const stale = await client.query(
      `SELECT datname FROM pg_database d WHERE (datname LIKE 'dsl\\_t\\_%' OR datname LIKE 'dsl\\_template\\_%')
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    for (const row of stale.rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}"`);
    await client.query(`CREATE DATABASE "${template}"`);
  } finally {
    await client.end();
  }
  await runMigrations(withDatabase(adminUrl, template));
  process.env.TEST_ADMIN_URL = adminUrl;
  process.env.TEST_TEMPLATE_DB = template;
}

export { adminQuery };
