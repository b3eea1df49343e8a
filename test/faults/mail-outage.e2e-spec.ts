import { OutboxWorker } from '../../libs/notifications/src';
import {
  book,
  type BookingBody,
  newIntake,
  openDesk,
  outboxOf,
  type Desk,
  type NewCaller,
} from '../notifications/helpers';
import { SmtpSink } from '../notifications/smtp-sink';
import { bearer, expectProblem } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15, point 2: a mail outage loses no confirmation. The schedule is
 * the production one shortened 3000 times (1 s base → 1 ms, 10 min cap →
 * 200 ms, 48 h give-up → 57.6 s), so a 30-minute outage lasts 600 ms.
 */
const SCALE = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (the worker runs on its own schedule, slower on a loaded machine). */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!check(v) && Date.now() < end) {
    await sleep(20);
    v = await read();
  }
  return v;
}

describe('faults: mail outages', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let desk: Desk;
  let worker: OutboxWorker;
  const port = () => sink.port;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ SMTP_URL: sink.url });
    desk = await openDesk(t);
    // These tests time the caller's messages through outages; the supporter's notices (their own e2e:
    // test/notifications/supporter-notices.e2e-spec.ts) would add a retried message per booking to every round.
    const quiet = await t
      .http()
      .patch(`/api/v1/supporters/${desk.supporterId}`)
      .set(bearer(desk.admin))
      .send({ notifyByEmail: false });
    if (quiet.status !== 200) throw new Error(`notifyByEmail: ${quiet.status}`);
    worker = t.app.get(OutboxWorker);
  });
  afterAll(async () => {
    await worker.stop();
    await t.close();
    await sink.close().catch(() => undefined);
  });

  type View = { id: string; channel: string; kind: string; status: string; attempts: number; lastError: string | null };
  const emailConfirmation = async (bookingId: string): Promise<View> => {
    const res = await t.http().get(`/api/v1/bookings/${bookingId}/notifications`).set(bearer(desk.intake));
    expect(res.status).toBe(200);
    return (res.body.notifications as View[]).find((n) => n.channel === 'email' && n.kind === 'confirmation')!;
  };

  it('a 30-minute SMTP outage (refused connections, then 451): every confirmation is delivered exactly once afterwards', async () => {
    worker.configure({
      pollIntervalMs: 5,
      backoffBaseMs: 1,
      backoffCapMs: 600_000 / SCALE,
      jitter: 0.5,
      giveUpAfterMs: (48 * 3_600_000) / SCALE,
    });
    worker.start();
    const booked: { caller: NewCaller; booking: BookingBody }[] = [];
    const bookOne = async () => {
      const caller = await newIntake(t, desk);
      booked.push({ caller, booking: await book(t, desk, caller.intakeId) });
    };

    // the mail server goes away: connections refused
    await sink.close();
    const outageStarted = Date.now();
    for (let i = 0; i < 4; i++) await bookOne();
    const refused = await eventually(
      () => emailConfirmation(booked[0].booking.id),
      (v) => v.lastError !== null,
    );
    expect(refused.status).toBe('pending');
    expect(refused.lastError).toBe('ECONNREFUSED');

    // it answers again, but only "451 try again later"
    sink = await SmtpSink.start(port());
    sink.mode = 'refuse-4xx';
    for (let i = 0; i < 4; i++) await bookOne();
    const during = await eventually(
      () => emailConfirmation(booked[5].booking.id),
      (v) => v.attempts > 1 && v.lastError === 'smtp_451',
    );
    while (Date.now() - outageStarted < (30 * 60_000) / SCALE) await sleep(20);
    // every confirmation has met the outage at least once before it ends
    const tried = await eventually(
      () => Promise.all(booked.map((b) => emailConfirmation(b.booking.id))),
      (views) => views.every((v) => v.lastError !== null),
    );
    expect(tried.map((v) => v.status)).toEqual(booked.map(() => 'pending'));
    expect(sink.mails).toHaveLength(0);
    expect(sink.refused).toBeGreaterThan(0);
    expect(during).toEqual(expect.objectContaining({ status: 'pending', lastError: 'smtp_451' }));
    expect(during.attempts).toBeGreaterThan(1);

    // the outage ends: everything goes out by itself within a capped backoff or two
    sink.mode = 'accept';
    const deadline = Date.now() + 10_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      const rows: { status: string }[] = await t.ds.query(
        `SELECT status FROM outbox_messages WHERE booking_id = ANY($1) AND kind = 'confirmation'`,
        [booked.map((b) => b.booking.id)],
      );
      statuses = rows.map((r) => r.status);
      if (statuses.every((s) => s === 'sent')) break;
      await sleep(20);
    }
    await worker.stop();
    expect(Date.now() - outageStarted).toBeGreaterThanOrEqual((30 * 60_000) / SCALE);
    expect(statuses).toHaveLength(16);
    expect(statuses.every((s) => s === 'sent')).toBe(true);
    for (const { caller, booking } of booked) {
      const mails = sink.to(caller.email!);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toContain(booking.reference);
      const row = (await outboxOf(t, booking.id)).find((r) => r.channel === 'email' && r.kind === 'confirmation')!;
      expect(mails[0].messageId).toBe(row.message_id);
      expect(row.attempts).toBeGreaterThan(1);
    }
    expect(new Set(sink.messageIds()).size).toBe(sink.mails.length);
  });

  it('past OUTBOX_GIVE_UP_AFTER a temporary failure ends failed; an admin resends it (audited) and it is delivered once', async () => {
    await worker.stop();
    worker.configure({ pollIntervalMs: 5, backoffBaseMs: 1, backoffCapMs: 20, jitter: 0, giveUpAfterMs: 300 });
    sink.mode = 'refuse-4xx';
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const started = Date.now();
    let view = await emailConfirmation(b.id);
    while (view.status === 'pending' && Date.now() - started < 5000) {
      await worker.runOnce();
      await sleep(10);
      view = await emailConfirmation(b.id);
    }
    expect(view).toEqual(expect.objectContaining({ status: 'failed', lastError: 'smtp_451' }));
    // retried, and given up only once the give-up time had passed (by the database clock)
    expect(view.attempts).toBeGreaterThanOrEqual(2);
    const [{ ms }]: { ms: number }[] = await t.ds.query(
      `SELECT extract(epoch FROM updated_at - created_at) * 1000 AS ms FROM outbox_messages WHERE id = $1`,
      [view.id],
    );
    expect(Number(ms)).toBeGreaterThanOrEqual(280);
    expect(JSON.stringify(view)).not.toContain(caller.email!);

    // only an admin may resend
    expectProblem(
      await t.http().post(`/api/v1/notifications/${view.id}/resend`).set(bearer(desk.intake)),
      403,
      'forbidden',
    );
    sink.mode = 'accept';
    const res = await t.http().post(`/api/v1/notifications/${view.id}/resend`).set(bearer(desk.admin));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: view.id,
        status: 'pending',
        lastError: 'smtp_451',
        channel: 'email',
        kind: 'confirmation',
      }),
    );
    await worker.runOnce();
    expect(await emailConfirmation(b.id)).toEqual(expect.objectContaining({ status: 'sent', lastError: null }));
    const mails = sink.to(caller.email!);
    expect(mails).toHaveLength(1);
    // the links were kept while it was failed, so the resent message still works
    expect(mails[0].text).toMatch(/\/manage\/[A-Za-z0-9_-]{43}/);

    const audit: { action: string; details: Record<string, unknown> }[] = await t.ds.query(
      `SELECT action, details FROM audit_events WHERE action = 'notification.resend' AND caller_id = $1`,
      [caller.callerId],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual(
      expect.objectContaining({ notificationId: view.id, kind: 'confirmation', channel: 'email', bookingId: b.id }),
    );

    // a sent message cannot be resent; an unknown one is not found; a malformed id is a 400
    expectProblem(
      await t.http().post(`/api/v1/notifications/${view.id}/resend`).set(bearer(desk.admin)),
      409,
      'invalid_transition',
    );
    expectProblem(
      await t.http().post('/api/v1/notifications/7d3f6a80-5b1e-4c2d-9e8f-0a1b2c3d4e5f/resend').set(bearer(desk.admin)),
      404,
      'not_found',
    );
    expectProblem(
      await t.http().post('/api/v1/notifications/not-a-uuid/resend').set(bearer(desk.admin)),
      400,
      'validation_failed',
    );
  });

  it('a pending message whose session has started is expired, not sent late', async () => {
    await worker.stop();
    worker.configure({ giveUpAfterMs: 48 * 3_600_000 });
    sink.mode = 'refuse-4xx';
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await worker.runOnce();
    const rows: { kind: string; channel: string; expires_at: Date }[] = await t.ds.query(
      `SELECT kind, channel, expires_at FROM outbox_messages WHERE booking_id = $1`,
      [b.id],
    );
    // every message about the session stops at its start
    for (const r of rows) expect(r.expires_at.toISOString()).toBe(b.start);
    // the session's start comes while the mail server still refuses (the clock moved on)
    await t.ds.query(`UPDATE outbox_messages SET expires_at = now() - interval '1 second' WHERE booking_id = $1`, [
      b.id,
    ]);
    sink.mode = 'accept';
    const result = await worker.runOnce();
    expect(result.expired).toBeGreaterThanOrEqual(1);
    const view = await emailConfirmation(b.id);
    expect(view).toEqual(expect.objectContaining({ status: 'expired', lastError: 'smtp_451' }));
    expect(sink.to(caller.email!)).toHaveLength(0);
  });
});
