import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import {
  book,
  countRows,
  DEFAULT_POLICIES,
  expectProblem,
  london,
  makeIntake,
  makeSupporter,
  postBooking,
  putPolicies,
  utc,
} from '../support/booking-factories';

/**
 * Sociable hours (08:00–20:00 by default) bind peer conversations, in the
 * local time of both the peer and the caller; counselling runs 24/7.
 */
describe('POST /bookings: sociable hours', () => {
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

  const singapore = (d: DateTime) => d.setZone('Asia/Singapore');

  describe('a London peer and a caller in Asia/Singapore', () => {
    it("a time inside the peer's London window but after 20:00 in Singapore is 422 outside_sociable_hours", async () => {
      const peer = await makeSupporter(t, admin, { kind: 'peer' });
      const i = await makeIntake(t, intake, { service: 'peer_support', caller: { timeZone: 'Asia/Singapore' } });
      const start = london(5, '14:00'); // 22:00 (or 21:00 in British summer time) in Singapore
      expect(singapore(start).hour).toBeGreaterThanOrEqual(20);
      const res = await postBooking(t, intake, { intakeId: i.id, supporterId: peer.id, start: start.toISO() });
      expectProblem(res, 422, 'outside_sociable_hours');
      expect(await countRows(t, 'intake_id = $1', [i.id])).toBe(0);
    });

    it('a session that would end after 20:00 in Singapore is refused even though it starts before', async () => {
      const peer = await makeSupporter(t, admin, { kind: 'peer' });
      const i = await makeIntake(t, intake, { service: 'peer_support', caller: { timeZone: 'Asia/Singapore' } });
      // starts 19:30 Singapore, ends 20:20 Singapore
      const start = singapore(london(5, '12:00')).set({ hour: 19, minute: 30 }).setZone('Europe/London');
      const res = await postBooking(t, intake, { intakeId: i.id, supporterId: peer.id, start: start.toISO() });
      expectProblem(res, 422, 'outside_sociable_hours');
    });

    it('09:00 London (17:00 or 16:00 in Singapore) is inside for both: 201', async () => {
      const peer = await makeSupporter(t, admin, { kind: 'peer' });
      const i = await makeIntake(t, intake, { service: 'peer_support', caller: { timeZone: 'Asia/Singapore' } });
      const start = london(5, '09:00'); // 17:00 (or 16:00) in Singapore
      const b = await book(t, intake, i.id, peer.id, start);
      expect(b.start).toBe(utc(start));
    });

    it('a session ending exactly at 20:00 Singapore time is inside', async () => {
      const peer = await makeSupporter(t, admin, { kind: 'peer' });
      const i = await makeIntake(t, intake, { service: 'peer_support', caller: { timeZone: 'Asia/Singapore' } });
      const start = singapore(london(6, '12:00')).set({ hour: 19, minute: 10 });
      const b = await book(t, intake, i.id, peer.id, start);
      expect(singapore(DateTime.fromISO(b.end)).toFormat('HH:mm')).toBe('20:00');
    });

    it('counselling is not bound: a London counsellor at 14:00 London for the Singapore caller is 201', async () => {
      const counsellor = await makeSupporter(t, admin, { kind: 'counsellor' });
      const i = await makeIntake(t, intake, { service: 'counselling', caller: { timeZone: 'Asia/Singapore' } });
      const b = await book(t, intake, i.id, counsellor.id, london(5, '14:00'));
      expect(b.status).toBe('confirmed');
    });

    it('a counsellor at 23:00 London for a London caller is 201 (counselling runs 24/7)', async () => {
      const counsellor = await makeSupporter(t, admin, { kind: 'counsellor' });
      const i = await makeIntake(t, intake, { service: 'counselling' });
      const b = await book(t, intake, i.id, counsellor.id, london(5, '23:00'));
      expect(b.status).toBe('confirmed');
    });
  });

  describe('a peer at a time outside sociable hours (the policy narrowed after the availability was set)', () => {
    afterEach(async () => {
      await putPolicies(t, admin, DEFAULT_POLICIES);
    });

    it("sociable hours 08:00–17:00: 18:00 inside the peer's 08:00–20:00 window is 422 outside_sociable_hours", async () => {
      const peer = await makeSupporter(t, admin, { kind: 'peer' });
      const i = await makeIntake(t, intake, { service: 'peer_support' });
      await putPolicies(t, admin, { sociableHours: { start: '08:00', end: '17:00', weekdays: [1, 2, 3, 4, 5, 6, 7] } });
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: peer.id, start: london(4, '18:00').toISO() }),
        422,
        'outside_sociable_hours',
      );
      // ends 17:10: over the end
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: peer.id, start: london(4, '16:20').toISO() }),
        422,
        'outside_sociable_hours',
      );
      // ends exactly at 17:00: inside
      expect(
        (await postBooking(t, intake, { intakeId: i.id, supporterId: peer.id, start: london(4, '16:10').toISO() }))
          .status,
      ).toBe(201);
    });

    it('weekdays Monday–Friday only: a Saturday session is 422 outside_sociable_hours', async () => {
      const peer = await makeSupporter(t, admin, { kind: 'peer' });
      const i = await makeIntake(t, intake, { service: 'peer_support' });
      await putPolicies(t, admin, { sociableHours: { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] } });
      let saturday = london(3, '10:00');
      while (saturday.weekday !== 6) saturday = saturday.plus({ days: 1 });
      expectProblem(
        await postBooking(t, intake, { intakeId: i.id, supporterId: peer.id, start: saturday.toISO() }),
        422,
        'outside_sociable_hours',
      );
      const monday = saturday.plus({ days: 2 });
      expect(
        (await postBooking(t, intake, { intakeId: i.id, supporterId: peer.id, start: monday.toISO() })).status,
      ).toBe(201);
    });

    it('a counsellor is not bound by the narrowed hours', async () => {
      const counsellor = await makeSupporter(t, admin, { kind: 'counsellor' });
      const i = await makeIntake(t, intake, { service: 'counselling' });
      await putPolicies(t, admin, { sociableHours: { start: '08:00', end: '17:00', weekdays: [1, 2, 3, 4, 5] } });
      expect(
        (
          await postBooking(t, intake, {
            intakeId: i.id,
            supporterId: counsellor.id,
            start: london(4, '21:00').toISO(),
          })
        ).status,
      ).toBe(201);
    });
  });
});
