import { startTestApp, TestApp } from '../support/test-app';
import {
  book,
  getBooking,
  getIntake,
  insertBookingSql,
  london,
  makeIntake,
  makeSupporter,
  postBooking,
} from '../support/booking-factories';

describe('closing or withdrawing an intake ends its future sessions', () => {
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

  const cancellations = async (bookingId: string): Promise<number> =>
    Number(
      (
        await t.ds.query(`SELECT count(*) AS n FROM outbox_messages WHERE booking_id = $1 AND kind = 'cancellation'`, [
          bookingId,
        ])
      )[0].n,
    );

  it.each(['withdraw', 'close'] as const)(
    '%s: future sessions are cancelled with notice, the time is free, past ones stay',
    async (verb) => {
      const s = await makeSupporter(t, admin);
      const i = await makeIntake(t, intake);
      const first = await book(t, intake, i.id, s.id, london(2, '18:00'));
      const second = await book(t, intake, i.id, s.id, london(9, '18:00'));
      const pastId = await insertBookingSql(t, {
        intakeId: i.id,
        supporterId: s.id,
        callerId: i.callerId,
        start: london(-3, '18:00').toJSDate(),
      });

      const res = await t.http().post(`/api/v1/intakes/${i.id}/${verb}`).set('Authorization', `Bearer ${intake}`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(verb === 'withdraw' ? 'withdrawn' : 'closed');

      for (const b of [first, second]) {
        expect((await getBooking(t, intake, b.id)).status).toBe('cancelled');
        expect(await cancellations(b.id)).toBeGreaterThan(0);
      }
      const [past] = await t.ds.query(`SELECT status FROM bookings WHERE id = $1`, [pastId]);
      expect(past.status).toBe('confirmed');
      expect((await getIntake(t, intake, i.id)).status).toBe(verb === 'withdraw' ? 'withdrawn' : 'closed');

      // The supporter's time is free again for someone else.
      const other = await makeIntake(t, intake);
      const again = await postBooking(t, intake, {
        intakeId: other.id,
        supporterId: s.id,
        start: london(2, '18:00').toISO(),
      });
      expect(again.status).toBe(201);
    },
  );

  it('an illegal change cancels nothing', async () => {
    const s = await makeSupporter(t, admin);
    const i = await makeIntake(t, intake);
    const b = await book(t, intake, i.id, s.id, london(4, '18:00'));
    expect((await t.http().post(`/api/v1/intakes/${i.id}/close`).set('Authorization', `Bearer ${intake}`)).status).toBe(
      200,
    );
    const again = await t.http().post(`/api/v1/intakes/${i.id}/withdraw`).set('Authorization', `Bearer ${intake}`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_transition');
    expect(await cancellations(b.id)).toBe(1);
  });
});
