import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from '@app/audit';
import { AuthModule } from '@app/auth';
import { BookingModule } from '@app/booking';
import { CalendarsModule } from '@app/calendars';
import { AppConfig, ConfigModule, createValidationPipe, LoggingModule, ProblemFilter } from '@app/common';
import { DatabaseModule } from '@app/database';
import { FeedbackModule } from '@app/feedback';
import { IntakeModule } from '@app/intake';
import { MatchingModule } from '@app/matching';
import { PoliciesModule } from '@app/policies';
import { PrivacyModule } from '@app/privacy';
import { SupportersModule } from '@app/supporters';
import { DemoSeedService } from './seed/demo-seed.service';

export interface AppOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Where logs go (default stdout); tests capture them to scan for personal data. */
  logStream?: NodeJS.WritableStream;
}

/** Wires the feature modules; holds no logic. Tests boot exactly this. */
@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, logStream }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({ level: config.logLevel, service: 'api', stream: logStream }),
        DatabaseModule.forRoot(databaseUrl, config.dbPoolMax, config.dbTimeouts),
        AuditModule,
        AuthModule,
        PoliciesModule,
        SupportersModule,
        IntakeModule,
        BookingModule,
        MatchingModule,
        FeedbackModule,
        PrivacyModule,
        CalendarsModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        DemoSeedService,
      ],
    };
  }
}
