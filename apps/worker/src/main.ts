import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AppConfig,
  AppLogger,
  ConfigModule,
  installProcessGuards,
  LoggingModule,
  loadConfigOrExit,
  ROOT_LOGGER,
} from '@app/common';
import { DatabaseModule, resolveDatabase, runMigrations } from '@app/database';
import { AuditModule } from '@app/audit';
import { CalendarSyncModule } from '@app/calendars';
import { NotificationsModule, OutboxWorker } from '@app/notifications';
import { PrivacyModule } from '@app/privacy';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** What the background jobs need: config, the database, the outbox, retention. No HTTP. */
@Module({})
export class WorkerModule {
  /** `deliver: false` (the retention CLI) starts no background loop. */
  static forRoot(config: AppConfig, databaseUrl: string, opts: { deliver?: boolean } = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        // This process exists to deliver, whatever WORKER says for the API processes.
        ConfigModule.forRoot({ ...config, worker: opts.deliver ?? true }),
        LoggingModule.forRoot({ level: config.logLevel, service: 'worker' }),
        DatabaseModule.forRoot(databaseUrl, config.dbPoolMax, config.dbBackgroundTimeouts),
        AuditModule,
        NotificationsModule,
        PrivacyModule,
        CalendarSyncModule,
      ],
    };
  }
}

/**
 * The background process (`npm run start:worker`): delivers the outbox
 * alongside, or instead of, the API processes (WORKER=off there). Any number
 * may run against one database; SIGTERM finishes the messages in hand and exits.
 */
async function main(): Promise<void> {
  if (require.main !== module) return;
  const config = loadConfigOrExit();
  const db = await resolveDatabase(config, say);
  try {
    await runMigrations(db.url, say);
  } catch (err) {
    await db.stop().catch(() => undefined);
    throw err;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, db.url), { bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  installProcessGuards(app.get(ROOT_LOGGER));
  await app.init();
  say(
    `worker delivering the outbox (${app.get(OutboxWorker).isRunning ? 'running' : 'idle'}) using ${db.embedded ? 'the embedded PostgreSQL' : 'DATABASE_URL'}`,
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: worker shutting down`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await app.close().catch(() => undefined);
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
