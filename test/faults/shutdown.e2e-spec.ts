import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { ALL_DAY } from '../notifications/helpers';
import { adminQuery, withDatabase } from '../setup/test-database';
import { DEFAULT_POLICIES } from '../support/factories';

/**
 * Issue 15, point 3: SIGTERM to the built API (`node dist/apps/api/src/main.js`)
 * under load. The server stops accepting, answers what it has, stops the
 * worker, closes the pool and exits 0; every booking PostgreSQL committed
 * was answered to its client.
 */
jest.setTimeout(180_000);

const root = join(__dirname, '..', '..');
const ADMIN = { email: 'shutdown-admin@test.local', password: 'correct horse battery staple' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Outcome {
  key: string;
  status?: number;
  bookingId?: string;
  error?: string;
  at: number;
}

describe('faults: SIGTERM under load', () => {
  let child: ChildProcess;
  let dbName: string;
  let dataDir: string;
  let output = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    // the built API, as production runs it (incremental: a no-op when dist/ is current)
    execFileSync(process.execPath, [join(root, 'scripts', 'build.js'), '--api'], { cwd: root, stdio: 'pipe' });
    dbName = `dsl_t_${Math.floor(Date.now() / 1000)}_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(
      process.env.TEST_ADMIN_URL!,
      `CREATE DATABASE "${dbName}" TEMPLATE "${process.env.TEST_TEMPLATE_DB}"`,
    );
    dataDir = mkdtempSync(join(tmpdir(), 'dsl-shutdown-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await adminQuery(process.env.TEST_ADMIN_URL!, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(
      () => undefined,
    );
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops accepting, answers every request in progress, stops the worker, then the pool; no committed booking goes unanswered', async () => {
    const port = await freePort();
    const databaseUrl = withDatabase(process.env.TEST_ADMIN_URL!, dbName);
    child = spawn(process.execPath, [join(root, 'dist', 'apps', 'api', 'src', 'main.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        JWT_SECRET: 'shutdown-test-secret-shutdown-test-secret-0123',
        BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
        DEMO_SEED: 'false',
        WORKER: 'on',
        LOG_LEVEL: 'info',
        SHUTDOWN_GRACE_SECONDS: '5',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    // 'close': the process has exited and its output has been read to the end
    exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    const started = Date.now();
    while (!output.includes('API listening')) {
      if (child.exitCode !== null || Date.now() - started > 60_000)
        throw new Error(`the API did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    const base = `http://127.0.0.1:${port}/api/v1`;
    const call = async (
      method: string,
      path: string,
      token: string | null,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const login = await call('POST', '/auth/login', null, ADMIN);
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    expect((await call('PUT', '/policies', token, DEFAULT_POLICIES)).status).toBe(200);
    const supporter = await call('POST', '/supporters', token, {
      kind: 'counsellor',
      displayName: 'Dr Dana Reyes',
      email: 'dana.reyes@test.local',
      timeZone: 'Europe/London',
      maxActiveCases: 500,
    });
    expect(supporter.status).toBe(201);
    expect(
      (await call('PUT', `/supporters/${supporter.body.id}/availability`, token, { weekly: ALL_DAY })).status,
    ).toBe(200);
    const intakes: string[] = [];
    for (let i = 0; i < 120; i++) {
      const res = await call('POST', '/intakes', token, {
        service: 'counselling',
        caller: {
          name: `Caller ${i}`,
          phone: `07700 9${String(10000 + i).slice(1)}`,
          email: `caller-${i}@nhs.example`,
          role: 'doctor',
          timeZone: 'Europe/London',
        },
        risk: { immediateDanger: false },
        consent: { privacyNotice: true },
      });
      expect(res.status).toBe(201);
      intakes.push(res.body.id);
    }

    // load: 12 clients booking one after another, each with an Idempotency-Key
    const first = DateTime.utc().startOf('hour').plus({ days: 3 });
    const outcomes: Outcome[] = [];
    let next = 0;
    let sigtermAt = Infinity;
    const client = async () => {
      while (next < intakes.length) {
        const i = next++;
        const key = randomUUID();
        try {
          const res = await call(
            'POST',
            '/bookings',
            token,
            { intakeId: intakes[i], supporterId: supporter.body.id, start: first.plus({ hours: i }).toISO() },
            { 'Idempotency-Key': key },
          );
          outcomes.push({ key, status: res.status, bookingId: res.body?.id, at: Date.now() });
        } catch (err) {
          const cause = (err as { cause?: { code?: string; message?: string } }).cause;
          outcomes.push({ key, error: cause?.code ?? cause?.message ?? String(err), at: Date.now() });
          if (Date.now() > sigtermAt) return;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, client));
    while (outcomes.length < 20) await new Promise((r) => setTimeout(r, 5));
    sigtermAt = Date.now();
    child.kill('SIGTERM');
    await load;
    const code = await exited;

    expect(code).toBe(0);
    expect(output).toContain('every request answered');
    // the worker stopped before the process ended, and the pool after it
    // (pino's lines may be flushed after the plain ones, so only their own order is compared)
    expect(output.indexOf('outbox delivery stopped')).toBeGreaterThan(output.indexOf('SIGTERM: shutting down'));
    expect(output.indexOf('shut down\n')).toBeGreaterThan(output.indexOf('every request answered'));
    expect(output).not.toMatch(/unhandled promise rejection/);

    const answered = outcomes.filter((o) => o.status !== undefined);
    // requests in progress at SIGTERM were answered after it
    expect(answered.filter((o) => o.at > sigtermAt).length).toBeGreaterThan(0);
    // nothing answered with a server error while shutting down
    expect(answered.filter((o) => o.status! >= 500)).toEqual([]);
    expect(answered.every((o) => o.status === 201)).toBe(true);

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const rows: { id: string }[] = (await db.query(`SELECT id FROM bookings`)).rows;
      const answeredIds = new Set(answered.map((o) => o.bookingId));
      // every committed booking was answered to its client
      expect(rows.filter((r) => !answeredIds.has(r.id))).toEqual([]);
      expect(rows).toHaveLength(answered.length);
      // and no connection is left behind: the pool closed before exit
      const left = (
        await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [dbName],
        )
      ).rows[0].n;
      expect(left).toBe(0);
    } finally {
      await db.end();
    }
    // requests that never got through were refused a connection, never cut mid-way after being accepted
    const failures = outcomes.filter((o) => o.error);
    expect(failures.length).toBeGreaterThan(0);
  });
});
