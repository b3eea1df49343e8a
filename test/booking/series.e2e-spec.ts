import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import {
  addTimeOff,
  book,
  countRows,
  dramaPhone,
  expectProblem,
  expectValidation,
  getIntake,
  london,
  LONDON,
  makeIntake,
  makeSupporter,
  nextDstChange,
  postSeries,
  putPolicies,
  seriesAround,
} from '../support/booking-factories';

interface Occurrence {
  index: number;
  start: string;
  code: string;
}

describe('POST /bookings/series', () => {
  let t: TestApp;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
    // the next DST changes can be up to a year away
    await putPolicies(t, admin, { bookingHorizonDays: 366 });
  });
  afterAll(async () => {
    await t.close();
  });

  describe.each([
    ['spring', 'last Sunday of March'],
    ['autumn', 'last Sunday of October'],
  ] as const)('across the next %s change (%s)', (which: 'spring' | 'autumn', _when: string) => {
    const change = nextDstChange(which);
    const { first, before } = seriesAround(change, '18:00', 6);
    const starts = Array.from({ length: 6 }, (_, k) => first.plus({ weeks: k }));

    it('6 weekly sessions keep 18:00 London; the UTC hour shifts by one at the change', async () => {
      const s = await makeSupporter(t, admin, { kind: 'peer' });
      const i = await makeIntake(t, intake, { service: 'peer_support' });
      const res = await postSeries(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: first.toISO(),
        count: 6,
        intervalWeeks: 1,
      });
      expect(res.status).toBe(201);
      const bookings = res.body.bookings as {
        id: string;
        start: string;
        end: string;
        status: string;
        reference: string;
      }[];
      expect(bookings).toHaveLength(6);
      const utcHours = bookings.map((b) => DateTime.fromISO(b.start, { zone: 'utc' }).hour);
      bookings.forEach((b, k) => {
        const local = DateTime.fromISO(b.start).setZone(LONDON);
        expect(local.toFormat('HH:mm')).toBe('18:00');
        expect(local.toISODate()).toBe(starts[k].toISODate());
        expect(b.status).toBe('confirmed');
        expect(Date.parse(b.end) - Date.parse(b.start)).toBe(50 * 60_000);
      });
      // GMT is UTC+0, BST UTC+1
      const [gmt, bst] = [18, 17];
      const expected = bookings.map((_, k) => (which === 'spring' ? (k < before ? gmt : bst) : k < before ? bst : gmt));
      expect(utcHours).toEqual(expected);
      expect(new Set(utcHours).size).toBe(2);
      expect(new Set(bookings.map((b) => b.reference)).size).toBe(6);
      expect(await countRows(t, 'intake_id = $1 AND status = $2', [i.id, 'confirmed'])).toBe(6);
    });

    it("all or nothing: one occurrence taken by the supporter's other caller → 409 slot_taken naming it; nothing booked", async () => {
      const s = await makeSupporter(t, admin, { kind: 'peer' });
      const other = await makeIntake(t, intake, { service: 'peer_support' });
      const i = await makeIntake(t, intake, { service: 'peer_support' });
      expect(other.callerId).not.toBe(i.callerId);
      const taken = before; // the first occurrence after the change
      await book(t, intake, other.id, s.id, starts[taken]);
      const res = await postSeries(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: first.toISO(),
        count: 6,
        intervalWeeks: 1,
      });
      expectProblem(res, 409, 'slot_taken');
      expect(res.body.occurrences).toEqual([
        { index: taken, start: starts[taken].toUTC().toISO(), code: 'slot_taken' },
      ]);
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
      expect(await countRows(t, 'supporter_id = $1', [s.id])).toBe(1);
      const intakeAfter = await t
        .http()
        .get(`/api/v1/intakes/${i.id}`)
        .set({ Authorization: `Bearer ${intake}` });
      expect(intakeAfter.body.status).toBe('open');
    });

    it('all or nothing: one occurrence in time off → 422 naming that index; nothing booked', async () => {
      const s = await makeSupporter(t, admin, { kind: 'peer' });
      const i = await makeIntake(t, intake, { service: 'peer_support' });
      const off = 4;
      await addTimeOff(t, admin, s.id, starts[off].startOf('day'), starts[off].plus({ days: 1 }).startOf('day'));
      const res = await postSeries(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: first.toISO(),
        count: 6,
        intervalWeeks: 1,
      });
      expectProblem(res, 422, 'outside_availability');
      expect(res.body.occurrences).toEqual([
        { index: off, start: starts[off].toUTC().toISO(), code: 'outside_availability' },
      ]);
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
      expect(await countRows(t, 'supporter_id = $1', [s.id])).toBe(0);
    });

    it('a conflict and a time off together: 409, both occurrences listed; nothing booked', async () => {
      const s = await makeSupporter(t, admin, { kind: 'peer' });
      const other = await makeIntake(t, intake, { service: 'peer_support' });
      const i = await makeIntake(t, intake, { service: 'peer_support' });
      await book(t, intake, other.id, s.id, starts[1]);
      await addTimeOff(t, admin, s.id, starts[5].minus({ hours: 1 }), starts[5].plus({ hours: 2 }));
      const res = await postSeries(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: first.toISO(),
        count: 6,
        intervalWeeks: 1,
      });
      expectProblem(res, 409, 'slot_taken');
      const occ = (res.body.occurrences as Occurrence[]).sort((a, b) => a.index - b.index);
      expect(occ).toEqual([
        { index: 1, start: starts[1].toUTC().toISO(), code: 'slot_taken' },
        { index: 5, start: starts[5].toUTC().toISO(), code: 'outside_availability' },
      ]);
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
    });
  });

  it("a series that loses a race for the caller's time (a booking committed after its checks) names the occurrence: 409 caller_busy; nothing booked", async () => {
    const s = await makeSupporter(t, admin);
    const elsewhere = await makeSupporter(t, admin);
    const phone = dramaPhone();
    const i = await makeIntake(t, intake, { caller: { phone } });
    const other = await makeIntake(t, intake, { caller: { phone } });
    expect(other.callerId).toBe(i.callerId);
    const first = london(3, '12:00');
    const lost = 2;
    // The rival booking is inserted but not committed: the series' checks cannot see it, its insert has to wait for it.
    const rival = t.ds.createQueryRunner();
    await rival.connect();
    try {
      await rival.startTransaction();
      const start = first.plus({ weeks: lost }).toJSDate();
      await rival.query(
        `INSERT INTO bookings (reference, intake_id, supporter_id, caller_id, starts_at, ends_at, blocked_until, modality, status)
         VALUES ('PS-RACE-22', $1, $2, $3, $4, $5, $5, 'phone', 'confirmed')`,
        [other.id, elsewhere.id, other.callerId, start, new Date(start.getTime() + 50 * 60_000)],
      );
      const pending = postSeries(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: first.toISO(),
        count: 4,
        intervalWeeks: 1,
      }).then((r) => r);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [{ n }] = await t.ds.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (n > 0) break;
        if (Date.now() > deadline) throw new Error('the series never waited for the rival booking');
        await new Promise((r) => setTimeout(r, 20));
      }
      await rival.commitTransaction();
      const res = await pending;
      expectProblem(res, 409, 'caller_busy');
      expect(res.body.occurrences).toEqual([
        { index: lost, start: first.plus({ weeks: lost }).toUTC().toISO(), code: 'caller_busy' },
      ]);
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
      expect((await getIntake(t, intake, i.id)).status).toBe('open');
    } finally {
      if (rival.isTransactionActive) await rival.rollbackTransaction();
      await rival.release();
    }
  });

  it('intervalWeeks 2 keeps the wall-clock time of a counsellor in New York', async () => {
    const s = await makeSupporter(t, admin, { kind: 'counsellor', timeZone: 'America/New_York' });
    const i = await makeIntake(t, intake);
    const first = DateTime.now()
      .setZone('America/New_York')
      .plus({ days: 3 })
      .set({ hour: 7, minute: 30, second: 0, millisecond: 0 });
    const res = await postSeries(t, intake, {
      intakeId: i.id,
      supporterId: s.id,
      start: first.toISO(),
      count: 4,
      intervalWeeks: 2,
    });
    expect(res.status).toBe(201);
    const starts = (res.body.bookings as { start: string }[]).map((b) =>
      DateTime.fromISO(b.start).setZone('America/New_York'),
    );
    expect(starts.map((d) => d.toFormat('HH:mm'))).toEqual(['07:30', '07:30', '07:30', '07:30']);
    expect(starts.map((d) => d.toISODate())).toEqual([0, 2, 4, 6].map((w) => first.plus({ weeks: w }).toISODate()));
  });

  it('a series whose last occurrence is beyond the horizon books nothing: 422 beyond_horizon', async () => {
    await putPolicies(t, admin, { bookingHorizonDays: 92 });
    try {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const first = london(80, '12:00');
      const res = await postSeries(t, intake, {
        intakeId: i.id,
        supporterId: s.id,
        start: first.toISO(),
        count: 3,
        intervalWeeks: 1,
      });
      expectProblem(res, 422, 'beyond_horizon');
      expect((res.body.occurrences as Occurrence[]).map((o) => o.index)).toEqual([2]);
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
    } finally {
      await putPolicies(t, admin, { bookingHorizonDays: 366 });
    }
  });

  it('the booked intake becomes booked; the series shares a seriesId', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const res = await postSeries(t, intake, {
      intakeId: i.id,
      supporterId: s.id,
      start: london(4, '07:00').toISO(),
      count: 2,
      intervalWeeks: 1,
    });
    expect(res.status).toBe(201);
    const ids = new Set((res.body.bookings as { seriesId?: string }[]).map((b) => b.seriesId));
    expect(ids.size).toBe(1);
    const got = await t
      .http()
      .get(`/api/v1/intakes/${i.id}`)
      .set({ Authorization: `Bearer ${intake}` });
    expect(got.body.status).toBe('booked');
  });

  describe('400 bad input', () => {
    let body: Record<string, unknown>;
    beforeAll(async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      body = { intakeId: i.id, supporterId: s.id, start: london(3, '12:00').toISO(), count: 2, intervalWeeks: 1 };
    });

    it.each([
      ['count 13', { count: 13 }, 'count'],
      ['count 0', { count: 0 }, 'count'],
      ['count 2.5', { count: 2.5 }, 'count'],
      ['intervalWeeks 0', { intervalWeeks: 0 }, 'intervalWeeks'],
      ['intervalWeeks 5', { intervalWeeks: 5 }, 'intervalWeeks'],
      ['start without an offset', { start: '2027-02-01T18:00:00' }, 'start'],
      ['an unknown field', { every: 'week' }, 'every'],
    ])('%s', async (_label, change, field) => {
      const res = await postSeries(t, intake, { ...body, ...change });
      expectValidation(res, [field]);
      expect(await countRows(t, 'intake_id = $1', [body.intakeId])).toBe(0);
    });

    it('count missing', async () => {
      const { count: _omit, ...rest } = body;
      expectValidation(await postSeries(t, intake, rest), ['count']);
    });
  });
});
