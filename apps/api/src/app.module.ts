import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@app/auth';
import { BookingModule } from '@app/booking';
import { AppConfig, ConfigModule, createValidationPipe, ProblemFilter } from '@app/common';
import { DatabaseModule } from '@app/database';
import { IntakeModule } from '@app/intake';
import { MatchingModule } from '@app/matching';
import { PoliciesModule } from '@app/policies';
import { SupportersModule } from '@app/supporters';
import { loggerParams } from './logging';
import { DemoSeedService } from './seed/demo-seed.service';

export interface AppOptions {
  config: AppConfig;
  databaseUrl: string;
}

/** Wires the feature modules; holds no logic. Tests boot exactly this. */
@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.logLevel)),
        DatabaseModule.forRoot(databaseUrl),
        AuthModule,
        PoliciesModule,
        SupportersModule,
        IntakeModule,
        BookingModule,
        MatchingModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        DemoSeedService,
      ],
    };
  }
}
