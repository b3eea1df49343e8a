import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/database/src/data-source';
import {
  LogSmsTransport,
  NotificationsRepository,
  OutboxMessage,
  OutboxWorker,
  SmtpMailTransport,
} from '../../libs/notifications/src';
import { bearer } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { book, Desk, manageTokenOf, newIntake, openDesk, outboxOf } from './helpers';
import { SmtpSink } from './smtp-sink';

describe('outbox delivery: retries, failures, concurrent workers, crashed workers', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let desk: Desk;
  const logged: string[] = [];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ SMTP_URL: sink.url });
    desk = await openDesk(t);
    // These tests count the caller's messages of each booking; the supporter's notices have their own e2e
    // (supporter-notices.e2e-spec.ts) and are switched off here.
    const quiet = await t
      .http()
      .patch(`/api/v1/supporters/${desk.supporterId}`)
      .set(bearer(desk.admin))
      .send({ notifyByEmail: false });
    if (quiet.status !== 200) throw new Error(`notifyByEmail: ${quiet.status}`);
    const capture = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    };
    jest.spyOn(Logger.prototype, 'log').mockImplementation(capture);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(capture);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(capture);
  });
  beforeEach(() => {
    sink.mode = 'accept';
    sink.delayMs = 0;
    desk.worker.configure({ backoffBaseMs: 0, jitter: 0, maxAttempts: 8, batchSize: 10 });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    await sink.close();
  });

  const statuses = async (bookingId: string) => {
    const res = await t.http().get(`/api/v1/bookings/${bookingId}/notifications`).set(bearer(desk.intake));
    expect(res.status).toBe(200);
    return (
      res.body.notifications as {
        channel: string;
        kind: string;
        status: string;
        attempts: number;
        sentAt: string | null;
      }[]
    ).filter((n) => n.kind !== 'reminder');
  };

  it('an outage (SMTP 451, temporary): retried, delivered after recovery, attempts counted, none duplicated', async () => {
    const mode = 'refuse-4xx';
    sink.mode = mode;
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);

    await desk.worker.runOnce();
    await desk.worker.runOnce();
    const during = await statuses(b.id);
    expect(during.find((n) => n.channel === 'email')).toEqual(
      expect.objectContaining({ status: 'pending', attempts: 2, sentAt: null }),
    );
    // The SMS does not wait for the mail server.
    expect(during.find((n) => n.channel === 'sms')).toEqual(expect.objectContaining({ status: 'sent', attempts: 1 }));
    const row = (await outboxOf(t, b.id)).find((r) => r.channel === 'email' && r.kind === 'confirmation')!;
    expect(row.last_error).toMatch(/^smtp_451: /);
    expect(row.last_error).not.toContain(caller.email!);
    expect(sink.to(caller.email!)).toHaveLength(0);

    sink.mode = 'accept';
    await desk.worker.runOnce();
    await desk.worker.runOnce();
    const after = await statuses(b.id);
    expect(after.find((n) => n.channel === 'email')).toEqual(expect.objectContaining({ status: 'sent', attempts: 3 }));
    const mails = sink.to(caller.email!);
    expect(mails).toHaveLength(1);
    expect(mails[0].messageId).toBe(row.message_id);
  });

  it('a retry waits for its backoff (not due again at once)', async () => {
    desk.worker.configure({ backoffBaseMs: 60_000 });
    sink.mode = 'refuse-4xx';
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await desk.worker.runOnce();
    const row = (await outboxOf(t, b.id)).find((r) => r.channel === 'email' && r.kind === 'confirmation')!;
    const [{ wait }] = await t.ds.query(
      `SELECT extract(epoch FROM due_at - now())::float AS wait FROM outbox_messages WHERE id = $1`,
      [row.id],
    );
    expect(wait).toBeGreaterThan(60);
    sink.mode = 'accept';
    await desk.worker.runOnce();
    expect((await outboxOf(t, b.id)).find((r) => r.id === row.id)!.attempts).toBe(1);
    expect(sink.to(caller.email!)).toHaveLength(0);
  });

  it('a permanent refusal (SMTP 554) is failed at once, with its reason; nothing is sent when the server accepts again', async () => {
    sink.mode = 'refuse-5xx';
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await desk.worker.runOnce();
    const email = (await statuses(b.id)).find((n) => n.channel === 'email');
    expect(email).toEqual(
      expect.objectContaining({ status: 'failed', attempts: 1, sentAt: null, lastError: 'smtp_554' }),
    );
    sink.mode = 'accept';
    await desk.worker.runOnce();
    expect((await statuses(b.id)).find((n) => n.channel === 'email')).toEqual(
      expect.objectContaining({ status: 'failed', attempts: 1 }),
    );
    expect(sink.to(caller.email!)).toHaveLength(0);
  });

  it('failed only when the attempts are spent; pending until then', async () => {
    desk.worker.configure({ maxAttempts: 3 });
    sink.mode = 'refuse-4xx';
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await desk.worker.runOnce();
    await desk.worker.runOnce();
    expect((await statuses(b.id)).find((n) => n.channel === 'email')).toEqual(
      expect.objectContaining({ status: 'pending', attempts: 2 }),
    );
    await desk.worker.runOnce();
    expect((await statuses(b.id)).find((n) => n.channel === 'email')).toEqual(
      expect.objectContaining({ status: 'failed', attempts: 3, sentAt: null }),
    );
    sink.mode = 'accept';
    await desk.worker.runOnce();
    expect((await statuses(b.id)).find((n) => n.channel === 'email')).toEqual(
      expect.objectContaining({ status: 'failed', attempts: 3 }),
    );
    expect(sink.to(caller.email!)).toHaveLength(0);
  });

  it('two workers at once (separate connections) send each message exactly once', async () => {
    const callers = await Promise.all(Array.from({ length: 12 }, () => newIntake(t, desk)));
    const bookings = [];
    for (const c of callers) bookings.push(await book(t, desk, c.intakeId));

    const url = (t.ds.options as { url: string }).url;
    const ds2 = new DataSource(dataSourceOptions(url, { entities: [OutboxMessage], migrations: [] }));
    await ds2.initialize();
    const mail2 = new SmtpMailTransport(sink.url);
    const second = new OutboxWorker(
      new NotificationsRepository(ds2),
      mail2,
      new LogSmsTransport(),
      { mailFrom: 'Peer Support <no-reply@localhost>', worker: false },
      {
        batchSize: 2,
        backoffBaseMs: 0,
        jitter: 0,
      },
    );
    desk.worker.configure({ batchSize: 2 });
    sink.delayMs = 15;
    try {
      const [a, b] = await Promise.all([desk.worker.runOnce(), second.runOnce()]);
      expect(a.sent + b.sent).toBe(bookings.length * 2);
      // Both really worked.
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
    } finally {
      mail2.close();
      await ds2.destroy();
    }
    for (const [i, booking] of bookings.entries()) {
      const rows = (await outboxOf(t, booking.id)).filter((r) => r.kind === 'confirmation');
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ['sent', 1],
        ['sent', 1],
      ]);
      expect(sink.to(callers[i].email!)).toHaveLength(1);
    }
    const ids = sink.messageIds();
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a worker that dies mid-send leaves the message to another after its lease; the resend keeps its Message-ID', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const repo = t.app.get(NotificationsRepository);
    // Worker "A" claims and dies before recording anything.
    const claimed = await repo.claim(100, 60_000, 8);
    const mine = claimed.filter((m) => m.bookingId === b.id);
    expect(mine).toHaveLength(2);

    // While A's lease holds, nobody else sends it.
    await desk.worker.runOnce();
    expect(
      (await outboxOf(t, b.id)).filter((r) => r.kind === 'confirmation').map((r) => [r.status, r.attempts]),
    ).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(sink.to(caller.email!)).toHaveLength(0);

    // The lease runs out.
    await t.ds.query(`UPDATE outbox_messages SET locked_until = now() - interval '1 second' WHERE id = ANY($1)`, [
      mine.map((m) => m.id),
    ]);
    await desk.worker.runOnce();
    const rows = (await outboxOf(t, b.id)).filter((r) => r.kind === 'confirmation');
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
    ]);
    const mails = sink.to(caller.email!);
    expect(mails).toHaveLength(1);
    expect(mails[0].messageId).toBe(rows.find((r) => r.channel === 'email')!.message_id);
  });

  it('a reminder cancelled while it is being sent is recorded as sent (it was), and the log says so', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await desk.worker.runOnce(); // the confirmations
    const before = sink.to(caller.email!).length;
    await t.ds.query(`UPDATE outbox_messages SET due_at = now() WHERE booking_id = $1 AND kind = 'reminder'`, [b.id]);
    sink.delayMs = 400;
    const run = desk.worker.runOnce();
    // the e-mail reminder is in the mail server's hands, not yet accepted: now the booking is cancelled
    for (let i = 0; i < 200 && sink.answering === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sink.answering).toBeGreaterThan(0);
    expect(
      (await t.http().post(`/api/v1/bookings/${b.id}/cancel`).set(bearer(desk.intake)).send({ reason: 'Caller asked' }))
        .status,
    ).toBe(200);
    await run;

    const reminder = (await outboxOf(t, b.id)).find((r) => r.kind === 'reminder' && r.channel === 'email')!;
    expect(
      sink
        .to(caller.email!)
        .slice(before)
        .filter((m) => m.messageId === reminder.message_id),
    ).toHaveLength(1); // it went out
    expect(reminder.status).toBe('sent');
    expect(logged.some((l) => /email reminder .* though cancelled while it was being sent/.test(l))).toBe(true);
    // staff see it among the booking's notifications, and the cancellation follows it
    const res = await t.http().get(`/api/v1/bookings/${b.id}/notifications`).set(bearer(desk.intake));
    const kinds = (res.body.notifications as { channel: string; kind: string; status: string }[])
      .filter((n) => n.channel === 'email')
      .map((n) => `${n.kind}:${n.status}`);
    expect(kinds).toEqual(expect.arrayContaining(['reminder:sent', expect.stringMatching(/^cancellation:/)]));
  });

  it('a message whose last attempt was lost with its worker ends failed', async () => {
    desk.worker.configure({ maxAttempts: 1 });
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const repo = t.app.get(NotificationsRepository);
    const claimed = (await repo.claim(100, 60_000, 1)).filter((m) => m.bookingId === b.id);
    expect(claimed).toHaveLength(2);
    await t.ds.query(`UPDATE outbox_messages SET locked_until = now() - interval '1 second' WHERE id = ANY($1)`, [
      claimed.map((m) => m.id),
    ]);
    await desk.worker.runOnce();
    const rows = (await outboxOf(t, b.id)).filter((r) => r.kind === 'confirmation');
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(rows[0].last_error).toMatch(/worker stopped/);
  });

  it('start()/stop(): the polling loop delivers by itself and stops cleanly', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    desk.worker.configure({ pollIntervalMs: 20 });
    desk.worker.start();
    expect(desk.worker.isRunning).toBe(true);
    try {
      for (let i = 0; i < 500 && sink.to(caller.email!).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await desk.worker.stop();
    }
    expect(desk.worker.isRunning).toBe(false);
    expect(sink.to(caller.email!)).toHaveLength(1);
    expect((await outboxOf(t, b.id)).filter((r) => r.kind === 'confirmation').map((r) => r.status)).toEqual([
      'sent',
      'sent',
    ]);
  });

  it('logs name no recipient, body or token', async () => {
    const rows: { recipient: string; body_text: string; subject: string | null; booking_id: string }[] =
      await t.ds.query(`SELECT recipient, body_text, subject, booking_id FROM outbox_messages`);
    expect(logged.length).toBeGreaterThan(0);
    const all = logged.join('\n');
    for (const r of rows) {
      expect(all).not.toContain(r.recipient);
      expect(all).not.toContain(r.body_text.slice(0, 40));
      if (r.subject) expect(all).not.toContain(r.subject);
    }
    // the sent messages no longer hold it (see confirmations); the reminder, not yet due, does
    const token = await manageTokenOf(t, rows[0].booking_id, 'reminder');
    expect(all).not.toContain(token);
    expect(all).not.toMatch(/7700\s?900/);
  });
});
