/**
 * CalDAV sync against a real Radicale: connect (tested first), busy time
 * read from VEVENTs (recurring ones expanded, transparent and cancelled ones
 * ignored), the URL guard, credentials encrypted at rest and never answered,
 * failures in plain words, disconnect, and the background round.
 */
import { randomBytes } from 'node:crypto';
import { CalendarSyncService } from '@app/calendars';
import { auth, expectProblem, london, makeSupporter } from '../support/booking-factories';
import { deleteEvent, makeTestCalendar, putEvent, RadicaleServer, startRadicale, vevent } from '../support/radicale';
import { startTestApp, TestApp } from '../support/test-app';

const PASSWORD = `app-pw-${randomBytes(6).toString('hex')}`;
const USER = 'drjo';
const KEY = randomBytes(32).toString('base64');

describe('CalDAV sync (real Radicale)', () => {
  let radicale: RadicaleServer;
  let t: TestApp;
  let admin: string;
  let calendarUrl: string;
  /** Every answer body the tests saw: none may hold the credentials. */
  const seen: string[] = [];
  const keep = <R extends { text: string }>(res: R): R => {
    seen.push(res.text ?? '');
    return res;
  };

  beforeAll(async () => {
    radicale = await startRadicale({ [USER]: PASSWORD });
    calendarUrl = await makeTestCalendar(radicale, USER, 'rota');
    t = await startTestApp({ CALENDAR_ENCRYPTION_KEY: KEY, CALENDAR_ALLOWED_HOSTS: '127.0.0.1' });
    admin = (await t.signIn('admin')).token;
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await radicale?.stop();
  });

  const connect = (supporterId: string, token: string, body: Record<string, unknown>) =>
    t.http().put(`/api/v1/supporters/${supporterId}/calendar`).set(auth(token)).send(body).then(keep);
  const blocks = async (supporterId: string) =>
    (
      await t.ds.query(
        `SELECT starts_at, ends_at, source_uid FROM calendar_busy_blocks WHERE supporter_id = $1 ORDER BY starts_at`,
        [supporterId],
      )
    ).map((r: { starts_at: Date; ends_at: Date; source_uid: string }) => ({
      start: r.starts_at.toISOString(),
      end: r.ends_at.toISOString(),
      uid: r.source_uid,
    }));

  it('connects after testing the calendar; events become busy blocks (recurring expanded, transparent and cancelled ignored)', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const day = london(10, '09:00');
    const iso = (d: typeof day) => d.toUTC().toISO()!;
    await putEvent(
      radicale,
      USER,
      calendarUrl,
      'busy-1',
      vevent({ uid: 'busy-1', start: iso(day), end: iso(day.plus({ hours: 2 })) }),
    );
    await putEvent(
      radicale,
      USER,
      calendarUrl,
      'free-1',
      vevent({
        uid: 'free-1',
        start: iso(day.plus({ days: 1 })),
        end: iso(day.plus({ days: 1, hours: 1 })),
        transparent: true,
      }),
    );
    await putEvent(
      radicale,
      USER,
      calendarUrl,
      'gone-1',
      vevent({
        uid: 'gone-1',
        start: iso(day.plus({ days: 2 })),
        end: iso(day.plus({ days: 2, hours: 1 })),
        cancelled: true,
      }),
    );
    await putEvent(
      radicale,
      USER,
      calendarUrl,
      'weekly',
      vevent({
        uid: 'weekly',
        start: iso(day.plus({ days: 3 })),
        end: iso(day.plus({ days: 3, hours: 1 })),
        rrule: 'FREQ=WEEKLY;COUNT=3',
      }),
    );

    const res = await connect(s.id, admin, { url: calendarUrl, username: USER, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ connected: true, lastError: null, stale: false, busyBlocks: 4 }),
    );
    expect(Object.keys(res.body).sort()).toEqual([
      'busyBlocks',
      'connected',
      'connectedAt',
      'lastAttemptAt',
      'lastError',
      'lastSyncAt',
      'stale',
      'writes',
    ]);
    expect(res.body.writes).toEqual({ pending: 0, failing: 0, lastError: null });

    const got = await blocks(s.id);
    expect(got.map((b: { start: string; end: string }) => [b.start, b.end])).toEqual([
      [iso(day), iso(day.plus({ hours: 2 }))],
      [iso(day.plus({ days: 3 })), iso(day.plus({ days: 3, hours: 1 }))],
      [iso(day.plus({ days: 10 })), iso(day.plus({ days: 10, hours: 1 }))],
      [iso(day.plus({ days: 17 })), iso(day.plus({ days: 17, hours: 1 }))],
    ]);
    expect(got.filter((b: { uid: string }) => b.uid.startsWith('weekly/'))).toHaveLength(3);

    // a change in the calendar shows after the next sync (on demand)
    await deleteEvent(radicale, USER, calendarUrl, 'busy-1');
    const synced = keep(await t.http().post(`/api/v1/supporters/${s.id}/calendar/sync`).set(auth(admin)));
    expect(synced.status).toBe(200);
    expect(synced.body.busyBlocks).toBe(3);
    expect((await blocks(s.id)).map((b: { uid: string }) => b.uid)).not.toContain('busy-1');

    // a sync that reads what is stored refreshes the sync time only: matching's cached unavailability stays valid
    const version = async () => String((await t.ds.query(`SELECT version FROM unavailability_version`))[0].version);
    const syncTimes = async () =>
      (await t.ds.query(`SELECT DISTINCT synced_at FROM calendar_busy_blocks WHERE supporter_id = $1`, [s.id])).map(
        (r: { synced_at: Date }) => r.synced_at.getTime(),
      );
    const before = { version: await version(), blocks: await blocks(s.id), synced: await syncTimes() };
    expect(before.synced).toHaveLength(1);
    const again = keep(await t.http().post(`/api/v1/supporters/${s.id}/calendar/sync`).set(auth(admin)));
    expect(again.status).toBe(200);
    expect(await version()).toBe(before.version);
    expect(await blocks(s.id)).toEqual(before.blocks);
    const refreshed = await syncTimes();
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toBeGreaterThan(before.synced[0]);
    // and one that reads a change rewrites the blocks and moves the version
    await deleteEvent(radicale, USER, calendarUrl, 'weekly');
    const changed = keep(await t.http().post(`/api/v1/supporters/${s.id}/calendar/sync`).set(auth(admin)));
    expect(changed.body.busyBlocks).toBe(0);
    expect(BigInt(await version())).toBeGreaterThan(BigInt(before.version));

    // the credentials are stored sealed, not in clear
    const [row] = await t.ds.query(`SELECT credentials FROM calendar_connections WHERE supporter_id = $1`, [s.id]);
    expect(row.credentials).toMatch(/^v1\./);
    for (const secret of [PASSWORD, USER, calendarUrl, String(radicale.port)])
      expect(row.credentials).not.toContain(secret);
  });

  it('a wrong password, a collection that is not a calendar, or a missing one: 422 in plain words, nothing stored', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const cases: [Record<string, unknown>, string][] = [
      [{ url: calendarUrl, username: USER, password: 'wrong-password' }, 'authentication_failed'],
      [{ url: `${radicale.baseUrl}/${USER}/`, username: USER, password: PASSWORD }, 'not_a_calendar'],
      [{ url: `${radicale.baseUrl}/${USER}/nothing-here/`, username: USER, password: PASSWORD }, 'calendar_not_found'],
    ];
    for (const [body, reason] of cases) {
      const res = await connect(s.id, admin, body);
      expectProblem(res, 422, 'calendar_connection_failed');
      expect(res.body.reason).toBe(reason);
    }
    expect(await t.ds.query(`SELECT 1 FROM calendar_connections WHERE supporter_id = $1`, [s.id])).toHaveLength(0);
    const status = keep(await t.http().get(`/api/v1/supporters/${s.id}/calendar`).set(auth(admin)));
    expect(status.body).toEqual(expect.objectContaining({ connected: false, busyBlocks: 0 }));
  });

  it('bad input is a 400 and changes nothing', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    for (const body of [
      { url: 'ftp://127.0.0.1/cal/', username: USER, password: PASSWORD },
      { url: calendarUrl, username: '', password: PASSWORD },
      { url: calendarUrl, username: USER },
      { url: calendarUrl, username: USER, password: PASSWORD, extra: 1 },
    ]) {
      expectProblem(await connect(s.id, admin, body), 400, 'validation_failed');
    }
    expectProblem(
      await connect('not-a-uuid', admin, { url: calendarUrl, username: USER, password: PASSWORD }),
      400,
      'validation_failed',
    );
    expectProblem(
      await connect('00000000-0000-4000-8000-000000000000', admin, {
        url: calendarUrl,
        username: USER,
        password: PASSWORD,
      }),
      404,
      'not_found',
    );
    expect(await t.ds.query(`SELECT 1 FROM calendar_connections`)).toHaveLength(1);
  });

  it('a supporter manages its own calendar only; intake staff may not', async () => {
    const mine = await makeSupporter(t, admin, { kind: 'counsellor' });
    const other = await makeSupporter(t, admin, { kind: 'counsellor' });
    const { token } = await t.signIn('supporter', mine.id);
    const body = { url: calendarUrl, username: USER, password: PASSWORD };
    expect((await connect(mine.id, token, body)).status).toBe(200);
    expectProblem(await connect(other.id, token, body), 403, 'forbidden');
    expectProblem(
      keep(await t.http().get(`/api/v1/supporters/${other.id}/calendar`).set(auth(token))),
      403,
      'forbidden',
    );
    const intake = (await t.signIn('intake')).token;
    expectProblem(
      keep(await t.http().get(`/api/v1/supporters/${mine.id}/calendar`).set(auth(intake))),
      403,
      'forbidden',
    );
    expectProblem(keep(await t.http().get(`/api/v1/supporters/${mine.id}/calendar`)), 401, 'unauthorized');
    expect(keep(await t.http().delete(`/api/v1/supporters/${mine.id}/calendar`).set(auth(token))).status).toBe(204);
    expect(await blocks(mine.id)).toEqual([]);
    expectProblem(
      keep(await t.http().delete(`/api/v1/supporters/${mine.id}/calendar`).set(auth(token))),
      404,
      'not_found',
    );
  });

  it('a calendar that goes away: the sync records why in plain words and keeps the last busy time, shown as stale', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const url = await makeTestCalendar(radicale, USER, `short-lived-${randomBytes(3).toString('hex')}`);
    const day = london(12, '10:00');
    await putEvent(
      radicale,
      USER,
      url,
      'ev',
      vevent({ uid: 'ev', start: day.toUTC().toISO()!, end: day.plus({ hours: 1 }).toUTC().toISO()! }),
    );
    expect((await connect(s.id, admin, { url, username: USER, password: PASSWORD })).body.busyBlocks).toBe(1);
    const gone = await fetch(url, {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` },
    });
    expect(gone.ok).toBe(true);
    await t.ds.query(
      `UPDATE calendar_connections SET last_sync_at = now() - interval '1 hour' WHERE supporter_id = $1`,
      [s.id],
    );
    const res = keep(await t.http().post(`/api/v1/supporters/${s.id}/calendar/sync`).set(auth(admin)));
    expect(res.status).toBe(200);
    expect(res.body.lastError).toEqual({ code: 'calendar_not_found', text: 'There is no calendar at that address.' });
    expect(res.body.stale).toBe(true);
    expect(res.body.busyBlocks).toBe(1);
  });

  it('the background round reads every connection that is due, and a failing one does not stop the rest', async () => {
    const a = await makeSupporter(t, admin, { kind: 'counsellor' });
    const b = await makeSupporter(t, admin, { kind: 'counsellor' });
    await connect(a.id, admin, { url: calendarUrl, username: USER, password: PASSWORD });
    await connect(b.id, admin, { url: calendarUrl, username: USER, password: PASSWORD });
    // b's stored credentials now fail (as if the password had been changed at the server)
    const sync = t.app.get(CalendarSyncService);
    await t.ds.query(`UPDATE calendar_connections SET credentials = $2 WHERE supporter_id = $1`, [
      b.id,
      sync.cipher!.seal({ url: calendarUrl, username: USER, password: 'changed' }, b.id),
    ]);
    await putEvent(
      radicale,
      USER,
      calendarUrl,
      'late',
      vevent({ uid: 'late', start: london(20, '11:00').toUTC().toISO()!, end: london(20, '12:00').toUTC().toISO()! }),
    );
    await t.ds.query(`UPDATE calendar_connections SET next_sync_at = now() - interval '1 second'`);
    const round = await sync.runOnce();
    expect(round.synced).toBeGreaterThanOrEqual(1);
    expect(round.failed).toBeGreaterThanOrEqual(1);
    expect((await blocks(a.id)).map((x: { uid: string }) => x.uid)).toContain('late');
    const [bRow] = await t.ds.query(`SELECT last_error FROM calendar_connections WHERE supporter_id = $1`, [b.id]);
    expect(bRow.last_error).toBe('authentication_failed');
    // nothing is due any more until the interval has passed
    expect(await sync.runOnce()).toEqual({ synced: 0, failed: 0 });
  });

  it('no answer ever carries the credentials', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(calendarUrl);
      expect(text).not.toContain(`:${radicale.port}`);
    }
  });
});

describe('CalDAV guard and configuration', () => {
  let radicale: RadicaleServer;
  beforeAll(async () => {
    radicale = await startRadicale({ [USER]: PASSWORD });
  }, 300_000);
  afterAll(() => radicale?.stop());

  it('refuses 127.0.0.1 unless CALENDAR_ALLOWED_HOSTS lists it, and the refusal touches nothing', async () => {
    const url = await makeTestCalendar(radicale, USER);
    const t = await startTestApp({ CALENDAR_ENCRYPTION_KEY: KEY });
    try {
      const admin = (await t.signIn('admin')).token;
      const s = await makeSupporter(t, admin, { kind: 'counsellor' });
      for (const u of [
        url,
        url.replace('127.0.0.1', 'localhost'),
        `http://169.254.169.254/latest/`,
        `http://10.0.0.1/cal/`,
      ]) {
        const res = await t
          .http()
          .put(`/api/v1/supporters/${s.id}/calendar`)
          .set(auth(admin))
          .send({ url: u, username: USER, password: PASSWORD });
        expectProblem(res, 422, 'calendar_connection_failed');
        expect(res.body.reason).toBe('address_not_allowed');
        expect(res.text).not.toContain(PASSWORD);
      }
      expect(await t.ds.query(`SELECT 1 FROM calendar_connections`)).toHaveLength(0);
    } finally {
      await t.close();
    }
  });

  it('without CALENDAR_ENCRYPTION_KEY: 422 not_configured, saying so', async () => {
    const t = await startTestApp({ CALENDAR_ALLOWED_HOSTS: '127.0.0.1' });
    try {
      const admin = (await t.signIn('admin')).token;
      const s = await makeSupporter(t, admin, { kind: 'counsellor' });
      const res = await t
        .http()
        .put(`/api/v1/supporters/${s.id}/calendar`)
        .set(auth(admin))
        .send({ url: `${radicale.baseUrl}/${USER}/rota/`, username: USER, password: PASSWORD });
      expectProblem(res, 422, 'not_configured');
      expect(res.body.detail).toMatch(/not configured/);
      expectProblem(
        await t.http().post(`/api/v1/supporters/${s.id}/calendar/sync`).set(auth(admin)),
        422,
        'not_configured',
      );
      const status = await t.http().get(`/api/v1/supporters/${s.id}/calendar`).set(auth(admin));
      expect(status.body.connected).toBe(false);
      expect(t.app.get(CalendarSyncService).isRunning).toBe(false);
    } finally {
      await t.close();
    }
  });
});
