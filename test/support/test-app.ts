import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/configure-app';
import { Role, UsersService } from '../../libs/auth/src';
import { loadConfig } from '../../libs/common/src';
import { adminQuery, withDatabase } from '../setup/test-database';

export const PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: INestApplication;
  ds: DataSource;
  http: () => ReturnType<typeof request>;
  /** A user of that role (a fresh one each call) and its bearer token. */
  signIn(role: Role, supporterId?: string): Promise<{ token: string; userId: string; email: string }>;
  close(): Promise<void>;
}

/** Boots the whole AppModule over a fresh copy of the migrated template database. */
export async function startTestApp(
  env: Record<string, string> = {},
  /** `databaseUrl`: the URL the app is given, from its database's (e.g. through a proxy: test/support/pg-proxy.ts). */
  opts: { logStream?: NodeJS.WritableStream; databaseUrl?: (url: string) => string } = {},
): Promise<TestApp> {
  const adminUrl = process.env.TEST_ADMIN_URL!;
  const template = process.env.TEST_TEMPLATE_DB!;
  const dbName = `dsl_t_${Math.floor(Date.now() / 1000)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${dbName}" TEMPLATE "${template}"`);
  const dataDir = mkdtempSync(join(tmpdir(), 'dsl-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
    // The outbox worker does not poll in tests; a test that needs delivery runs it (OutboxWorker.runOnce) or passes WORKER: 'on'.
    WORKER: 'off',
    // Confirmations leave at once unless a test is about the grace period (test/booking/undo.e2e-spec.ts sets its own).
    CONFIRMATION_GRACE_SECONDS: '0',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config,
        databaseUrl: (opts.databaseUrl ?? ((u) => u))(withDatabase(adminUrl, dbName)),
        logStream: opts.logStream,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureApp(app);
  await app.init();
  const ds = app.get<DataSource>(getDataSourceToken());
  const users = app.get(UsersService);
  let n = 0;
  return {
    app,
    ds,
    http: () => request(app.getHttpServer()),
    async signIn(role, supporterId) {
      const email = `${role}-${++n}-${randomBytes(3).toString('hex')}@test.local`;
      const user = await users.create({ email, password: PASSWORD, role, supporterId });
      const res = await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email, password: PASSWORD });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.accessToken as string, userId: user.id, email };
    },
    async close() {
      await app.close();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
