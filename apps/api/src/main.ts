import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { installProcessGuards, loadConfigOrExit, ROOT_LOGGER } from '@app/common';
import { resolveDatabase, runMigrations } from '@app/database';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { DemoSeedService } from './seed/demo-seed.service';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const db = await resolveDatabase(config, say);
  let closing = false;
  const stopDb = async () => db.stop().catch(() => undefined);
  try {
    await runMigrations(db.url, say);
  } catch (err) {
    await stopDb();
    throw err;
  }
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: db.url }), { bufferLogs: true, bodyParser: false });
  configureApp(app);
  installProcessGuards(app.get(ROOT_LOGGER));
  const seeded = await app.get(DemoSeedService).seedIfEmpty();
  await app.listen(config.port);
  say(`API listening on http://localhost:${config.port} (docs: /api/docs) using ${db.embedded ? 'the embedded PostgreSQL' : 'DATABASE_URL'}`);
  if (seeded) say(seeded.join('\n'));

  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 8000);
    force.unref();
    await app.close().catch(() => undefined);
    await stopDb();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
