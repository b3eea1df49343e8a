/**
 * The worker process (`npm run start:worker`) reads connected calendars in
 * its background loop, without the API, and a calendar server that is down
 * does not stop the loop.
 */
import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CalendarSyncService, CalendarWriterService } from '@app/calendars';
import { loadConfig } from '@app/common';
import { DATABASE_URL } from '@app/database';
import { WorkerModule } from '../../apps/worker/src/main';
import { auth, london, makeSupporter } from '../support/booking-factories';
import { makeTestCalendar, putEvent, RadicaleServer, startRadicale, vevent } from '../support/radicale';
import { startTestApp, TestApp } from '../support/test-app';

const USER = 'drworker';
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const KEY = randomBytes(32).toString('base64');

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('calendar sync in the worker process', () => {
  let radicale: RadicaleServer;
  let t: TestApp;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    radicale = await startRadicale({ [USER]: PASSWORD });
    t = await startTestApp({ CALENDAR_ENCRYPTION_KEY: KEY, CALENDAR_ALLOWED_HOSTS: '127.0.0.1' });
  }, 300_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await radicale?.stop();
  });

  it('reads due calendars on its own; a connection whose server is gone is recorded and the others still sync', async () => {
    const admin = (await t.signIn('admin')).token;
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const down = await makeSupporter(t, admin, { kind: 'counsellor' });
    const url = await makeTestCalendar(radicale, USER);
    expect(
      (
        await t
          .http()
          .put(`/api/v1/supporters/${s.id}/calendar`)
          .set(auth(admin))
          .send({ url, username: USER, password: PASSWORD })
      ).status,
    ).toBe(200);
    expect(
      (
        await t
          .http()
          .put(`/api/v1/supporters/${down.id}/calendar`)
          .set(auth(admin))
          .send({ url, username: USER, password: PASSWORD })
      ).status,
    ).toBe(200);
    // the second one's server moves away: a port nothing listens on
    const sync = t.app.get(CalendarSyncService);
    const gone = url.replace(`:${radicale.port}/`, ':9/');
    await t.ds.query(`UPDATE calendar_connections SET credentials = $2 WHERE supporter_id = $1`, [
      down.id,
      sync.cipher!.seal({ url: gone, username: USER, password: PASSWORD }, down.id),
    ]);
    const start = london(9, '14:00');
    await putEvent(
      radicale,
      USER,
      url,
      'w1',
      vevent({ uid: 'w1', start: start.toUTC().toISO()!, end: start.plus({ hours: 1 }).toUTC().toISO()! }),
    );
    await t.ds.query(`UPDATE calendar_connections SET next_sync_at = now() - interval '1 second'`);

    const databaseUrl = t.app.get<string>(DATABASE_URL);
    const config = loadConfig({
      DATA_DIR: '/tmp',
      LOG_LEVEL: 'silent',
      CALENDAR_ENCRYPTION_KEY: KEY,
      CALENDAR_ALLOWED_HOSTS: '127.0.0.1',
      CALENDAR_SYNC_MINUTES: '1',
    });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, databaseUrl), { logger: false });
    await worker.init();
    expect(worker.get(CalendarSyncService).isRunning).toBe(true);
    // bookings are written into calendars by the worker process too
    expect(worker.get(CalendarWriterService).isRunning).toBe(true);

    const rows = await until(
      () =>
        t.ds.query<{ supporter_id: string; last_error: string | null }[]>(
          `SELECT supporter_id, last_error FROM calendar_connections ORDER BY supporter_id`,
        ),
      (r) => r.some((x) => x.supporter_id === down.id && x.last_error !== null),
    );
    expect(rows.find((r) => r.supporter_id === down.id)?.last_error).toBe('unreachable');
    const uids = await until(
      async () =>
        (
          await t.ds.query<{ source_uid: string }[]>(
            `SELECT source_uid FROM calendar_busy_blocks WHERE supporter_id = $1`,
            [s.id],
          )
        ).map((r) => r.source_uid),
      (u) => u.includes('w1'),
    );
    expect(uids).toContain('w1');
    // the loop is still going after the failure
    expect(worker.get(CalendarSyncService).isRunning).toBe(true);
    expect(worker.get(CalendarWriterService).isRunning).toBe(true);
  });
});
