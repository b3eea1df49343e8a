/**
 * Busy time read from a supporter's calendar counts like time off for slots,
 * matching and booking: an event put into a real Radicale removes that time
 * after one sync.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { auth, expectProblem, LONDON, makeIntake, makeSupporter, postBooking } from '../support/booking-factories';
import { matches } from '../support/intake-factories';
import { makeTestCalendar, putEvent, RadicaleServer, startRadicale, vevent } from '../support/radicale';
import { startTestApp, TestApp } from '../support/test-app';

const USER = 'drbusy';
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

describe('busy time from the calendar counts for slots, matching and booking', () => {
  let radicale: RadicaleServer;
  let t: TestApp;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    radicale = await startRadicale({ [USER]: PASSWORD });
    t = await startTestApp({
      CALENDAR_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CALENDAR_ALLOWED_HOSTS: '127.0.0.1',
    });
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await radicale?.stop();
  });

  async function slotsOn(supporterId: string, day: DateTime): Promise<string[]> {
    const res = await t
      .http()
      .get(`/api/v1/supporters/${supporterId}/slots`)
      .set(auth(admin))
      .query({ from: day.toUTC().toISO()!, to: day.plus({ days: 1 }).toUTC().toISO()!, durationMinutes: 50 });
    expect(res.status).toBe(200);
    return (res.body.slots as { start: string }[]).map((s) => s.start);
  }

  it('an event removes its time from slots and from matches after one sync; booking into it is refused', async () => {
    // a counsellor available only on one weekday, 10:00–12:00 London time
    let day = DateTime.now().setZone(LONDON).startOf('day').plus({ days: 3 });
    const weekday = day.weekday;
    const s = await makeSupporter(t, admin, { kind: 'counsellor', displayName: 'Dr Busy Calendar' }, [
      { weekday, start: '10:00', end: '12:00' },
    ]);
    const calendarUrl = await makeTestCalendar(radicale, USER, `rota-${randomBytes(3).toString('hex')}`);
    const connected = await t
      .http()
      .put(`/api/v1/supporters/${s.id}/calendar`)
      .set(auth(admin))
      .send({ url: calendarUrl, username: USER, password: PASSWORD });
    expect(connected.status).toBe(200);

    const at = (h: number, m = 0) => day.set({ hour: h, minute: m }).toUTC().toISO()!;
    expect(await slotsOn(s.id, day)).toEqual([at(10), at(11)]);
    const i = await makeIntake(t, intake, { service: 'counselling' });
    const before = await matches(t, intake, i.id);
    const candidate = before.candidates.find((c) => c.supporterId === s.id);
    expect(candidate?.nextSlots[0]?.start).toBe(at(10));

    // on call 09:30–10:30 that day: the 10:00 slot goes, 11:00 stays
    await putEvent(radicale, USER, calendarUrl, 'oncall', vevent({ uid: 'oncall', start: at(9, 30), end: at(10, 30) }));
    expect(await slotsOn(s.id, day)).toEqual([at(10), at(11)]); // nothing read yet
    expect((await t.http().post(`/api/v1/supporters/${s.id}/calendar/sync`).set(auth(admin))).body.busyBlocks).toBe(1);
    expect(await slotsOn(s.id, day)).toEqual([at(11)]);
    // the supporter's week draws the block itself: times only
    const busy = await t
      .http()
      .get(`/api/v1/supporters/${s.id}/calendar/busy`)
      .set(auth(admin))
      .query({ from: day.toUTC().toISO()!, to: day.plus({ days: 1 }).toUTC().toISO()! });
    expect(busy.status).toBe(200);
    expect(busy.body).toMatchObject({ connected: true, busy: [{ start: at(9, 30), end: at(10, 30) }], stale: false });
    expect(Object.keys(busy.body.busy[0] as object).sort()).toEqual(['end', 'start']);
    const nextDay = await t
      .http()
      .get(`/api/v1/supporters/${s.id}/calendar/busy`)
      .set(auth(admin))
      .query({ from: at(10, 30), to: day.plus({ days: 1 }).toUTC().toISO()! });
    expect(nextDay.body.busy).toEqual([]); // ends exactly where the range starts: not in it
    const after = await matches(t, intake, i.id);
    expect(after.candidates.find((c) => c.supporterId === s.id)?.nextSlots[0]?.start).toBe(at(11));
    const refused = await postBooking(t, intake, { intakeId: i.id, supporterId: s.id, start: at(10) });
    expectProblem(refused, 422, 'outside_availability');

    // a weekly rota over every window of the horizon: no availability at all
    await putEvent(
      radicale,
      USER,
      calendarUrl,
      'rota',
      vevent({ uid: 'rota', start: at(9), end: at(13), rrule: 'FREQ=WEEKLY' }),
    );
    await t.http().post(`/api/v1/supporters/${s.id}/calendar/sync`).set(auth(admin));
    expect(await slotsOn(s.id, day)).toEqual([]);
    day = day.plus({ weeks: 4 });
    expect(await slotsOn(s.id, day)).toEqual([]);
    const none = await matches(t, intake, i.id);
    expect(none.candidates.find((c) => c.supporterId === s.id)).toBeUndefined();
    expect(none.excluded.find((e) => e.supporterId === s.id)?.reasons.map((r) => r.code)).toContain('no_availability');

    // disconnecting gives the time back
    expect((await t.http().delete(`/api/v1/supporters/${s.id}/calendar`).set(auth(admin))).status).toBe(204);
    expect(await slotsOn(s.id, day)).toEqual([
      day.set({ hour: 10 }).toUTC().toISO()!,
      day.set({ hour: 11 }).toUTC().toISO()!,
    ]);
  });

  it('the busy-time list: empty without a calendar, a bad range is 400, another supporter is 403', async () => {
    const s = await makeSupporter(t, admin, { kind: 'peer', displayName: 'Dr No Calendar' }, []);
    const url = `/api/v1/supporters/${s.id}/calendar/busy`;
    const none = await t.http().get(url).set(auth(admin));
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ connected: false, busy: [], lastSyncAt: null, stale: false });
    const backwards = await t
      .http()
      .get(url)
      .set(auth(admin))
      .query({ from: '2027-03-22T00:00:00Z', to: '2027-03-21T00:00:00Z' });
    expectProblem(backwards, 400, 'validation_failed');
    const tooLong = await t
      .http()
      .get(url)
      .set(auth(admin))
      .query({ from: '2027-01-01T00:00:00Z', to: '2027-06-01T00:00:00Z' });
    expectProblem(tooLong, 400, 'validation_failed');
    expectProblem(await t.http().get(url).set(auth(admin)).query({ from: 'monday' }), 400, 'validation_failed');
    const s2 = await makeSupporter(t, admin, { kind: 'peer', displayName: 'Dr Other' }, []);
    const other = await t.signIn('supporter', s2.id);
    expect((await t.http().get(`/api/v1/supporters/${s2.id}/calendar/busy`).set(auth(other.token))).status).toBe(200);
    expect((await t.http().get(url).set(auth(other.token))).status).toBe(403);
    expect((await t.http().get(url).set(auth(intake))).status).toBe(403);
  });
});
