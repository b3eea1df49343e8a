import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DbTimeouts } from '@app/common';
import { dataSourceOptions } from './data-source';
import { DATABASE_URL, DatabaseProbe } from './database-probe';
import { HealthController } from './health.controller';
import { RateLimits } from './rate-limits';

export { DATABASE_URL };

/**
 * The one TypeORM connection of the process. Entities register themselves with forFeature.
 * RateLimits (limits counted in PostgreSQL, shared by every process) rides on the same pool.
 */
@Global()
@Module({})
export class DatabaseModule {
  /**
   * `poolMax`: connections this process keeps at most (DB_POOL_MAX);
   * `timeouts`: statement_timeout and lock_timeout of every connection, and the
   * pool's wait for a free one (API processes short, the worker longer).
   */
  static forRoot(url: string, poolMax?: number, timeouts?: DbTimeouts): DynamicModule {
    const pool: Record<string, unknown> = {
      ...(poolMax ? { max: poolMax } : {}),
      ...(timeouts
        ? {
            statement_timeout: timeouts.statementTimeoutMs,
            lock_timeout: timeouts.lockTimeoutMs,
            connectionTimeoutMillis: timeouts.poolTimeoutMs,
          }
        : {}),
    };
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url, { extra: pool }),
          autoLoadEntities: true,
          // Fail fast at boot rather than retrying for minutes.
          retryAttempts: 1,
        }),
      ],
      controllers: [HealthController],
      providers: [{ provide: DATABASE_URL, useValue: url }, RateLimits, DatabaseProbe],
      exports: [DATABASE_URL, RateLimits, DatabaseProbe],
    };
  }
}
