import { Client } from 'pg';
import { OutboxWorker } from '../../libs/notifications/src';
import { book, newIntake, nextStart, openDesk, type Desk } from '../notifications/helpers';
import { adminQuery } from '../setup/test-database';
import { bearer, expectProblem } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15, points 1, 4 and 5 on real PostgreSQL: the app's backends are
 * terminated (what a restart does to them) while the database refuses new
 * connections, then it comes back. The API and its outbox worker stay up.
 */
const adminUrl = () => process.env.TEST_ADMIN_URL!;
const dbNameOf = (t: TestApp) => new URL((t.ds.options as { url: string }).url).pathname.slice(1);

async function takeDown(t: TestApp): Promise<void> {
  const db = dbNameOf(t);
  await adminQuery(adminUrl(), `ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
  await adminQuery(
    adminUrl(),
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}' AND pid <> pg_backend_pid()`,
  );
}

async function bringBack(t: TestApp): Promise<void> {
  await adminQuery(adminUrl(), `ALTER DATABASE "${dbNameOf(t)}" ALLOW_CONNECTIONS true`);
}

async function terminateBackends(t: TestApp): Promise<void> {
  await adminQuery(
    adminUrl(),
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbNameOf(t)}' AND pid <> pg_backend_pid()`,
  );
}

describe('faults: PostgreSQL restarts and outages', () => {
  let t: TestApp;
  let desk: Desk;
  let worker: OutboxWorker;
  const unhandled: unknown[] = [];
  const onUnhandled = (r: unknown) => unhandled.push(r);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    // the worker polls as in production (WORKER=on), fast, so that it meets the outage
    t = await startTestApp({ WORKER: 'on' });
    desk = await openDesk(t);
    worker = t.app.get(OutboxWorker);
    worker.configure({ pollIntervalMs: 20, outageBackoffCapMs: 200 });
  });
  afterAll(async () => {
    await bringBack(t).catch(() => undefined);
    await t.close();
    process.off('unhandledRejection', onUnhandled);
  });

  it('backends terminated (a restart): the API answers again at once, without a restart of its own', async () => {
    const caller = await newIntake(t, desk);
    await terminateBackends(t);
    const b = await book(t, desk, caller.intakeId);
    expect(b.status).toBe('confirmed');
    expect((await t.http().get('/health')).status).toBe(200);
  });

  it('database away: 503 service_unavailable with Retry-After, /health 503, /health/live 200; back within 2 s of its return; bookings succeed again', async () => {
    const caller = await newIntake(t, desk);
    await takeDown(t);
    try {
      const health = await t.http().get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: 'unavailable', db: 'down' });
      const ready = await t.http().get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers['retry-after']).toBe('5');
      const live = await t.http().get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');

      const res = await t
        .http()
        .post('/api/v1/bookings')
        .set(bearer(desk.intake))
        .send({ intakeId: caller.intakeId, supporterId: desk.supporterId, start: nextStart() });
      expectProblem(res, 503, 'service_unavailable');
      expect(res.headers['retry-after']).toBe('5');
      const list = await t.http().get('/api/v1/supporters').set(bearer(desk.intake));
      expectProblem(list, 503, 'service_unavailable');

      // the worker meets the outage too, for several rounds
      const failedBefore = worker.consecutiveFailedRounds;
      await new Promise((r) => setTimeout(r, 400));
      expect(worker.consecutiveFailedRounds).toBeGreaterThan(failedBefore);
      expect(worker.isRunning).toBe(true);
    } finally {
      await bringBack(t);
    }
    const back = Date.now();
    let status = 0;
    while (Date.now() - back < 2000) {
      status = (await t.http().get('/health')).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
    expect(Date.now() - back).toBeLessThan(2000);
    expect((await t.http().get('/health/ready')).status).toBe(200);

    const b = await book(t, desk, caller.intakeId);
    expect(b.status).toBe('confirmed');
    // the worker found its way back by itself and delivers the confirmation
    const end = Date.now() + 5000;
    let statuses: string[] = [];
    while (Date.now() < end) {
      const rows: { status: string }[] = await t.ds.query(
        `SELECT status FROM outbox_messages WHERE booking_id = $1 AND kind = 'confirmation'`,
        [b.id],
      );
      statuses = rows.map((r) => r.status);
      // the round marks each message sent as it goes, and counts itself a success when it ends: wait for both
      if (statuses.length && statuses.every((s) => s === 'sent') && worker.consecutiveFailedRounds === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(statuses).toEqual(['sent', 'sent']);
    expect(worker.consecutiveFailedRounds).toBe(0);
    expect(unhandled).toEqual([]);
  });
});

describe('faults: bounded waits', () => {
  let t: TestApp;
  let admin: string;
  let holder: Client;

  beforeAll(async () => {
    t = await startTestApp({
      DB_POOL_MAX: '3',
      DB_LOCK_TIMEOUT_MS: '1500',
      DB_STATEMENT_TIMEOUT_MS: '5000',
      DB_POOL_TIMEOUT_MS: '300',
    });
    admin = (await t.signIn('admin')).token;
    holder = new Client({ connectionString: (t.ds.options as { url: string }).url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end().catch(() => undefined);
    await t.close();
  });

  it('every connection has the configured statement_timeout and lock_timeout', async () => {
    const rows: { s: string; l: string }[] = await t.ds.query(
      `SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l`,
    );
    expect(rows[0]).toEqual({ s: '5s', l: '1500ms' });
  });

  it('a table locked for long: the request gives up after lock_timeout with 503 (not a 60 s wait), and works once the lock is gone', async () => {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE supporters IN ACCESS EXCLUSIVE MODE');
    try {
      const started = Date.now();
      const res = await t.http().get('/api/v1/supporters').set(bearer(admin));
      expectProblem(res, 503, 'service_unavailable');
      expect(res.headers['retry-after']).toBe('5');
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await holder.query('ROLLBACK');
    }
    expect((await t.http().get('/api/v1/supporters').set(bearer(admin))).status).toBe(200);
  });

  it('the pool exhausted: more requests get 503 after DB_POOL_TIMEOUT_MS; /health stays 200 (db up), /health/ready says busy', async () => {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE supporters IN ACCESS EXCLUSIVE MODE');
    let waiting: Promise<unknown>[] = [];
    try {
      // three requests wait on the lock, holding every connection of the pool
      waiting = [1, 2, 3].map(() => t.ds.query('SELECT count(*) FROM supporters').catch((e: unknown) => e));
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      const res = await t.http().get('/api/v1/supporters').set(bearer(admin));
      expectProblem(res, 503, 'service_unavailable');
      expect(res.headers['retry-after']).toBe('5');
      expect(Date.now() - started).toBeLessThan(1400);
      const health = await t.http().get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok', db: 'up' });
      const ready = await t.http().get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'unavailable', db: 'up', pool: 'busy' });
    } finally {
      await holder.query('ROLLBACK');
      await Promise.all(waiting);
    }
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', db: 'up', pool: 'ok' });
  });
});
