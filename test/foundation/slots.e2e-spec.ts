import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import {
  createSupporter,
  DAY,
  expectProblem,
  expectValidation,
  getSlots,
  HOUR,
  MINUTE,
  nextWeekday,
  setAvailability,
  Slot,
  wallToIso,
} from '../support/factories';

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

describe('GET /supporters/:id/slots', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const dayRange = (day: DateTime, days = 1) => ({
    from: day.toUTC().toISO()!,
    to: day.plus({ days }).toUTC().toISO()!,
  });

  it('answers {"slots":[{start,end}]} with UTC instants', async () => {
    const s = await createSupporter(t, admin);
    await setAvailability(t, admin, s.id, [{ weekday: 1, start: '09:00', end: '10:00' }]);
    const monday = nextWeekday('Europe/London', 1);
    const res = await getSlots(t, admin, s.id, dayRange(monday));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ slots: [{ start: wallToIso(monday, '09:00'), end: wallToIso(monday, '09:50') }] });
    expect(res.body.slots[0].start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  describe('the grid', () => {
    it('starts at the window start, then every duration + buffer (50 + 10) while the slot fits', async () => {
      const s = await createSupporter(t, admin);
      await setAvailability(t, admin, s.id, [{ weekday: 1, start: '09:00', end: '12:00' }]);
      const monday = nextWeekday('Europe/London', 1);
      const res = await getSlots(t, admin, s.id, dayRange(monday));
      expect(res.body.slots).toEqual([
        { start: wallToIso(monday, '09:00'), end: wallToIso(monday, '09:50') },
        { start: wallToIso(monday, '10:00'), end: wallToIso(monday, '10:50') },
        { start: wallToIso(monday, '11:00'), end: wallToIso(monday, '11:50') },
      ]);
    });

    it('a window that is not a whole number of steps keeps only the slots that fit', async () => {
      const s = await createSupporter(t, admin);
      await setAvailability(t, admin, s.id, [{ weekday: 2, start: '09:15', end: '11:05' }]);
      const tuesday = nextWeekday('Europe/London', 2);
      const res = await getSlots(t, admin, s.id, dayRange(tuesday));
      // 09:15-10:05, 10:15-11:05 (ends exactly at the window end); 11:15 would not fit
      expect(res.body.slots).toEqual([
        { start: wallToIso(tuesday, '09:15'), end: wallToIso(tuesday, '10:05') },
        { start: wallToIso(tuesday, '10:15'), end: wallToIso(tuesday, '11:05') },
      ]);
    });

    it('durationMinutes changes the grid: 30 + 10 buffer', async () => {
      const s = await createSupporter(t, admin);
      await setAvailability(t, admin, s.id, [{ weekday: 1, start: '09:00', end: '12:00' }]);
      const monday = nextWeekday('Europe/London', 1);
      const res = await getSlots(t, admin, s.id, { ...dayRange(monday), durationMinutes: 30 });
      expect(res.body.slots).toEqual(
        ['09:00', '09:40', '10:20', '11:00'].map((h) => ({
          start: wallToIso(monday, h),
          end: DateTime.fromISO(wallToIso(monday, h)).plus({ minutes: 30 }).toUTC().toISO(),
        })),
      );
    });

    it('a window shorter than the duration yields nothing', async () => {
      const s = await createSupporter(t, admin);
      await setAvailability(t, admin, s.id, [{ weekday: 3, start: '09:00', end: '09:45' }]);
      const wednesday = nextWeekday('Europe/London', 3);
      const res = await getSlots(t, admin, s.id, dayRange(wednesday));
      expect(res.body.slots).toEqual([]);
    });

    it('several windows and days come back in order', async () => {
      const s = await createSupporter(t, admin);
      await setAvailability(t, admin, s.id, [
        { weekday: 2, start: '14:00', end: '15:00' },
        { weekday: 1, start: '16:00', end: '17:00' },
        { weekday: 1, start: '09:00', end: '10:00' },
      ]);
      const monday = nextWeekday('Europe/London', 1);
      const res = await getSlots(t, admin, s.id, dayRange(monday, 2));
      expect(res.body.slots.map((x: Slot) => x.start)).toEqual([
        wallToIso(monday, '09:00'),
        wallToIso(monday, '16:00'),
        wallToIso(monday.plus({ days: 1 }), '14:00'),
      ]);
    });

    it('only slots that start at or after from and end at or before to', async () => {
      const s = await createSupporter(t, admin);
      await setAvailability(t, admin, s.id, [{ weekday: 1, start: '09:00', end: '13:00' }]);
      const monday = nextWeekday('Europe/London', 1);
      // from 09:30 (the 09:00 slot started before it), to 11:55 (the 11:00-11:50 slot ends before it, 12:00 does not fit)
      const res = await getSlots(t, admin, s.id, { from: wallToIso(monday, '09:30'), to: wallToIso(monday, '11:55') });
      expect(res.body.slots.map((x: Slot) => x.start)).toEqual([
        wallToIso(monday, '10:00'),
        wallToIso(monday, '11:00'),
      ]);
      // a slot ending exactly at `to` is included
      const exact = await getSlots(t, admin, s.id, {
        from: wallToIso(monday, '09:00'),
        to: wallToIso(monday, '10:50'),
      });
      expect(exact.body.slots.map((x: Slot) => x.start)).toEqual([
        wallToIso(monday, '09:00'),
        wallToIso(monday, '10:00'),
      ]);
    });
  });

  describe('counsellors in other zones (no sociable hours)', () => {
    it('America/New_York: a Monday 21:00-23:00 window is read on the New York clock', async () => {
      const s = await createSupporter(t, admin, { kind: 'counsellor', timeZone: 'America/New_York' });
      await setAvailability(t, admin, s.id, [{ weekday: 1, start: '21:00', end: '23:00' }]);
      const monday = nextWeekday('America/New_York', 1);
      const res = await getSlots(t, admin, s.id, dayRange(monday));
      const expected = ['21:00', '22:00'].map((h) => monday.set({ hour: Number(h.slice(0, 2)) }));
      expect(res.body.slots).toEqual(
        expected.map((d) => ({ start: d.toUTC().toISO(), end: d.plus({ minutes: 50 }).toUTC().toISO() })),
      );
      // 21:00 in New York is 01:00 or 02:00 UTC the next day, far outside London sociable hours: counselling runs 24/7
      const utcHour = DateTime.fromISO(res.body.slots[0].start, { zone: 'utc' }).hour;
      expect([1, 2]).toContain(utcHour);
    });

    it('Asia/Singapore: a Monday 02:00-04:00 window is Sunday 18:00-20:00 UTC', async () => {
      const s = await createSupporter(t, admin, { kind: 'counsellor', timeZone: 'Asia/Singapore' });
      await setAvailability(t, admin, s.id, [{ weekday: 1, start: '02:00', end: '04:00' }]);
      const monday = nextWeekday('Asia/Singapore', 1);
      const res = await getSlots(t, admin, s.id, dayRange(monday));
      const sundayUtc = monday.minus({ days: 1 }).toFormat('yyyy-MM-dd');
      expect(res.body.slots).toEqual([
        { start: `${sundayUtc}T18:00:00.000Z`, end: `${sundayUtc}T18:50:00.000Z` },
        { start: `${sundayUtc}T19:00:00.000Z`, end: `${sundayUtc}T19:50:00.000Z` },
      ]);
    });
  });

  describe('minimum notice and horizon', () => {
    let s: { id: string };
    beforeAll(async () => {
      s = await createSupporter(t, admin, { kind: 'counsellor', timeZone: 'Europe/London' });
      await setAvailability(t, admin, s.id, ALL_DAY);
    });

    it('no slot starts sooner than now + 120 minutes', async () => {
      const before = Date.now();
      const res = await getSlots(t, admin, s.id, {
        from: new Date(before).toISOString(),
        to: new Date(before + DAY).toISOString(),
      });
      const after = Date.now();
      expect(res.status).toBe(200);
      const starts = res.body.slots.map((x: Slot) => Date.parse(x.start));
      expect(starts.length).toBeGreaterThan(10);
      for (const start of starts) expect(start).toBeGreaterThanOrEqual(before + 120 * MINUTE);
      // and the first one is the first grid point (on the hour, window from 00:00) after the notice
      expect(starts[0]).toBeLessThan(after + 120 * MINUTE + HOUR);
    });

    it('with no from, slots start from now (after the notice)', async () => {
      const before = Date.now();
      const res = await getSlots(t, admin, s.id, {});
      expect(res.status).toBe(200);
      expect(res.body.slots.length).toBeGreaterThan(0);
      for (const x of res.body.slots as Slot[])
        expect(Date.parse(x.start)).toBeGreaterThanOrEqual(before + 120 * MINUTE);
    });

    it('a range wholly inside the notice yields nothing', async () => {
      const now = Date.now();
      const res = await getSlots(t, admin, s.id, {
        from: new Date(now).toISOString(),
        to: new Date(now + 90 * MINUTE).toISOString(),
      });
      expect(res.status).toBe(200);
      expect(res.body.slots).toEqual([]);
    });

    it('no slot ends later than now + bookingHorizonDays (92)', async () => {
      const before = Date.now();
      const res = await getSlots(t, admin, s.id, {
        from: new Date(before + 85 * DAY).toISOString(),
        to: new Date(before + 95 * DAY).toISOString(),
      });
      const after = Date.now();
      expect(res.status).toBe(200);
      const ends = res.body.slots.map((x: Slot) => Date.parse(x.end));
      expect(ends.length).toBeGreaterThan(100);
      for (const end of ends) expect(end).toBeLessThanOrEqual(after + 92 * DAY);
      // slots do run up to the horizon
      expect(Math.max(...ends)).toBeGreaterThan(before + 92 * DAY - 2 * HOUR);
    });

    it('a range wholly beyond the horizon yields nothing', async () => {
      const now = Date.now();
      const res = await getSlots(t, admin, s.id, {
        from: new Date(now + 93 * DAY).toISOString(),
        to: new Date(now + 100 * DAY).toISOString(),
      });
      expect(res.status).toBe(200);
      expect(res.body.slots).toEqual([]);
    });

    it('a range entirely in the past yields nothing', async () => {
      const now = Date.now();
      const res = await getSlots(t, admin, s.id, {
        from: new Date(now - 10 * DAY).toISOString(),
        to: new Date(now - 3 * DAY).toISOString(),
      });
      expect(res.status).toBe(200);
      expect(res.body.slots).toEqual([]);
    });
  });

  describe('query validation', () => {
    let s: { id: string };
    beforeAll(async () => {
      s = await createSupporter(t, admin);
    });

    it('to - from of exactly 92 days is fine; over 92 days is 400', async () => {
      const from = DateTime.utc().plus({ days: 1 }).startOf('hour');
      const ok = await getSlots(t, admin, s.id, { from: from.toISO(), to: from.plus({ days: 92 }).toISO() });
      expect(ok.status).toBe(200);
      const over = await getSlots(t, admin, s.id, {
        from: from.toISO(),
        to: from.plus({ days: 92, minutes: 1 }).toISO(),
      });
      expectValidation(over, ['to']);
      const far = await getSlots(t, admin, s.id, { from: from.toISO(), to: from.plus({ days: 200 }).toISO() });
      expectValidation(far, ['to']);
    });

    it('to before from is 400', async () => {
      const res = await getSlots(t, admin, s.id, { from: '2031-01-02T00:00:00Z', to: '2031-01-01T00:00:00Z' });
      expectValidation(res, ['to']);
    });

    it.each([
      ['from without an offset', { from: '2031-01-01T00:00:00' }, ['from']],
      ['from that is not a date', { from: 'tomorrow' }, ['from']],
      ['to that is not a date', { to: '2031-02-30T00:00:00Z' }, ['to']],
      ['durationMinutes that is not a number', { durationMinutes: 'fifty' }, ['durationMinutes']],
      ['durationMinutes of 0', { durationMinutes: 0 }, ['durationMinutes']],
      ['durationMinutes of 12.5', { durationMinutes: 12.5 }, ['durationMinutes']],
      ['an unknown query parameter', { limit: 5 }, ['limit']],
    ])('%s is 400', async (_label, query, fields) => {
      expectValidation(await getSlots(t, admin, s.id, query), fields);
    });

    it('an unknown supporter is 404', async () => {
      expectProblem(await getSlots(t, admin, randomUUID(), {}), 404, 'not_found');
    });
  });
});
