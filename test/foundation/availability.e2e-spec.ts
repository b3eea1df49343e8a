import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  createSupporter,
  expectProblem,
  expectValidation,
  getSlots,
  nextWeekday,
  setAvailability,
  Slot,
  wallToIso,
  WeeklyRule,
} from '../support/factories';

const availability = (id: string) => `/api/v1/supporters/${id}/availability`;

describe('PUT /supporters/:id/availability', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const put = (token: string, id: string, weekly: unknown) =>
    t.http().put(availability(id)).set(bearer(token)).send({ weekly });

  it('answers 200 with the stored rules', async () => {
    const s = await createSupporter(t, admin, { kind: 'peer' });
    const weekly = [
      { weekday: 7, start: '18:00', end: '20:00' },
      { weekday: 1, start: '09:00', end: '12:30' },
    ];
    const res = await put(admin, s.id, weekly);
    expect(res.status).toBe(200);
    expect(res.body.weekly).toHaveLength(2);
    expect(res.body.weekly).toEqual(expect.arrayContaining(weekly));
  });

  it('a supporter sets its own availability; another supporter is 403 and changes nothing', async () => {
    const own = await createSupporter(t, admin);
    const other = await createSupporter(t, admin);
    await setAvailability(t, admin, other.id, [{ weekday: 2, start: '10:00', end: '11:00' }]);
    const { token } = await t.signIn('supporter', own.id);
    const mine = await put(token, own.id, [{ weekday: 3, start: '13:00', end: '15:00' }]);
    expect(mine.status).toBe(200);
    expect(mine.body.weekly).toEqual([{ weekday: 3, start: '13:00', end: '15:00' }]);
    expectProblem(await put(token, other.id, []), 403, 'forbidden');
    const stored = await t.http().get(availability(other.id)).set(bearer(admin));
    expect(stored.body.weekly).toEqual([{ weekday: 2, start: '10:00', end: '11:00' }]);
  });

  it('replaces all: a second PUT replaces the first, in the response and in the slots', async () => {
    const s = await createSupporter(t, admin, { kind: 'counsellor', timeZone: 'Europe/London' });
    const monday = nextWeekday('Europe/London', 1);
    const tuesday = monday.plus({ days: 1 });
    await setAvailability(t, admin, s.id, [{ weekday: 1, start: '09:00', end: '10:00' }]);
    const range = { from: monday.toUTC().toISO()!, to: monday.plus({ days: 2 }).toUTC().toISO()! };
    const before = await getSlots(t, admin, s.id, range);
    expect(before.body.slots.map((x: Slot) => x.start)).toEqual([wallToIso(monday, '09:00')]);

    const second = [{ weekday: 2, start: '14:00', end: '15:00' }];
    const res = await put(admin, s.id, second);
    expect(res.status).toBe(200);
    expect(res.body.weekly).toEqual(second);
    const stored = await t.http().get(availability(s.id)).set(bearer(admin));
    expect(stored.body.weekly).toEqual(second);
    const after = await getSlots(t, admin, s.id, range);
    expect(after.body.slots.map((x: Slot) => x.start)).toEqual([wallToIso(tuesday, '14:00')]);
  });

  it('an empty list clears the availability', async () => {
    const s = await createSupporter(t, admin);
    await setAvailability(t, admin, s.id, [{ weekday: 4, start: '09:00', end: '17:00' }]);
    const res = await put(admin, s.id, []);
    expect(res.status).toBe(200);
    expect(res.body.weekly).toEqual([]);
    const slots = await getSlots(t, admin, s.id, {});
    expect(slots.status).toBe(200);
    expect(slots.body.slots).toEqual([]);
  });

  it('touching windows are not an overlap', async () => {
    const s = await createSupporter(t, admin);
    const weekly = [
      { weekday: 1, start: '09:00', end: '10:00' },
      { weekday: 1, start: '10:00', end: '11:00' },
    ];
    const res = await put(admin, s.id, weekly);
    expect(res.status).toBe(200);
    expect(res.body.weekly).toEqual(weekly);
  });

  it('a counsellor window may end at 24:00', async () => {
    const s = await createSupporter(t, admin, { kind: 'counsellor' });
    const res = await put(admin, s.id, [{ weekday: 5, start: '22:00', end: '24:00' }]);
    expect(res.status).toBe(200);
    expect(res.body.weekly).toEqual([{ weekday: 5, start: '22:00', end: '24:00' }]);
  });

  describe('validation (400)', () => {
    let s: { id: string };
    const KEEP: WeeklyRule[] = [{ weekday: 6, start: '09:00', end: '10:00' }];
    beforeAll(async () => {
      s = await createSupporter(t, admin, { kind: 'counsellor' });
      await setAvailability(t, admin, s.id, KEEP);
    });
    afterEach(async () => {
      // a refused PUT leaves the stored rules as they were
      const stored = await t.http().get(availability(s.id)).set(bearer(admin));
      expect(stored.body.weekly).toEqual(KEEP);
    });

    it('overlapping windows on one weekday are 400', async () => {
      const res = await put(admin, s.id, [
        { weekday: 2, start: '09:00', end: '11:00' },
        { weekday: 2, start: '10:30', end: '12:00' },
      ]);
      expectValidation(res, ['weekly[1].start']);
    });

    it('a window inside another is an overlap', async () => {
      const res = await put(admin, s.id, [
        { weekday: 2, start: '12:00', end: '13:00' },
        { weekday: 2, start: '09:00', end: '17:00' },
      ]);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toHaveLength(1);
    });

    it.each([
      ['end before start', { weekday: 3, start: '12:00', end: '11:00' }, 'weekly[0].end'],
      ['end equal to start', { weekday: 3, start: '12:00', end: '12:00' }, 'weekly[0].end'],
      ['weekday 8', { weekday: 8, start: '09:00', end: '10:00' }, 'weekly[0].weekday'],
      ['weekday 0', { weekday: 0, start: '09:00', end: '10:00' }, 'weekly[0].weekday'],
      ['weekday 1.5', { weekday: 1.5, start: '09:00', end: '10:00' }, 'weekly[0].weekday'],
      ['start "9:00"', { weekday: 3, start: '9:00', end: '10:00' }, 'weekly[0].start'],
      ['start "25:00"', { weekday: 3, start: '25:00', end: '26:00' }, 'weekly[0].start'],
      ['start "18:60"', { weekday: 3, start: '18:60', end: '19:30' }, 'weekly[0].start'],
      ['start "24:00"', { weekday: 3, start: '24:00', end: '24:00' }, 'weekly[0].start'],
      ['start "6pm"', { weekday: 3, start: '6pm', end: '20:00' }, 'weekly[0].start'],
      ['start "18:00:00"', { weekday: 3, start: '18:00:00', end: '20:00' }, 'weekly[0].start'],
      ['end "20"', { weekday: 3, start: '18:00', end: '20' }, 'weekly[0].end'],
      ['weekday as a string', { weekday: '3', start: '09:00', end: '10:00' }, 'weekly[0].weekday'],
      ['start as a number', { weekday: 3, start: 900, end: '10:00' }, 'weekly[0].start'],
      ['end missing', { weekday: 3, start: '09:00' }, 'weekly[0].end'],
    ])('%s is 400 naming the field', async (_label, rule, field) => {
      const res = await put(admin, s.id, [rule]);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(res.body.errors.filter((e: { field: string }) => e.field === field)).toHaveLength(1);
    });

    it('one entry per bad field across several rules', async () => {
      const res = await put(admin, s.id, [
        { weekday: 8, start: '09:00', end: '10:00' },
        { weekday: 2, start: '9am', end: '10:00' },
        { weekday: 3, start: '11:00', end: '10:00' },
      ]);
      expectValidation(res, ['weekly[0].weekday', 'weekly[1].start', 'weekly[2].end']);
    });

    it('a missing weekly list is 400', async () => {
      const res = await t.http().put(availability(s.id)).set(bearer(admin)).send({});
      expectValidation(res, ['weekly']);
    });

    it('unknown fields, at the top or in a rule, are rejected', async () => {
      const top = await t.http().put(availability(s.id)).set(bearer(admin)).send({ weekly: [], timeZone: 'UTC' });
      expectValidation(top, ['timeZone']);
      const inner = await put(admin, s.id, [{ weekday: 2, start: '09:00', end: '10:00', note: 'x' }]);
      expectValidation(inner, ['weekly[0].note']);
    });
  });

  describe('sociable hours for peers (default 08:00-20:00, every day)', () => {
    let peer: { id: string };
    beforeAll(async () => {
      peer = await createSupporter(t, admin, { kind: 'peer', timeZone: 'Europe/London' });
    });

    it.each([
      ['21:00', '22:00'],
      ['22:00', '23:00'],
      ['07:59', '09:00'],
      ['07:00', '08:00'],
      ['19:00', '20:01'],
      ['18:00', '24:00'],
      ['00:00', '01:00'],
    ])('a peer window %s-%s is 422 outside_sociable_hours', async (start, end) => {
      const res = await put(admin, peer.id, [{ weekday: 3, start, end }]);
      expectProblem(res, 422, 'outside_sociable_hours');
    });

    it.each([
      ['18:00', '20:00'],
      ['08:00', '20:00'],
      ['08:00', '09:00'],
      ['19:10', '20:00'],
    ])('a peer window %s-%s is accepted (ending exactly at 20:00 is inside)', async (start, end) => {
      const res = await put(admin, peer.id, [{ weekday: 7, start, end }]);
      expect(res.status).toBe(200);
      expect(res.body.weekly).toEqual([{ weekday: 7, start, end }]);
    });

    it('one window outside refuses the whole PUT and keeps the previous rules', async () => {
      await setAvailability(t, admin, peer.id, [{ weekday: 2, start: '10:00', end: '12:00' }]);
      const res = await put(admin, peer.id, [
        { weekday: 1, start: '18:00', end: '20:00' },
        { weekday: 1, start: '21:00', end: '22:00' },
      ]);
      expectProblem(res, 422, 'outside_sociable_hours');
      const stored = await t.http().get(availability(peer.id)).set(bearer(admin));
      expect(stored.body.weekly).toEqual([{ weekday: 2, start: '10:00', end: '12:00' }]);
    });

    it('a peer in another zone is judged on its own wall clock', async () => {
      const ny = await createSupporter(t, admin, { kind: 'peer', timeZone: 'America/New_York' });
      expect((await put(admin, ny.id, [{ weekday: 1, start: '18:00', end: '20:00' }])).status).toBe(200);
      expectProblem(
        await put(admin, ny.id, [{ weekday: 1, start: '21:00', end: '22:00' }]),
        422,
        'outside_sociable_hours',
      );
    });

    it('counselling runs 24/7: a counsellor may take 21:00-23:00 and 00:00-06:00', async () => {
      const c = await createSupporter(t, admin, { kind: 'counsellor' });
      const weekly = [
        { weekday: 3, start: '00:00', end: '06:00' },
        { weekday: 3, start: '21:00', end: '23:00' },
      ];
      const res = await put(admin, c.id, weekly);
      expect(res.status).toBe(200);
      expect(res.body.weekly).toEqual(weekly);
    });

    it('turning a counsellor with late windows into a peer is 422 outside_sociable_hours and changes nothing', async () => {
      const c = await createSupporter(t, admin, { kind: 'counsellor' });
      await setAvailability(t, admin, c.id, [{ weekday: 2, start: '21:00', end: '22:00' }]);
      const res = await t.http().patch(`/api/v1/supporters/${c.id}`).set(bearer(admin)).send({ kind: 'peer' });
      expectProblem(res, 422, 'outside_sociable_hours');
      const read = await t.http().get(`/api/v1/supporters/${c.id}`).set(bearer(admin));
      expect(read.body.kind).toBe('counsellor');
    });

    it('a supporter setting its own peer window gets the same 422', async () => {
      const own = await createSupporter(t, admin, { kind: 'peer' });
      const { token } = await t.signIn('supporter', own.id);
      expectProblem(
        await put(token, own.id, [{ weekday: 5, start: '22:00', end: '23:00' }]),
        422,
        'outside_sociable_hours',
      );
    });
  });

  it('an unknown supporter is 404', async () => {
    expectProblem(await put(admin, randomUUID(), [{ weekday: 1, start: '09:00', end: '10:00' }]), 404, 'not_found');
  });
});
