import { bearer, expectProblem } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { book, Desk, newIntake, openDesk, outboxOf } from '../notifications/helpers';
import { SmtpSink } from '../notifications/smtp-sink';

/** Moves a booking's creation back in time by the database's clock, so the grace edges are tested without waiting a minute. */
async function madeSecondsAgo(t: TestApp, bookingId: string, seconds: number): Promise<void> {
  await t.ds.query(`UPDATE bookings SET created_at = now() - $2 * interval '1 second' WHERE id = $1`, [
    bookingId,
    seconds,
  ]);
}

const undo = (t: TestApp, token: string, id: string) => t.http().post(`/api/v1/bookings/${id}/undo`).set(bearer(token));

describe('undo within the grace period (CONFIRMATION_GRACE_SECONDS=60)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ SMTP_URL: sink.url, CONFIRMATION_GRACE_SECONDS: '60' });
    desk = await openDesk(t);
    desk.worker.configure({ backoffBaseMs: 0, jitter: 0 });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('confirmations are due a grace period after the booking, and the worker does not send them before', async () => {
    const caller = await newIntake(t, desk);
    const before = Date.now();
    const b = await book(t, desk, caller.intakeId);
    const undoUntil = Date.parse((b as unknown as { undoUntil: string }).undoUntil);
    expect(undoUntil).toBeGreaterThanOrEqual(before + 59_000);
    expect(undoUntil).toBeLessThanOrEqual(Date.now() + 60_000);
    const confirmations = (await outboxOf(t, b.id)).filter((r) => r.kind === 'confirmation');
    expect(confirmations.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
    const supporterNotice = (await outboxOf(t, b.id)).filter((r) => r.kind === 'supporter_confirmation');
    expect(supporterNotice).toHaveLength(1);
    for (const r of [...confirmations, ...supporterNotice]) {
      expect(new Date(r.due_at).getTime()).toBeGreaterThanOrEqual(before + 59_000);
      expect(new Date(r.due_at).getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    }
    await desk.worker.runOnce();
    expect(sink.to(caller.email!)).toHaveLength(0);
    expect((await outboxOf(t, b.id)).every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
  });

  it('no reminder falls due inside the grace period (it would reach the caller before the confirmation)', async () => {
    const soon = await newIntake(t, desk);
    // between 20 s before and 40 s after a day from now: its reminder would fall due within the 60 s grace
    const start = new Date(Math.floor((Date.now() + 86_400_000 + 40_000) / 60_000) * 60_000).toISOString();
    const b = await book(t, desk, soon.intakeId, start);
    expect((await outboxOf(t, b.id)).filter((r) => r.kind === 'reminder')).toEqual([]);
    const later = await newIntake(t, desk);
    const b2 = await book(
      t,
      desk,
      later.intakeId,
      new Date(Math.ceil((Date.now() + 26 * 3_600_000) / 60_000) * 60_000).toISOString(),
    );
    expect((await outboxOf(t, b2.id)).filter((r) => r.kind === 'reminder').length).toBeGreaterThan(0);
  });

  it('undo at 59 s: cancelled silently (every message cancelled, none sent, no cancellation written), the intake open again; a second undo is 409', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await madeSecondsAgo(t, b.id, 59);

    const res = await undo(t, desk.intake, b.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ id: b.id, status: 'cancelled' }));

    const rows = await outboxOf(t, b.id);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'cancelled')).toBe(true);
    expect(rows.some((r) => r.kind === 'cancellation')).toBe(false);
    // the supporter's notice was written with the caller's, due after the same grace period, and is discarded with it
    expect(rows.filter((r) => r.kind.startsWith('supporter_')).map((r) => [r.kind, r.status])).toEqual([
      ['supporter_confirmation', 'cancelled'],
    ]);
    // even once everything would be due, nothing reaches the caller, nor the supporter
    await t.ds.query(`UPDATE outbox_messages SET due_at = now() - interval '1 second' WHERE booking_id = $1`, [b.id]);
    await desk.worker.runOnce();
    expect(sink.to(caller.email!)).toHaveLength(0);
    const supporter = await t.http().get(`/api/v1/supporters/${desk.supporterId}`).set(bearer(desk.admin));
    expect(sink.to(supporter.body.email)).toHaveLength(0);

    const intake = await t.http().get(`/api/v1/intakes/${caller.intakeId}`).set(bearer(desk.intake));
    expect(intake.body).toEqual(expect.objectContaining({ status: 'open', supporterId: null }));
    // the slot is free again: the same time books
    const again = await t
      .http()
      .post('/api/v1/bookings')
      .set(bearer(desk.intake))
      .send({ intakeId: caller.intakeId, supporterId: desk.supporterId, start: b.start });
    expect(again.status).toBe(201);

    expectProblem(await undo(t, desk.intake, b.id), 409, 'invalid_transition');

    const history = await t.http().get(`/api/v1/bookings/${b.id}/history`).set(bearer(desk.intake));
    expect(JSON.stringify(history.body)).toContain('Undone within the grace period');
    const audit = await t.http().get(`/api/v1/audit?callerId=${caller.callerId}`).set(bearer(desk.admin));
    expect(audit.body.events.map((e: { action: string }) => e.action)).toContain('booking.undo');
  });

  it.each([60, 61, 3600])('undo at %i s (the grace period is over) is 409 and changes nothing', async (seconds) => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await madeSecondsAgo(t, b.id, seconds);
    const res = await undo(t, desk.intake, b.id);
    expectProblem(res, 409, 'invalid_transition');
    expect(res.body.detail).toMatch(/grace period is over/);
    const after = await t.http().get(`/api/v1/bookings/${b.id}`).set(bearer(desk.intake));
    expect(after.body.status).toBe('confirmed');
    expect((await outboxOf(t, b.id)).every((r) => r.status === 'pending')).toBe(true);
  });

  it('a message already tried (or claimed by a worker) cannot be taken back: 409, nothing changed', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await t.ds.query(
      `UPDATE outbox_messages SET locked_until = now() + interval '30 seconds', attempts = 1 WHERE booking_id = $1 AND channel = 'sms' AND kind = 'confirmation'`,
      [b.id],
    );
    const res = await undo(t, desk.intake, b.id);
    expectProblem(res, 409, 'invalid_transition');
    expect(res.body.detail).toMatch(/already gone out/);
    expect((await t.http().get(`/api/v1/bookings/${b.id}`).set(bearer(desk.intake))).body.status).toBe('confirmed');
    expect((await outboxOf(t, b.id)).every((r) => r.status === 'pending')).toBe(true);
  });

  it('only its creator or an admin may undo: another intake user 403, an admin 200; a supporter 403', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const other = (await t.signIn('intake')).token;
    expectProblem(await undo(t, other, b.id), 403, 'forbidden');
    const supporter = (await t.signIn('supporter', desk.supporterId)).token;
    expectProblem(await undo(t, supporter, b.id), 403, 'forbidden');
    expect((await t.http().get(`/api/v1/bookings/${b.id}`).set(bearer(desk.intake))).body.status).toBe('confirmed');
    const res = await undo(t, desk.admin, b.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
  });

  it('an intake with another booking stays booked after an undo', async () => {
    const caller = await newIntake(t, desk);
    await book(t, desk, caller.intakeId);
    const second = await book(t, desk, caller.intakeId);
    expect((await undo(t, desk.intake, second.id)).status).toBe(200);
    const intake = await t.http().get(`/api/v1/intakes/${caller.intakeId}`).set(bearer(desk.intake));
    expect(intake.body).toEqual(expect.objectContaining({ status: 'booked', supporterId: desk.supporterId }));
  });

  it('unknown booking 404, a malformed id 400, no token 401', async () => {
    expectProblem(await undo(t, desk.intake, '00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expectProblem(await undo(t, desk.intake, 'not-a-uuid'), 400, 'validation_failed');
    expectProblem(
      await t.http().post('/api/v1/bookings/00000000-0000-4000-8000-000000000000/undo'),
      401,
      'unauthorized',
    );
  });
});

describe('a short grace period (CONFIRMATION_GRACE_SECONDS=2): sent after it, not undone after it', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ SMTP_URL: sink.url, CONFIRMATION_GRACE_SECONDS: '2' });
    desk = await openDesk(t);
    desk.worker.configure({ backoffBaseMs: 0, jitter: 0 });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('not sent during the grace, sent after it; undo then 409', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await desk.worker.runOnce();
    expect(sink.to(caller.email!)).toHaveLength(0);

    await new Promise((r) => setTimeout(r, 2_300));
    await desk.worker.runOnce();
    const mails = sink.to(caller.email!);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain(b.reference);
    const confirmations = (await outboxOf(t, b.id)).filter((r) => r.kind === 'confirmation');
    expect(confirmations.map((r) => r.status)).toEqual(['sent', 'sent']);

    expectProblem(await undo(t, desk.intake, b.id), 409, 'invalid_transition');
    expect((await t.http().get(`/api/v1/bookings/${b.id}`).set(bearer(desk.intake))).body.status).toBe('confirmed');
  });
});
