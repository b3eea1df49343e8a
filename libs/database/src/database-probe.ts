import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';

export const DATABASE_URL = Symbol('DATABASE_URL');

/** How long a health check waits for each answer. */
const PROBE_MS = 1000;

export interface DatabaseState {
  /** PostgreSQL answers a fresh connection of the probe's own. */
  db: 'up' | 'down';
  /** The application's pool hands out a connection in time (`busy`: every one is in use and the queue does not move). */
  pool: 'ok' | 'busy' | 'unknown';
}

function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref())]);
}

/**
 * Tells "database down" from "pool busy": the probe asks PostgreSQL over a
 * one-connection pool of its own (so a full application pool cannot make the
 * database look down), and separately asks the application's pool.
 */
@Injectable()
export class DatabaseProbe implements OnModuleDestroy {
  private readonly pool: Pool;

  constructor(
    @Inject(DATABASE_URL) url: string,
    @InjectDataSource() private readonly ds: DataSource,
  ) {
    this.pool = new Pool({
      connectionString: url,
      max: 1,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: PROBE_MS,
      statement_timeout: PROBE_MS,
    });
    // An idle connection cut by a restart is reported here; the next check connects afresh.
    this.pool.on('error', () => undefined);
  }

  async state(): Promise<DatabaseState> {
    const [own, app] = await Promise.all([
      within(
        this.pool.query('SELECT 1').then(
          () => true,
          () => false,
        ),
        PROBE_MS + 200,
      ),
      within(
        this.ds.query('SELECT 1').then(
          () => true,
          () => false,
        ),
        PROBE_MS,
      ),
    ]);
    const db = own === true ? 'up' : 'down';
    return { db, pool: app === true ? 'ok' : db === 'up' ? 'busy' : 'unknown' };
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
