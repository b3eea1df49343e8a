import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { installProcessGuards, loadConfigOrExit, ROOT_LOGGER } from '@app/common';
import { resolveDatabase, runMigrations } from '@app/database';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { GracefulShutdown } from './graceful-shutdown';
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
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: db.url }), {
    bufferLogs: true,
    bodyParser: false,
  });
  const graceful = new GracefulShutdown();
  // before configureApp, so that it sees every request
  app.use(graceful.track);
  configureApp(app);
  installProcessGuards(app.get(ROOT_LOGGER));
  const seeded = await app.get(DemoSeedService).seedIfEmpty();
  await app.listen(config.port);
  say(
    `API listening on http://localhost:${config.port} (docs: /api/docs) using ${db.embedded ? 'the embedded PostgreSQL' : 'DATABASE_URL'}`,
  );
  if (seeded) say(seeded.join('\n'));

  /*
   * In this order: stop accepting and let requests in progress finish
   * (SHUTDOWN_GRACE_SECONDS at most); then app.close() stops the outbox worker
   * after the messages in hand (no new batch) and closes the pool; then exit.
   */
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const graceMs = config.shutdownGraceSeconds * 1000;
    say(
      `${signal}: shutting down (no new connections; up to ${config.shutdownGraceSeconds} s for ${graceful.requestsInFlight} request(s) in progress)`,
    );
    // whatever happens below, the process ends: the grace, plus the worker's sends (bounded by their SMTP timeouts)
    const force = setTimeout(() => process.exit(1), graceMs + 45_000);
    force.unref();
    const { cut } = await graceful.drain(app.getHttpServer() as Server, graceMs).catch(() => ({ cut: -1 }));
    say(cut > 0 ? `${cut} request(s) cut after the grace period` : 'HTTP server closed: every request answered');
    await app.close().catch(() => undefined);
    await stopDb();
    say('shut down');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
