/*
 * `npm run retention [-- --dry-run]`: erases (or, with --dry-run, only lists)
 * the callers with no contact for RETENTION_YEARS. Prints ids and counts only.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfigOrExit } from '@app/common';
import { resolveDatabase, runMigrations } from '@app/database';
import { PrivacyService } from '@app/privacy';
import { WorkerModule } from './main';

async function retention(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const config = { ...loadConfigOrExit(), logLevel: 'warn', worker: false };
  const db = await resolveDatabase(config, () => undefined);
  try {
    await runMigrations(db.url);
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, db.url, { deliver: false }), {
      logger: false,
    });
    try {
      const result = await app.get(PrivacyService).retention({ dryRun });
      console.log(`retention (RETENTION_YEARS=${config.retentionYears}): no contact since ${result.cutoff}`);
      console.log(
        `${dryRun ? 'would erase' : 'erased'} ${result.callerIds.length} caller(s)${result.callerIds.length ? ':' : ''}`,
      );
      for (const id of result.callerIds) console.log(`  ${id}`);
    } finally {
      await app.close();
    }
  } finally {
    await db.stop();
  }
}

retention().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `retention failed: ${(err as Error).message}`);
  process.exit(1);
});
