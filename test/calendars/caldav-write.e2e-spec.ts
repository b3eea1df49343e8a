/**
 * Bookings written into the supporter's connected calendar, against a real Radicale: a booking appears (one event,
 * stable UID, no caller data), a reschedule updates it in place, a cancel removes it, the next sync does not read it
 * back as busy time, and a write that failed while the server was down is retried once it is back.
 */
import { randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { createObject, fetchCalendarObjects, getBasicAuthHeaders, updateObject } from 'tsdav';
import { APP_CONFIG, AppConfig } from '@app/common';
import { CalDavClient, calendarEventUid, CalendarWriterService, CalendarWritesRepository } from '@app/calendars';
import { action, auth, book, dramaPhone, london, makeIntake, makeSupporter, utc } from '../support/booking-factories';
import { makeTestCalendar, RadicaleServer, startRadicale } from '../support/radicale';
import { startTestApp, TestApp } from '../support/test-app';

const PASSWORD = `app-pw-${randomBytes(6).toString('hex')}`;
const USER = 'drwrite';
const KEY = randomBytes(32).toString('base64');

interface Held {
  uid: string;
  start: string;
  end: string;
  text: string;
  href: string;
}

describe('Bookings written into the CalDAV calendar (real Radicale)', () => {
  let radicale: RadicaleServer;
  let t: TestApp;
  let admin: string;
  let intake: string;
  let calendarUrl: string;
  let writer: CalendarWriterService;

  beforeAll(async () => {
    radicale = await startRadicale({ [USER]: PASSWORD });
    calendarUrl = await makeTestCalendar(radicale, USER, 'rota');
    t = await startTestApp({
      CALENDAR_ENCRYPTION_KEY: KEY,
      CALENDAR_ALLOWED_HOSTS: '127.0.0.1',
      VIDEO_ROOM_BASE_URL: 'https://meet.example.org/support',
    });
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
    writer = t.app.get(CalendarWriterService);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await radicale?.stop();
  });

  /** What Radicale holds, read with tsdav and parsed with ical.js. */
  const held = async (): Promise<Held[]> => {
    const objects = await fetchCalendarObjects({
      calendar: { url: calendarUrl },
      headers: getBasicAuthHeaders({ username: USER, password: PASSWORD }),
    });
    return objects.map((o) => {
      const text = String(o.data);
      const ev = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
      const e = new ICAL.Event(ev);
      return {
        uid: e.uid,
        start: e.startDate.toJSDate().toISOString(),
        end: e.endDate.toJSDate().toISOString(),
        text,
        href: o.url,
      };
    });
  };
  const status = async (supporterId: string) => {
    const res = await t.http().get(`/api/v1/supporters/${supporterId}/calendar`).set(auth(admin));
    expect(res.status).toBe(200);
    return res.body;
  };
  const row = async (bookingId: string) =>
    (
      await t.ds.query(`SELECT href, etag, due_at, attempts, last_error FROM calendar_writes WHERE booking_id = $1`, [
        bookingId,
      ])
    )[0];

  /** The retry time comes now (instead of waiting for it). */
  const dueNow = (bookingId: string) =>
    t.ds.query(`UPDATE calendar_writes SET due_at = now() WHERE booking_id = $1 AND due_at IS NOT NULL`, [bookingId]);

  it('writes a booking, updates it on reschedule, never reads it back as busy time, retries after an outage, deletes it on cancel', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor', modalities: ['phone', 'video'] });
    const connected = await t
      .http()
      .put(`/api/v1/supporters/${s.id}/calendar`)
      .set(auth(admin))
      .send({ url: calendarUrl, username: USER, password: PASSWORD });
    expect(connected.status).toBe(200);
    expect(connected.body.writes).toEqual({ pending: 0, failing: 0, lastError: null });

    const caller = { name: 'Dr Writecaller Uniquename', phone: dramaPhone(), email: 'write.caller@example.org' };
    const i = await makeIntake(t, intake, { caller });
    const start = london(5, '10:00');
    const b = await book(t, intake, i.id, s.id, start, { modality: 'video' });
    // due in the booking's own transaction, before any worker ran
    expect((await row(b.id)).due_at).not.toBeNull();
    expect((await status(s.id)).writes.pending).toBe(1);

    expect(await writer.runOnce()).toEqual({ written: 1, failed: 0 });
    let events = await held();
    expect(events).toHaveLength(1);
    const uid = calendarEventUid(b.id, s.id);
    expect(events[0]).toMatchObject({ uid, start: b.start, end: b.end });
    expect(events[0].text).toContain(b.reference);
    expect(events[0].text).toMatch(/LOCATION:https:\/\/meet\.example\.org\/support\//);
    for (const secret of [caller.name, 'Uniquename', caller.phone, caller.email])
      expect(events[0].text).not.toContain(secret);
    const first = await row(b.id);
    expect(first).toMatchObject({ due_at: null, attempts: 0, last_error: null });
    expect(first.href).toBe(events[0].href);
    expect(first.etag).toBeTruthy();
    expect(await writer.runOnce()).toEqual({ written: 0, failed: 0 });

    // the next sync does not import our own event as busy time
    const synced = await t.http().post(`/api/v1/supporters/${s.id}/calendar/sync`).set(auth(admin));
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ lastError: null, busyBlocks: 0 });

    // reschedule: the same object, same UID, the new time (written with If-Match: the stored ETag)
    const later = london(6, '11:00');
    expect((await action(t, intake, b.id, 'reschedule', { start: later.toISO() })).status).toBe(200);
    expect(await writer.runOnce()).toEqual({ written: 1, failed: 0 });
    events = await held();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ uid, start: utc(later), href: first.href });
    const second = await row(b.id);
    expect(second.etag).toBeTruthy();
    expect(second.etag).not.toBe(first.etag);

    // the server is down: the write fails, is kept and shown, and succeeds once the server is back
    await radicale.halt();
    const third = london(7, '12:00');
    expect((await action(t, intake, b.id, 'reschedule', { start: third.toISO() })).status).toBe(200);
    expect(await writer.runOnce()).toEqual({ written: 0, failed: 1 });
    const failed = await row(b.id);
    expect(failed.last_error).toBe('unreachable');
    expect(failed.due_at.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect((await status(s.id)).writes).toEqual({
      pending: 1,
      failing: 1,
      lastError: { code: 'unreachable', text: 'The calendar server could not be reached.' },
    });
    // not due yet: a round does not hammer the server
    expect(await writer.runOnce()).toEqual({ written: 0, failed: 0 });
    await radicale.resume();
    await dueNow(b.id);
    expect(await writer.runOnce()).toEqual({ written: 1, failed: 0 });
    events = await held();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ uid, start: utc(third) });
    expect((await status(s.id)).writes).toEqual({ pending: 0, failing: 0, lastError: null });

    // cancel: the event goes
    expect((await action(t, intake, b.id, 'cancel', { reason: 'Caller asked' })).status).toBe(200);
    expect(await writer.runOnce()).toEqual({ written: 1, failed: 0 });
    expect(await held()).toEqual([]);
    expect(await row(b.id)).toMatchObject({ href: null, etag: null, due_at: null });
  }, 120_000);

  it('a reassignment moves the event to the new supporter’s calendar; a supporter without a calendar gets nothing', async () => {
    const a = await makeSupporter(t, admin, { kind: 'counsellor' });
    const other = await makeSupporter(t, admin, { kind: 'counsellor' });
    const put = await t
      .http()
      .put(`/api/v1/supporters/${a.id}/calendar`)
      .set(auth(admin))
      .send({ url: calendarUrl, username: USER, password: PASSWORD });
    expect(put.status).toBe(200);
    const i = await makeIntake(t, intake);
    const b = await book(t, intake, i.id, a.id, london(8, '10:00'));
    expect(await writer.runOnce()).toEqual({ written: 1, failed: 0 });
    expect((await held()).map((e) => e.uid)).toEqual([calendarEventUid(b.id, a.id)]);

    const moved = await t
      .http()
      .post(`/api/v1/bookings/${b.id}/reassign`)
      .set(auth(admin))
      .send({ supporterId: other.id, reason: 'Cover' });
    expect(moved.status).toBe(200);
    // one row per supporter: the old one's event is deleted, the new one (not connected) has nothing written
    expect(await writer.runOnce()).toEqual({ written: 2, failed: 0 });
    expect(await held()).toEqual([]);
    const rows = await t.ds.query(
      `SELECT supporter_id, href, due_at FROM calendar_writes WHERE booking_id = $1 ORDER BY supporter_id = $2`,
      [b.id, a.id],
    );
    expect(rows).toEqual([
      { supporter_id: other.id, href: null, due_at: null },
      { supporter_id: a.id, href: null, due_at: null },
    ]);
  }, 120_000);

  it('never writes over a change made in the calendar unseen: 412 is a conflict, then the booking is written over it', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const put = await t
      .http()
      .put(`/api/v1/supporters/${s.id}/calendar`)
      .set(auth(admin))
      .send({ url: calendarUrl, username: USER, password: PASSWORD });
    expect(put.status).toBe(200);
    const headers = {
      ...getBasicAuthHeaders({ username: USER, password: PASSWORD }),
      'Content-Type': 'text/calendar; charset=utf-8',
    };
    const i = await makeIntake(t, intake);
    const b = await book(t, intake, i.id, s.id, london(9, '10:00'));
    const uid = calendarEventUid(b.id, s.id);
    const href = `${calendarUrl}${encodeURIComponent(uid)}.ics`;
    const theirs = (start: string) =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//someone//EN',
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'DTSTAMP:20260101T000000Z',
        `DTSTART:${start}`,
        'DURATION:PT1H',
        'SUMMARY:edited by hand',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
    // something is already at the address a create would use: If-None-Match: * refuses to overwrite it
    expect((await createObject({ url: href, data: theirs('20300101T090000Z'), headers })).status).toBe(201);
    expect(await writer.runOnce()).toEqual({ written: 0, failed: 1 });
    expect((await row(b.id)).last_error).toBe('write_conflict');
    expect((await status(s.id)).writes.lastError.code).toBe('write_conflict');
    expect((await held()).find((e) => e.uid === uid)?.start).toBe('2030-01-01T09:00:00.000Z');
    // tried again in the next round, without a precondition: the booking is what counts
    expect(await writer.runOnce()).toEqual({ written: 0, failed: 0 });
    await dueNow(b.id);
    expect(await writer.runOnce()).toEqual({ written: 1, failed: 0 });
    expect((await held()).find((e) => e.uid === uid)?.start).toBe(b.start);

    // edited in the calendar after our write: the stored ETag no longer matches, If-Match refuses
    expect((await updateObject({ url: href, data: theirs('20300202T090000Z'), headers })).status).toBeLessThan(300);
    const later = london(10, '11:00');
    expect((await action(t, intake, b.id, 'reschedule', { start: later.toISO() })).status).toBe(200);
    expect(await writer.runOnce()).toEqual({ written: 0, failed: 1 });
    expect((await held()).find((e) => e.uid === uid)?.start).toBe('2030-02-02T09:00:00.000Z');
    await dueNow(b.id);
    expect(await writer.runOnce()).toEqual({ written: 1, failed: 0 });
    expect((await held()).find((e) => e.uid === uid)?.start).toBe(utc(later));
    expect(await row(b.id)).toMatchObject({ due_at: null, last_error: null });
    expect((await action(t, intake, b.id, 'cancel', { reason: 'Caller asked' })).status).toBe(200);
    expect(await writer.runOnce()).toEqual({ written: 1, failed: 0 });
    expect((await held()).find((e) => e.uid === uid)).toBeUndefined();
  }, 120_000);

  it('a new booking waits out the confirmation grace period: an undone booking never reaches the calendar', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor' });
    const put = await t
      .http()
      .put(`/api/v1/supporters/${s.id}/calendar`)
      .set(auth(admin))
      .send({ url: calendarUrl, username: USER, password: PASSWORD });
    expect(put.status).toBe(200);
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const patient = new CalendarWriterService(t.app.get(CalendarWritesRepository), t.app.get(CalDavClient), {
      ...config,
      confirmationGraceSeconds: 60,
    });
    const i = await makeIntake(t, intake);
    const b = await book(t, intake, i.id, s.id, london(11, '10:00'));
    const uid = calendarEventUid(b.id, s.id);
    expect(await patient.runOnce()).toEqual({ written: 0, failed: 0 });
    expect((await row(b.id)).due_at).not.toBeNull();
    // cancelled inside the grace period (as an undo does): nothing was written, nothing is left to write
    expect((await action(t, intake, b.id, 'cancel', { reason: 'Booked by mistake' })).status).toBe(200);
    expect(await patient.runOnce()).toEqual({ written: 1, failed: 0 });
    expect(await row(b.id)).toMatchObject({ href: null, due_at: null });
    expect((await held()).find((e) => e.uid === uid)).toBeUndefined();
    // once the grace period is over, the booking is written
    const b2 = await book(t, intake, i.id, s.id, london(12, '10:00'));
    expect(await patient.runOnce()).toEqual({ written: 0, failed: 0 });
    await t.ds.query(`UPDATE bookings SET created_at = now() - interval '61 seconds' WHERE id = $1`, [b2.id]);
    expect(await patient.runOnce()).toEqual({ written: 1, failed: 0 });
    expect((await held()).map((e) => e.uid)).toContain(calendarEventUid(b2.id, s.id));
  }, 120_000);
});
