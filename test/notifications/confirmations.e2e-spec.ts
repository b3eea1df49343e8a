import { DateTime } from 'luxon';
import { bearer, expectProblem } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import {
  book,
  Desk,
  DISTINCTIVE,
  manageTokenOf,
  newIntake,
  nextStart,
  openDesk,
  outboxOf,
  parseInvite,
} from './helpers';
import { inviteOf, SmtpSink } from './smtp-sink';

describe('confirmations: outbox, e-mail with invite, SMS, reminders', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      SMTP_URL: sink.url,
      MAIL_FROM: 'Peer Support <no-reply@support.example>',
      PUBLIC_URL: 'https://support.example',
    });
    desk = await openDesk(t);
    desk.worker.configure({ backoffBaseMs: 0, jitter: 0 });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const notifications = async (bookingId: string, token = desk.intake) => {
    const res = await t.http().get(`/api/v1/bookings/${bookingId}/notifications`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body.notifications as {
      channel: string;
      kind: string;
      status: string;
      attempts: number;
      sentAt: string | null;
      dueAt: string;
    }[];
  };

  it('a booking writes an e-mail and an SMS; the worker delivers an e-mail whose invite parses back', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);

    const before = await outboxOf(t, b.id);
    expect(before.filter((r) => r.kind === 'confirmation').map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'pending', 0],
      ['sms', 'pending', 0],
    ]);

    const result = await desk.worker.runOnce();
    expect(result.sent).toBeGreaterThanOrEqual(2);

    const mails = sink.to(caller.email!);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    const row = (await outboxOf(t, b.id)).find((r) => r.channel === 'email' && r.kind === 'confirmation')!;
    expect(mail.messageId).toBe(row.message_id);
    expect(mail.from?.text).toContain('no-reply@support.example');
    expect(mail.subject).toContain(b.reference);

    const invite = parseInvite(inviteOf(mail));
    expect(invite).toEqual(
      expect.objectContaining({
        method: 'REQUEST',
        uid: `${b.id}@support-line`,
        sequence: 0,
        status: 'CONFIRMED',
        start: b.start,
        end: b.end,
        startZone: 'UTC',
        organizer: 'mailto:no-reply@support.example',
        attendees: [`mailto:${caller.email}`],
      }),
    );
    expect(inviteOf(mail)).toContain(
      `DTSTART:${DateTime.fromISO(b.start, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'")}`,
    );
    const calendarPart = mail.attachments.find((a) => /text\/calendar/.test(a.contentType));
    expect(calendarPart).toBeDefined();
  });

  it('once sent, the stored copy keeps no manage link (the token is kept only hashed); pending reminders still hold theirs', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const token = await manageTokenOf(t, b.id);
    await desk.worker.runOnce();

    // the caller got the link, and it works
    const delivered = sink.to(caller.email!)[0];
    expect(delivered.text).toContain(`/manage/${token}`);
    expect((await t.http().get(`/api/v1/manage/${token}`)).status).toBe(200);

    const rows: {
      kind: string;
      channel: string;
      status: string;
      body_text: string;
      body_html: string | null;
      ics: string | null;
      personalisation: unknown;
    }[] = await t.ds.query(
      `SELECT kind, channel, status, body_text, body_html, ics, personalisation FROM outbox_messages WHERE booking_id = $1 ORDER BY kind, channel`,
      [b.id],
    );
    const sent = rows.filter((r) => r.kind === 'confirmation');
    expect(sent.map((r) => r.status)).toEqual(['sent', 'sent']);
    for (const r of sent) {
      const stored = [r.body_text, r.body_html ?? '', r.ics ?? '', JSON.stringify(r.personalisation ?? {})].join('\n');
      expect(stored).not.toContain(token);
      expect(r.body_text).toContain('/manage/[link removed once settled]');
      expect(r.body_text).toContain(b.reference);
      expect(r.ics).toBeNull();
    }
    const pending = rows.filter((r) => r.kind === 'reminder');
    expect(pending.map((r) => r.status)).toEqual(['pending', 'pending']);
    for (const r of pending) expect(r.body_text).toContain(`/manage/${token}`);

    // a cancel settles the reminders too: cancelled, and their links cut out
    expect(
      (
        await t
          .http()
          .post(`/api/v1/bookings/${b.id}/cancel`)
          .set(bearer(desk.intake))
          .send({ reason: 'Caller asked to cancel' })
      ).status,
    ).toBe(200);
    const after: { status: string; body_text: string }[] = await t.ds.query(
      `SELECT status, body_text FROM outbox_messages WHERE booking_id = $1 AND kind = 'reminder'`,
      [b.id],
    );
    expect(after.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    for (const r of after) expect(r.body_text).not.toContain(token);
  });

  it('the message says when (caller zone, named), how, the reference and the manage link, and nothing personal', async () => {
    const caller = await newIntake(t, desk, { timeZone: 'America/New_York' });
    const b = await book(t, desk, caller.intakeId, nextStart(), { modality: 'phone' });
    await desk.worker.runOnce();
    const [mail] = sink.to(caller.email!);
    const when = DateTime.fromISO(b.start).setZone('America/New_York').setLocale('en-GB');
    expect(mail.text).toContain(`${when.toFormat('cccc d LLLL yyyy, HH:mm')}–`);
    expect(mail.text).toContain('(America/New_York time)');
    expect(mail.text).toContain('Your supporter will phone you');
    expect(mail.text).toContain(b.reference);
    expect(mail.text).toMatch(/https:\/\/support\.example\/manage\/[A-Za-z0-9_-]{43}/);
    expect(mail.html).toContain(b.reference);
    const everything = JSON.stringify({
      text: mail.text,
      html: mail.html,
      subject: mail.subject,
      invite: inviteOf(mail).replace(/\r\n /g, ''),
    });
    for (const word of [
      DISTINCTIVE.specialty,
      DISTINCTIVE.workplace,
      DISTINCTIVE.ethnicity,
      caller.name,
      'Vantongeren',
    ]) {
      expect(everything).not.toContain(word);
    }
    const sms = (await outboxOf(t, b.id)).find((r) => r.channel === 'sms' && r.kind === 'confirmation')!;
    expect(sms.status).toBe('sent');
    expect(sms.recipient).toBe('+447700' + caller.phone.replace(/\D/g, '').slice(-6));
    expect(sms.body_text).toContain(b.reference);
  });

  it('a caller without an e-mail gets the SMS only', async () => {
    const caller = await newIntake(t, desk, { email: null });
    const b = await book(t, desk, caller.intakeId);
    const rows = (await outboxOf(t, b.id)).filter((r) => r.kind === 'confirmation');
    expect(rows.map((r) => r.channel)).toEqual(['sms']);
  });

  it('a booking that fails writes no messages (same transaction)', async () => {
    const first = await newIntake(t, desk);
    const second = await newIntake(t, desk);
    const start = nextStart();
    await book(t, desk, first.intakeId, start);
    const [{ count: before }] = await t.ds.query(`SELECT count(*)::int AS count FROM outbox_messages`);
    const res = await t
      .http()
      .post('/api/v1/bookings')
      .set(bearer(desk.intake))
      .send({ intakeId: second.intakeId, supporterId: desk.supporterId, start });
    expectProblem(res, 409, 'slot_taken');
    const [{ count: after }] = await t.ds.query(`SELECT count(*)::int AS count FROM outbox_messages`);
    expect(after).toBe(before);
  });

  it('a series confirms each of its bookings', async () => {
    const caller = await newIntake(t, desk);
    const res = await t
      .http()
      .post('/api/v1/bookings/series')
      .set(bearer(desk.intake))
      .send({
        intakeId: caller.intakeId,
        supporterId: desk.supporterId,
        start: DateTime.utc().startOf('hour').plus({ days: 40, minutes: 30 }).toISO(),
        count: 3,
        intervalWeeks: 1,
      });
    expect(res.status).toBe(201);
    for (const b of res.body.bookings) {
      const rows = (await outboxOf(t, b.id)).filter((r) => r.kind === 'confirmation');
      expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
    }
    const tokens = await Promise.all(res.body.bookings.map((b: { id: string }) => manageTokenOf(t, b.id)));
    expect(new Set(tokens).size).toBe(3);
  });

  it('reschedule: same UID, higher SEQUENCE, a new manage link (the old one answers 404)', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const oldToken = await manageTokenOf(t, b.id);
    expect((await t.http().get(`/api/v1/manage/${oldToken}`)).status).toBe(200);

    const res = await t
      .http()
      .post(`/api/v1/bookings/${b.id}/reschedule`)
      .set(bearer(desk.intake))
      .send({ start: nextStart() });
    expect(res.status).toBe(200);
    // read before delivery: once sent, the stored copy no longer holds the link
    const newToken = await manageTokenOf(t, b.id, 'reschedule');
    await desk.worker.runOnce();

    const mails = sink.to(caller.email!);
    expect(mails).toHaveLength(2);
    const [first, second] = [parseInvite(inviteOf(mails[0])), parseInvite(inviteOf(mails[1]))].sort(
      (a, b) => a.sequence - b.sequence,
    );
    expect(second.uid).toBe(first.uid);
    expect(first.sequence).toBe(0);
    expect(second.sequence).toBe(1);
    expect(second.method).toBe('REQUEST');
    expect(second.start).toBe(res.body.start);

    expect(newToken).not.toBe(oldToken);
    expectProblem(await t.http().get(`/api/v1/manage/${oldToken}`), 404, 'not_found');
    const view = await t.http().get(`/api/v1/manage/${newToken}`);
    expect(view.status).toBe(200);
    expect(view.body.start).toBe(res.body.start);
  });

  it('cancel: METHOD:CANCEL, STATUS:CANCELLED, same UID, SEQUENCE raised', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await t
      .http()
      .post(`/api/v1/bookings/${b.id}/reschedule`)
      .set(bearer(desk.intake))
      .send({ start: nextStart() })
      .expect(200);
    const res = await t
      .http()
      .post(`/api/v1/bookings/${b.id}/cancel`)
      .set(bearer(desk.intake))
      .send({ reason: 'Caller asked' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    await desk.worker.runOnce();

    const invites = sink.to(caller.email!).map((m) => parseInvite(inviteOf(m)));
    expect(invites.map((i) => [i.method, i.sequence])).toEqual(
      expect.arrayContaining([
        ['REQUEST', 0],
        ['REQUEST', 1],
        ['CANCEL', 2],
      ]),
    );
    const cancel = invites.find((i) => i.method === 'CANCEL')!;
    expect(cancel.uid).toBe(`${b.id}@support-line`);
    expect(cancel.status).toBe('CANCELLED');
    const cancelMail = sink.to(caller.email!).find((m) => /cancelled/i.test(m.subject ?? ''))!;
    expect(cancelMail.text).toContain(b.reference);
    expect(cancelMail.text).not.toContain('/manage/');
  });

  it('GET /bookings/:id/notifications lists every message with channel, kind, status, attempts, sentAt', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const pending = await notifications(b.id);
    expect(pending).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'email',
          kind: 'confirmation',
          status: 'pending',
          attempts: 0,
          sentAt: null,
        }),
        expect.objectContaining({ channel: 'sms', kind: 'confirmation', status: 'pending', attempts: 0, sentAt: null }),
      ]),
    );
    await desk.worker.runOnce();
    const sent = (await notifications(b.id)).filter((n) => n.kind === 'confirmation');
    expect(sent).toHaveLength(2);
    for (const n of sent) {
      expect(n.status).toBe('sent');
      expect(n.attempts).toBe(1);
      expect(n.sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Object.keys(n).sort()).toEqual([
        'attempts',
        'channel',
        'dueAt',
        'id',
        'kind',
        'lastError',
        'sentAt',
        'status',
      ]);
    }
  });

  it('notifications: a supporter sees its own booking’s, not another’s; unknown booking 404', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const own = (await t.signIn('supporter', desk.supporterId)).token;
    expect((await notifications(b.id, own)).length).toBeGreaterThan(0);
    const other = await t
      .http()
      .post('/api/v1/supporters')
      .set(bearer(desk.admin))
      .send({
        kind: 'counsellor',
        displayName: 'Other',
        email: `other-${Date.now()}@test.local`,
        timeZone: 'Europe/London',
        maxActiveCases: 3,
      });
    const stranger = (await t.signIn('supporter', other.body.id)).token;
    expectProblem(await t.http().get(`/api/v1/bookings/${b.id}/notifications`).set(bearer(stranger)), 404, 'not_found');
    expectProblem(
      await t
        .http()
        .get('/api/v1/bookings/00000000-0000-4000-8000-000000000000/notifications')
        .set(bearer(desk.intake)),
      404,
      'not_found',
    );
    expect((await t.http().get(`/api/v1/bookings/${b.id}/notifications`)).status).toBe(401);
  });

  describe('reminders', () => {
    it('are due 24 h before the session, one e-mail and one SMS, and are not sent early', async () => {
      const caller = await newIntake(t, desk);
      const b = await book(t, desk, caller.intakeId);
      const reminders = (await outboxOf(t, b.id)).filter((r) => r.kind === 'reminder');
      expect(reminders.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
      for (const r of reminders) {
        expect(r.due_at.toISOString()).toBe(new Date(Date.parse(b.start) - 86_400_000).toISOString());
        expect(r.status).toBe('pending');
      }
      await desk.worker.runOnce();
      expect((await outboxOf(t, b.id)).filter((r) => r.kind === 'reminder').map((r) => r.status)).toEqual([
        'pending',
        'pending',
      ]);
      expect(sink.to(caller.email!).filter((m) => /Reminder/.test(m.subject ?? ''))).toHaveLength(0);
      const listed = (await notifications(b.id)).filter((n) => n.kind === 'reminder');
      expect(listed).toHaveLength(2);
      expect(listed.every((n) => n.status === 'pending' && n.dueAt === reminders[0].due_at.toISOString())).toBe(true);
    });

    it('a reminder that comes due is sent like any message', async () => {
      const caller = await newIntake(t, desk);
      const b = await book(t, desk, caller.intakeId);
      // As if a day had passed: the reminders are due now.
      await t.ds.query(`UPDATE outbox_messages SET due_at = now() WHERE booking_id = $1 AND kind = 'reminder'`, [b.id]);
      await desk.worker.runOnce();
      const reminder = sink.to(caller.email!).find((m) => /Reminder/.test(m.subject ?? ''));
      expect(reminder?.text).toContain(b.reference);
      expect((await outboxOf(t, b.id)).filter((r) => r.kind === 'reminder').map((r) => r.status)).toEqual([
        'sent',
        'sent',
      ]);
    });

    it('none when the session is less than 24 h away', async () => {
      const caller = await newIntake(t, desk);
      const start = DateTime.utc().startOf('hour').plus({ hours: 5 }).toISO();
      const b = await book(t, desk, caller.intakeId, start);
      const rows = await outboxOf(t, b.id);
      expect(rows.filter((r) => r.kind === 'reminder')).toHaveLength(0);
      expect(rows.filter((r) => r.kind === 'confirmation')).toHaveLength(2);
    });

    it('a cancel cancels the pending reminders (left out of the list)', async () => {
      const caller = await newIntake(t, desk);
      const b = await book(t, desk, caller.intakeId);
      await t
        .http()
        .post(`/api/v1/bookings/${b.id}/cancel`)
        .set(bearer(desk.intake))
        .send({ reason: 'No longer needed' })
        .expect(200);
      const reminders = (await outboxOf(t, b.id)).filter((r) => r.kind === 'reminder');
      expect(reminders.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
      const listed = await notifications(b.id);
      expect(listed.filter((n) => n.kind === 'reminder')).toHaveLength(0);
      expect(
        listed
          .filter((n) => n.kind === 'cancellation')
          .map((n) => n.channel)
          .sort(),
      ).toEqual(['email', 'sms']);
    });

    it('a reschedule replaces them with reminders for the new time', async () => {
      const caller = await newIntake(t, desk);
      const b = await book(t, desk, caller.intakeId);
      const newStart = nextStart(5);
      await t
        .http()
        .post(`/api/v1/bookings/${b.id}/reschedule`)
        .set(bearer(desk.intake))
        .send({ start: newStart })
        .expect(200);
      const reminders = (await outboxOf(t, b.id)).filter((r) => r.kind === 'reminder');
      expect(reminders.filter((r) => r.status === 'cancelled')).toHaveLength(2);
      const live = reminders.filter((r) => r.status === 'pending');
      expect(live).toHaveLength(2);
      for (const r of live)
        expect(r.due_at.toISOString()).toBe(new Date(Date.parse(newStart) - 86_400_000).toISOString());
    });
  });
});

describe('without SMTP_URL: e-mails are written to DATA_DIR/outbox/*.eml', () => {
  let t: TestApp;
  let desk: Desk;
  beforeAll(async () => {
    t = await startTestApp();
    desk = await openDesk(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('one .eml per e-mail, named by the outbox row, with the invite', async () => {
    const { readFileSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { simpleParser } = await import('mailparser');
    const { APP_CONFIG } = await import('../../libs/common/src');
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await desk.worker.runOnce();
    const row = (await outboxOf(t, b.id)).find((r) => r.channel === 'email' && r.kind === 'confirmation')!;
    expect(row.status).toBe('sent');
    const file = join(t.app.get(APP_CONFIG).dataDir, 'outbox', `${row.id}.eml`);
    expect(existsSync(file)).toBe(true);
    const mail = await simpleParser(readFileSync(file));
    expect(mail.messageId).toBe(row.message_id);
    expect(parseInvite(inviteOf(mail)).uid).toBe(`${b.id}@support-line`);
  });
});
