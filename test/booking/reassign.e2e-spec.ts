import { startTestApp, TestApp } from '../support/test-app';
import {
  auth,
  book,
  expectProblem,
  expectValidation,
  getBooking,
  getIntake,
  london,
  makeIntake,
  makeSupporter,
  putPolicies,
} from '../support/booking-factories';

/** POST /bookings/:id/reassign: the same session with another supporter, under the rules of a new booking with them. */
describe('POST /bookings/:id/reassign', () => {
  let t: TestApp;
  let admin: string;
  let intake: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
    await putPolicies(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  const reassign = (id: string, body: Record<string, unknown>, token = intake) =>
    t.http().post(`/api/v1/bookings/${id}/reassign`).set(auth(token)).send(body);
  const unchanged = async (id: string, supporterId: string) => {
    const b = await getBooking(t, intake, id);
    expect(b).toEqual(expect.objectContaining({ supporterId, status: 'confirmed', sequence: 0 }));
  };

  it('moves the session (same time) and the intake to the new supporter; history, audit, and a message to the caller naming them', async () => {
    const a = await makeSupporter(t, admin, { displayName: 'Dr Anna First' });
    const b = await makeSupporter(t, admin, { displayName: 'Dr Bella Second' });
    const i = await makeIntake(t, intake, { caller: { email: 'reassigned.caller@test.local' } });
    const booking = await book(t, intake, i.id, a.id, london(4, '10:00'));

    const res = await reassign(booking.id, { supporterId: b.id, reason: 'Booked with the wrong supporter' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: booking.id,
        supporterId: b.id,
        start: booking.start,
        end: booking.end,
        status: 'confirmed',
        sequence: 1,
      }),
    );
    await expect(getIntake(t, intake, i.id)).resolves.toEqual(
      expect.objectContaining({ status: 'booked', supporterId: b.id }),
    );

    const history = await t.http().get(`/api/v1/bookings/${booking.id}/history`).set(auth(intake));
    expect(JSON.stringify(history.body)).toContain('Reassigned to another supporter: Booked with the wrong supporter');
    const audit = await t.http().get(`/api/v1/audit?callerId=${i.callerId}`).set(auth(admin));
    const event = (audit.body.events as { action: string; details: Record<string, unknown> }[]).find(
      (e) => e.action === 'booking.reassign',
    );
    expect(event?.details).toEqual(
      expect.objectContaining({ bookingId: booking.id, fromSupporterId: a.id, toSupporterId: b.id }),
    );
    expect(JSON.stringify(event?.details)).not.toContain('wrong supporter');

    const messages: { channel: string; body_text: string; ics: string | null }[] = await t.ds.query(
      `SELECT channel, body_text, ics FROM outbox_messages WHERE booking_id = $1 AND kind = 'reschedule' ORDER BY channel`,
      [booking.id],
    );
    expect(messages.map((m) => m.channel)).toEqual(['email', 'sms']);
    // the e-mail names the new supporter (first name only) with a new invite; no message names the old one
    expect(messages[0].body_text).toContain('Bella');
    expect(messages[0].ics).toContain('SEQUENCE:1');
    expect(messages.some((m) => m.body_text.includes('Anna'))).toBe(false);

    // the old supporter's time is free again: another caller can book it
    const other = await makeIntake(t, intake);
    await expect(book(t, intake, other.id, a.id, booking.start)).resolves.toEqual(
      expect.objectContaining({ supporterId: a.id }),
    );
  });

  it('the new supporter busy at that time: 409 slot_taken, nothing changed', async () => {
    const a = await makeSupporter(t, admin);
    const b = await makeSupporter(t, admin);
    const booking = await book(t, intake, (await makeIntake(t, intake)).id, a.id, london(5, '11:00'));
    await book(t, intake, (await makeIntake(t, intake)).id, b.id, london(5, '11:30'));
    expectProblem(await reassign(booking.id, { supporterId: b.id, reason: 'Swap' }), 409, 'slot_taken');
    await unchanged(booking.id, a.id);
  });

  it("outside the new supporter's availability, or outside sociable hours for a peer: 422, nothing changed", async () => {
    const a = await makeSupporter(t, admin);
    const early = await makeSupporter(
      t,
      admin,
      {},
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '06:00', end: '09:00' })),
    );
    const booking = await book(t, intake, (await makeIntake(t, intake)).id, a.id, london(6, '12:00'));
    expectProblem(await reassign(booking.id, { supporterId: early.id, reason: 'Swap' }), 422, 'outside_availability');
    await unchanged(booking.id, a.id);

    // a peer session at 21:00 London is outside sociable hours, whatever the availability says
    const peerIntake = await makeIntake(t, intake, { service: 'peer_support' });
    const peerA = await makeSupporter(t, admin, { kind: 'peer' });
    const peerLate = await makeSupporter(t, admin, { kind: 'peer' });
    const peerBooking = await book(t, intake, peerIntake.id, peerA.id, london(6, '19:00'));
    await t.ds.query(
      `UPDATE bookings SET starts_at = starts_at + interval '2 hours', ends_at = ends_at + interval '2 hours', blocked_until = blocked_until + interval '2 hours' WHERE id = $1`,
      [peerBooking.id],
    );
    expectProblem(
      await reassign(peerBooking.id, { supporterId: peerLate.id, reason: 'Swap' }),
      422,
      'outside_sociable_hours',
    );
  });

  it('capacity, conflict of interest and the wrong service are refused like a new booking', async () => {
    const a = await makeSupporter(t, admin);
    const full = await makeSupporter(t, admin, { maxActiveCases: 1 });
    await book(t, intake, (await makeIntake(t, intake)).id, full.id, london(7, '09:00'));
    const booking = await book(
      t,
      intake,
      (await makeIntake(t, intake, { caller: { workplace: 'St Elsewhere' } })).id,
      a.id,
      london(7, '13:00'),
    );
    expectProblem(await reassign(booking.id, { supporterId: full.id, reason: 'Swap' }), 422, 'at_capacity');
    const colleague = await makeSupporter(t, admin, { workplaces: ['St Elsewhere'] });
    expectProblem(
      await reassign(booking.id, { supporterId: colleague.id, reason: 'Swap' }),
      422,
      'conflict_of_interest',
    );
    const peer = await makeSupporter(t, admin, { kind: 'peer' });
    expectProblem(await reassign(booking.id, { supporterId: peer.id, reason: 'Swap' }), 422, 'wrong_service');
    await unchanged(booking.id, a.id);
  });

  it('bad input and wrong states: 400, 404, 409, 403', async () => {
    const a = await makeSupporter(t, admin);
    const b = await makeSupporter(t, admin);
    const booking = await book(t, intake, (await makeIntake(t, intake)).id, a.id, london(8, '10:00'));
    expectValidation(await reassign(booking.id, { supporterId: b.id }), ['reason']);
    expectValidation(await reassign(booking.id, { supporterId: 'nope', reason: 'x' }), ['supporterId']);
    expectValidation(await reassign(booking.id, { supporterId: a.id, reason: 'Same one' }), ['supporterId']);
    expectValidation(await reassign(booking.id, { supporterId: b.id, reason: 'x', extra: 1 }), ['extra']);
    expectProblem(
      await reassign(booking.id, { supporterId: '00000000-0000-4000-8000-000000000000', reason: 'x' }),
      404,
      'not_found',
    );
    expectProblem(
      await reassign('00000000-0000-4000-8000-000000000000', { supporterId: b.id, reason: 'x' }),
      404,
      'not_found',
    );
    const supporter = (await t.signIn('supporter', a.id)).token;
    expectProblem(await reassign(booking.id, { supporterId: b.id, reason: 'x' }, supporter), 403, 'forbidden');
    await unchanged(booking.id, a.id);
    const cancelled = await t
      .http()
      .post(`/api/v1/bookings/${booking.id}/cancel`)
      .set(auth(intake))
      .send({ reason: 'Caller asked' });
    expect(cancelled.status).toBe(200);
    expectProblem(await reassign(booking.id, { supporterId: b.id, reason: 'x' }), 409, 'invalid_transition');
  });
});
