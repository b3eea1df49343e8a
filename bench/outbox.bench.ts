/*
 * Outbox benchmark: an SMTP sink that refuses everything for 30 s, then accepts.
 *   npm run bench:outbox   (compiles to dist/bench/outbox.bench.js)
 * 100 bookings are made over HTTP during the outage; the API's own outbox
 * worker (WORKER=on, default timing) retries with backoff. Goal: all 100
 * confirmation e-mails delivered after recovery, 0 duplicates (by Message-ID).
 * Uses DATABASE_URL (a scratch database is created and dropped) or else an
 * embedded PostgreSQL under .data/bench.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/configure-app';
import { UsersService } from '../libs/auth/src';
import { loadConfig } from '../libs/common/src';
import { runMigrations } from '../libs/database/src/data-source';
import { startEmbeddedPostgres } from '../libs/database/src/embedded-postgres';

const OUTAGE_MS = 30_000;
const BOOKINGS = 100;
const CALLERS = 10;
const GIVE_UP_MS = 5 * 60_000;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  // ---- database ----
  let adminUrl: string;
  let stopPg: () => Promise<void> = async () => undefined;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const pg = await startEmbeddedPostgres({
      dataDir: join(process.cwd(), '.data', 'bench'),
      database: 'postgres',
      log: () => undefined,
    });
    adminUrl = pg.adminUrl;
    stopPg = pg.stop;
  }
  const dbName = `outbox_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE "${dbName}"`);
  const dbUrl = withDatabase(adminUrl, dbName);
  await runMigrations(dbUrl);

  // ---- the mail server: refuses until `recoversAt` ----
  const accepted: string[] = [];
  let refused = 0;
  const startedAt = Date.now();
  const recoversAt = startedAt + OUTAGE_MS;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (Date.now() < recoversAt) {
          refused += 1;
          callback(Object.assign(new Error('Service temporarily unavailable'), { responseCode: 451 }));
          return;
        }
        const head = Buffer.concat(chunks)
          .toString('utf8')
          .split(/\r?\n\r?\n/)[0];
        const id = /^Message-ID:\s*(.+)$/im.exec(head)?.[1]?.trim() ?? '';
        accepted.push(id);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const smtpPort = (server.server.address() as AddressInfo).port;

  // ---- the API with its outbox worker ----
  const dataDir = mkdtempSync(join(tmpdir(), 'outbox-bench-'));
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    WORKER: 'on',
  });
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: dbUrl }), {
    logger: false,
    bodyParser: false,
  });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  const password = randomBytes(12).toString('hex');
  await app.get(UsersService).create({ email: 'bench-admin@bench.local', password, role: 'admin' });
  const token = (await call('POST', '/auth/login', null, { email: 'bench-admin@bench.local', password }))
    .accessToken as string;
  const supporter = await call('POST', '/supporters', token, {
    kind: 'counsellor',
    displayName: 'Dr Bench Counsellor',
    email: 'counsellor@bench.local',
    timeZone: 'Europe/London',
    maxActiveCases: 50,
  });
  await call('PUT', `/supporters/${supporter.id}/availability`, token, {
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
  });
  const intakes: string[] = [];
  for (let i = 0; i < CALLERS; i++) {
    const intake = await call('POST', '/intakes', token, {
      service: 'counselling',
      caller: {
        name: `Bench Caller ${i}`,
        phone: `07700 900${String(100 + i)}`,
        email: `caller${i}@bench.local`,
        role: 'doctor',
      },
      risk: { immediateDanger: false },
      consent: { privacyNotice: true },
    });
    intakes.push(intake.id as string);
  }
  const firstStart = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 2 * 86_400_000);
  const madeFrom = Date.now();
  for (let i = 0; i < BOOKINGS; i++) {
    await call('POST', '/bookings', token, {
      intakeId: intakes[i % CALLERS],
      supporterId: supporter.id,
      start: new Date(firstStart.getTime() + i * 3_600_000).toISOString(),
    });
  }
  const madeIn = Date.now() - madeFrom;
  if (Date.now() >= recoversAt) console.log('warning: the bookings took longer than the outage');
  console.log(`${BOOKINGS} bookings made in ${(madeIn / 1000).toFixed(1)} s, during the ${OUTAGE_MS / 1000} s outage`);

  // ---- wait for delivery ----
  const pg = new Client({ connectionString: dbUrl });
  await pg.connect();
  const count = async () =>
    (
      await pg.query(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed
                       FROM outbox_messages WHERE channel = 'email' AND kind = 'confirmation'`)
    ).rows[0] as { sent: number; failed: number };
  let state = await count();
  while (state.sent + state.failed < BOOKINGS && Date.now() - startedAt < GIVE_UP_MS) {
    await new Promise((r) => setTimeout(r, 100));
    state = await count();
  }
  const doneAt = Date.now();
  const attempts = (
    await pg.query(
      `SELECT max(attempts)::int AS max, avg(attempts)::float AS avg FROM outbox_messages WHERE channel = 'email' AND kind = 'confirmation'`,
    )
  ).rows[0];
  const sms = (
    await pg.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE channel = 'sms' AND kind = 'confirmation' AND status = 'sent'`,
    )
  ).rows[0].n;
  await pg.end();

  const unique = new Set(accepted).size;
  console.log(`refused during the outage: ${refused} SMTP transactions`);
  console.log(
    `delivered: ${unique} of ${BOOKINGS} confirmation e-mails (outbox: ${state.sent} sent, ${state.failed} failed); SMS recorded: ${sms}`,
  );
  console.log(`duplicates (by Message-ID): ${accepted.length - unique}`);
  console.log(`attempts per e-mail: max ${attempts.max}, mean ${Number(attempts.avg).toFixed(2)}`);
  console.log(
    `time after recovery until all delivered: ${((doneAt - recoversAt) / 1000).toFixed(1)} s (total ${((doneAt - startedAt) / 1000).toFixed(1)} s)`,
  );
  const ok = unique === BOOKINGS && accepted.length === unique;
  console.log(ok ? 'goal met: 100 delivered, 0 duplicates' : 'GOAL MISSED');

  await app.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await admin(adminUrl, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  await stopPg();
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
