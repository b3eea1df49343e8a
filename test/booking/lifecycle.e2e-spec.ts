import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import {
  action,
  book,
  countRows,
  expectProblem,
  getBooking,
  HOUR,
  insertBookingSql,
  london,
  makeIntake,
  makeSupporter,
  MINUTE,
  postBooking,
  utc,
} from '../support/booking-factories';

describe('booking lifecycle: cancel, reschedule, complete, no-show', () => {
  let t: TestApp;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /bookings/:id/cancel', () => {
    it('200, status cancelled; the slot is bookable again by another intake', async () => {
      const s = await makeSupporter(t, admin);
      const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
      const start = london(3, '18:00');
      const booked = await book(t, intake, a.id, s.id, start);
      expectProblem(
        await postBooking(t, intake, { intakeId: b.id, supporterId: s.id, start: start.toISO() }),
        409,
        'slot_taken',
      );

      const res = await action(t, intake, booked.id, 'cancel', { reason: 'Caller asked to cancel' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect(res.body.id).toBe(booked.id);
      expect((await getBooking(t, intake, booked.id)).status).toBe('cancelled');

      const again = await postBooking(t, intake, { intakeId: b.id, supporterId: s.id, start: start.toISO() });
      expect(again.status).toBe(201);
      expect(await countRows(t, 'supporter_id = $1 AND status = $2', [s.id, 'confirmed'])).toBe(1);
    });

    it('the same caller can book the freed time again', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const start = london(3, '20:00');
      const first = await book(t, intake, i.id, s.id, start);
      expect((await action(t, intake, first.id, 'cancel', { reason: 'clash' })).status).toBe(200);
      const again = await book(t, intake, i.id, s.id, start);
      expect(again.id).not.toBe(first.id);
    });

    it('cancelling a cancelled booking is 409 invalid_transition', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(3, '09:00'));
      expect((await action(t, intake, b.id, 'cancel', { reason: 'first' })).status).toBe(200);
      expectProblem(await action(t, intake, b.id, 'cancel', { reason: 'second' }), 409, 'invalid_transition');
    });

    it('a reason is required (400)', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(3, '10:00'));
      const res = await action(t, intake, b.id, 'cancel', {});
      expectProblem(res, 400, 'validation_failed');
      expect((await getBooking(t, intake, b.id)).status).toBe('confirmed');
    });

    it("a supporter may cancel its own booking but not another supporter's", async () => {
      const [s1, s2] = [await makeSupporter(t, admin), await makeSupporter(t, admin)];
      const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
      const mine = await book(t, intake, a.id, s1.id, london(3, '11:00'));
      const theirs = await book(t, intake, b.id, s2.id, london(3, '11:00'));
      const user = (await t.signIn('supporter', s1.id)).token;
      expect((await action(t, user, mine.id, 'cancel', { reason: 'ill' })).status).toBe(200);
      const refused = await action(t, user, theirs.id, 'cancel', { reason: 'not mine' });
      expect([403, 404]).toContain(refused.status);
      expect((await getBooking(t, intake, theirs.id)).status).toBe('confirmed');
    });
  });

  describe('POST /bookings/:id/reschedule', () => {
    it('200: same id, new start, sequence raised', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(4, '18:00'));
      expect(b.sequence).toBe(0);
      const to = london(5, '19:00');
      const res = await action(t, intake, b.id, 'reschedule', { start: to.toISO() });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(b.id);
      expect(res.body.reference).toBe(b.reference);
      expect(res.body.status).toBe('confirmed');
      expect(res.body.start).toBe(utc(to));
      expect(res.body.end).toBe(utc(to.plus({ minutes: 50 })));
      expect(res.body.sequence).toBeGreaterThan(b.sequence);
      const got = await getBooking(t, intake, b.id);
      expect(got.start).toBe(utc(to));
      const twice = await action(t, intake, b.id, 'reschedule', { start: london(6, '19:00').toISO() });
      expect(twice.status).toBe(200);
      expect(twice.body.sequence).toBeGreaterThan(res.body.sequence);
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(1);
    });

    it('the old time is free again after a reschedule', async () => {
      const s = await makeSupporter(t, admin);
      const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
      const old = london(4, '12:00');
      const booked = await book(t, intake, a.id, s.id, old);
      expect((await action(t, intake, booked.id, 'reschedule', { start: london(4, '15:00').toISO() })).status).toBe(
        200,
      );
      expect((await postBooking(t, intake, { intakeId: b.id, supporterId: s.id, start: old.toISO() })).status).toBe(
        201,
      );
    });

    it('a small move overlapping its own old time is fine (18:00 → 18:30)', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(4, '18:00'));
      const res = await action(t, intake, b.id, 'reschedule', { start: london(4, '18:30').toISO() });
      expect(res.status).toBe(200);
      expect(res.body.start).toBe(utc(london(4, '18:30')));
    });

    it('into a taken slot: 409 slot_taken, the old booking unchanged', async () => {
      const s = await makeSupporter(t, admin);
      const [a, b] = [await makeIntake(t, intake), await makeIntake(t, intake)];
      const mine = await book(t, intake, a.id, s.id, london(7, '10:00'));
      await book(t, intake, b.id, s.id, london(7, '14:00'));
      const res = await action(t, intake, mine.id, 'reschedule', { start: london(7, '14:20').toISO() });
      expectProblem(res, 409, 'slot_taken');
      const got = await getBooking(t, intake, mine.id);
      expect(got.start).toBe(mine.start);
      expect(got.end).toBe(mine.end);
      expect(got.status).toBe('confirmed');
      expect(got.sequence).toBe(mine.sequence);
    });

    it("into the caller's other session: 409 caller_busy, the old booking unchanged", async () => {
      const [s1, s2] = [await makeSupporter(t, admin), await makeSupporter(t, admin)];
      const first = await makeIntake(t, intake, { caller: { phone: '07700 900888' } });
      const second = await makeIntake(t, intake, { caller: { phone: '07700900888' } });
      expect(second.callerId).toBe(first.callerId);
      const b1 = await book(t, intake, first.id, s1.id, london(8, '10:00'));
      await book(t, intake, second.id, s2.id, london(8, '14:00'));
      expectProblem(
        await action(t, intake, b1.id, 'reschedule', { start: london(8, '14:00').toISO() }),
        409,
        'caller_busy',
      );
      const got = await getBooking(t, intake, b1.id);
      expect(got.start).toBe(b1.start);
      expect(got.status).toBe('confirmed');
    });

    it('outside availability: 422, the old booking unchanged', async () => {
      const day = london(9, '00:00');
      const s = await makeSupporter(t, admin, {}, [{ weekday: day.weekday, start: '09:00', end: '12:00' }]);
      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(9, '09:00'));
      expectProblem(
        await action(t, intake, b.id, 'reschedule', { start: london(9, '13:00').toISO() }),
        422,
        'outside_availability',
      );
      expectProblem(
        await action(t, intake, b.id, 'reschedule', { start: london(10, '09:00').toISO() }),
        422,
        'outside_availability',
      );
      const got = await getBooking(t, intake, b.id);
      expect(got.start).toBe(b.start);
      expect(got.status).toBe('confirmed');
      expect(got.sequence).toBe(b.sequence);
    });

    it('too soon or beyond the horizon: 422, unchanged', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(9, '16:00'));
      const soon = DateTime.now().plus({ minutes: 30 }).startOf('minute');
      expectProblem(await action(t, intake, b.id, 'reschedule', { start: soon.toISO() }), 422, 'too_soon');
      expectProblem(
        await action(t, intake, b.id, 'reschedule', { start: london(120, '16:00').toISO() }),
        422,
        'beyond_horizon',
      );
      expect((await getBooking(t, intake, b.id)).start).toBe(b.start);
    });

    it('a cancelled booking cannot be rescheduled: 409 invalid_transition', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(9, '20:00'));
      expect((await action(t, intake, b.id, 'cancel', { reason: 'x' })).status).toBe(200);
      expectProblem(
        await action(t, intake, b.id, 'reschedule', { start: london(9, '21:00').toISO() }),
        409,
        'invalid_transition',
      );
    });

    it('a start without an offset is 400', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const b = await book(t, intake, i.id, s.id, london(9, '22:00'));
      expectProblem(
        await action(t, intake, b.id, 'reschedule', { start: '2027-02-01T10:00:00' }),
        400,
        'validation_failed',
      );
    });
  });

  describe('complete and no-show', () => {
    it.each(['complete', 'no-show'] as const)(
      '/%s before the session starts is 409 invalid_transition',
      async (verb) => {
        const s = await makeSupporter(t, admin);
        const i = await makeIntake(t, intake);
        const b = await book(t, intake, i.id, s.id, london(3, '15:00'));
        expectProblem(await action(t, intake, b.id, verb), 409, 'invalid_transition');
        expect((await getBooking(t, intake, b.id)).status).toBe('confirmed');
      },
    );

    it('after the start (a booking inserted in the past): complete → completed', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const id = await insertBookingSql(t, {
        intakeId: i.id,
        supporterId: s.id,
        callerId: i.callerId,
        start: new Date(Date.now() - 2 * HOUR),
      });
      const res = await action(t, intake, id, 'complete');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('completed');
      expect((await getBooking(t, intake, id)).status).toBe('completed');
      // and only once
      expectProblem(await action(t, intake, id, 'complete'), 409, 'invalid_transition');
      expectProblem(await action(t, intake, id, 'cancel', { reason: 'too late' }), 409, 'invalid_transition');
    });

    it('after the start (still running): no-show → no_show', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const id = await insertBookingSql(t, {
        intakeId: i.id,
        supporterId: s.id,
        callerId: i.callerId,
        start: new Date(Date.now() - 10 * MINUTE),
      });
      const res = await action(t, intake, id, 'no-show');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('no_show');
      expectProblem(await action(t, intake, id, 'complete'), 409, 'invalid_transition');
    });

    it("the booking's own supporter may complete it", async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const id = await insertBookingSql(t, {
        intakeId: i.id,
        supporterId: s.id,
        callerId: i.callerId,
        start: new Date(Date.now() - 3 * HOUR),
      });
      const user = (await t.signIn('supporter', s.id)).token;
      const res = await action(t, user, id, 'complete');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('completed');
    });

    it('a cancelled booking cannot be completed', async () => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const id = await insertBookingSql(t, {
        intakeId: i.id,
        supporterId: s.id,
        callerId: i.callerId,
        start: new Date(Date.now() - 4 * HOUR),
      });
      expect((await action(t, intake, id, 'cancel', { reason: 'x' })).status).toBe(200);
      expectProblem(await action(t, intake, id, 'complete'), 409, 'invalid_transition');
    });
  });
});
