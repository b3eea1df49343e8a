import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The options every connection of ours uses: never synchronize, migrations by
 * hand. `extra.extra` is merged into the pool's options. The pool's clients
 * run in node-postgres' pipeline mode (its public `pipeline` option): a
 * statement waits for nothing but its turn, and statements sent together
 * (`together`) share one round trip; statements awaited one by one behave as
 * in the default mode.
 */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  const pool = { max: 20, connectionTimeoutMillis: 5000, pipeline: true, ...(extra.extra as object | undefined) };
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    ...extra,
    extra: pool,
  } as DataSourceOptions;
}

const MIGRATION_LOCK = 724_311_001;

/**
 * Applies pending migrations, one transaction each, under an advisory lock so
 * several processes starting together do not race.
 */
export async function runMigrations(url: string, log: (line: string) => void = () => undefined): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { extra: { max: 2 } }));
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`migration applied: ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}
