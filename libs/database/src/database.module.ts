import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source';
import { HealthController } from './health.controller';
import { RateLimits } from './rate-limits';

export const DATABASE_URL = Symbol('DATABASE_URL');

/**
 * The one TypeORM connection of the process. Entities register themselves with forFeature.
 * RateLimits (limits counted in PostgreSQL, shared by every process) rides on the same pool.
 */
@Global()
@Module({})
export class DatabaseModule {
  /** `poolMax`: connections this process keeps at most (DB_POOL_MAX). */
  static forRoot(url: string, poolMax?: number): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url, poolMax ? { extra: { max: poolMax } } : {}),
          autoLoadEntities: true,
          // Fail fast at boot rather than retrying for minutes.
          retryAttempts: 1,
        }),
      ],
      controllers: [HealthController],
      providers: [{ provide: DATABASE_URL, useValue: url }, RateLimits],
      exports: [DATABASE_URL, RateLimits],
    };
  }
}
