import type { ParsedMail } from 'mailparser';
import { DateTime } from 'luxon';
import { NotificationsService } from '../../libs/notifications/src';
import { bearer, createSupporter, expectProblem } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import {
  ALL_DAY,
  book,
  Desk,
  DISTINCTIVE,
  manageTokenOf,
  NewCaller,
  newIntake,
  nextStart,
  openDesk,
  outboxOf,
  parseInvite,
} from './helpers';
import { inviteOf, SmtpSink } from './smtp-sink';

/**
 * Issue 18 item 1: the supporter hears of every change to their bookings by e-mail with an invite, through the
 * outbox, and nothing about the caller is in it.
 */
describe('supporters are notified of their bookings (e-mail + invite, no caller data)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let desk: Desk;
  let supporterEmail: string;
  const ZONE = 'Asia/Kolkata';

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      SMTP_URL: sink.url,
      MAIL_FROM: 'Peer Support <no-reply@support.example>',
      PUBLIC_URL: 'https://support.example',
    });
    desk = await openDesk(t);
    desk.worker.configure({ backoffBaseMs: 0, jitter: 0 });
    const res = await t
      .http()
      .patch(`/api/v1/supporters/${desk.supporterId}`)
      .set(bearer(desk.admin))
      .send({ timeZone: ZONE });
    expect(res.status).toBe(200);
    expect(res.body.notifyByEmail).toBe(true);
    supporterEmail = res.body.email;
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** The raw words of a delivered message, headers, bodies and attachments: none may hold the caller's details. */
  function expectNoCallerData(mail: ParsedMail, caller: NewCaller): void {
    const raw = [
      JSON.stringify(mail.headerLines),
      mail.text ?? '',
      String(mail.html ?? ''),
      ...mail.attachments.map((a) => a.content.toString('utf8')),
    ].join('\n');
    // an invite folds lines at 75 octets: unfold before looking
    const flat = raw.replace(/\r?\n[ \t]/g, '');
    const digits = caller.phone.replace(/\D/g, '');
    for (const needle of [
      caller.name,
      caller.name.split(' ')[0],
      caller.email!,
      caller.phone,
      digits,
      `+44${digits.slice(1)}`,
      ...Object.values(DISTINCTIVE),
    ]) {
      expect(flat).not.toContain(needle);
    }
    expect(flat.replace(/\D/g, ' ')).not.toMatch(new RegExp(`\\b${digits.slice(1)}\\b`));
  }

  const toSupporter = (address = supporterEmail) => sink.to(address);

  it('a new booking: the supporter gets an e-mail with a REQUEST (own UID, SEQUENCE 0), the time in their zone, modality, reference and the console link', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const rows = (await outboxOf(t, b.id)).filter((r) => r.kind.startsWith('supporter_'));
    expect(rows.map((r) => [r.kind, r.channel, r.recipient])).toEqual([
      ['supporter_confirmation', 'email', supporterEmail],
    ]);

    await desk.worker.runOnce();
    const mails = toSupporter();
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail.subject).toContain(b.reference);
    const local = DateTime.fromISO(b.start).setZone(ZONE).toFormat('HH:mm');
    expect(mail.text).toContain(`${local}–`);
    expect(mail.text).toContain(`(${ZONE} time)`);
    expect(mail.text).toContain('By phone');
    expect(mail.text).toContain('https://support.example/my-week');
    const invite = parseInvite(inviteOf(mail));
    expect(invite).toEqual(
      expect.objectContaining({
        method: 'REQUEST',
        uid: `${b.id}.supporter.${desk.supporterId}@support-line`,
        sequence: 0,
        status: 'CONFIRMED',
        start: b.start,
        end: b.end,
        attendees: [`mailto:${supporterEmail}`],
      }),
    );
    expect(invite.uid).not.toBe(parseInvite(inviteOf(sink.to(caller.email!)[0])).uid);
    expect(inviteOf(mail)).toContain('URL:https://support.example/my-week');
    expectNoCallerData(mail, caller);
    // the caller's own messages are untouched by this
    expect(sink.to(caller.email!)).toHaveLength(1);
    // the booking's message list is what the caller was sent: the supporter's notice is listed apart
    const list = await t.http().get(`/api/v1/bookings/${b.id}/notifications`).set(bearer(desk.intake));
    expect(list.body.supporterNotices).toEqual([
      expect.objectContaining({ kind: 'confirmation', channel: 'email', status: 'sent', attempts: 1, lastError: null }),
    ]);
    expect(JSON.stringify(list.body.supporterNotices)).not.toContain(supporterEmail);
    expect(list.status).toBe(200);
    expect(list.body.notifications.map((n: { kind: string }) => n.kind).sort()).toEqual([
      'confirmation',
      'confirmation',
      'reminder',
      'reminder',
    ]);
    // not a message to the caller: a subject access request does not list it (nor the supporter's address)
    const own = await t.app.get(NotificationsService).messagesOfCaller(caller.callerId);
    expect(own.map((m) => m.kind).sort()).toEqual(['confirmation', 'confirmation', 'reminder', 'reminder']);
    expect(JSON.stringify(own)).not.toContain(supporterEmail);
    // but it is about the caller's booking: erasing the caller erases it too
    await t.ds.transaction((m) => t.app.get(NotificationsService).eraseCaller(caller.callerId, m));
    const [erased] = await t.ds.query(
      `SELECT recipient, body_text, ics FROM outbox_messages WHERE booking_id = $1 AND kind = 'supporter_confirmation'`,
      [b.id],
    );
    expect(erased).toEqual({ recipient: '[erased]', body_text: '[erased]', ics: null });
  });

  it('reschedule, then cancel: REQUEST with SEQUENCE 1, then CANCEL with SEQUENCE 2, same UID, no caller data', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await desk.worker.runOnce();
    const moved = await t
      .http()
      .post(`/api/v1/bookings/${b.id}/reschedule`)
      .set(bearer(desk.intake))
      .send({ start: nextStart() });
    expect(moved.status).toBe(200);
    await desk.worker.runOnce();
    const cancelled = await t
      .http()
      .post(`/api/v1/bookings/${b.id}/cancel`)
      .set(bearer(desk.intake))
      .send({ reason: 'Caller-Reason-Secret-7781 asked' });
    expect(cancelled.status).toBe(200);
    await desk.worker.runOnce();

    const mails = toSupporter().filter((m) => m.subject?.includes(b.reference));
    expect(mails.map((m) => parseInvite(inviteOf(m))).map((i) => [i.method, i.sequence, i.uid, i.status])).toEqual([
      ['REQUEST', 0, `${b.id}.supporter.${desk.supporterId}@support-line`, 'CONFIRMED'],
      ['REQUEST', 1, `${b.id}.supporter.${desk.supporterId}@support-line`, 'CONFIRMED'],
      ['CANCEL', 2, `${b.id}.supporter.${desk.supporterId}@support-line`, 'CANCELLED'],
    ]);
    expect(parseInvite(inviteOf(mails[1])).start).toBe(moved.body.start);
    for (const m of mails) {
      expectNoCallerData(m, caller);
      expect(JSON.stringify([m.text, m.html, m.attachments.map((a) => a.content.toString())])).not.toContain(
        'Caller-Reason-Secret-7781',
      );
    }
  });

  it('the caller cancels through the manage link: the supporter gets the CANCEL', async () => {
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    const token = await manageTokenOf(t, b.id);
    await desk.worker.runOnce();
    expect((await t.http().post(`/api/v1/manage/${token}/cancel`)).status).toBe(200);
    await desk.worker.runOnce();
    const mails = toSupporter().filter((m) => m.subject?.includes(b.reference));
    expect(mails.map((m) => parseInvite(inviteOf(m)).method)).toEqual(['REQUEST', 'CANCEL']);
    expect(mails[1].text).toContain('no longer yours');
    expectNoCallerData(mails[1], caller);
  });

  it('reassigned: the old supporter gets a CANCEL, the new one a REQUEST of its own UID, each in their own zone', async () => {
    const other = await createSupporter(t, desk.admin, {
      kind: 'counsellor',
      maxActiveCases: 50,
      displayName: 'Dr Omar Reid',
      timeZone: 'America/New_York',
    });
    expect(
      (
        await t
          .http()
          .put(`/api/v1/supporters/${other.id}/availability`)
          .set(bearer(desk.admin))
          .send({ weekly: ALL_DAY })
      ).status,
    ).toBe(200);
    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    await desk.worker.runOnce();
    const res = await t
      .http()
      .post(`/api/v1/bookings/${b.id}/reassign`)
      .set(bearer(desk.intake))
      .send({ supporterId: other.id, reason: 'Rota change' });
    expect(res.status).toBe(200);
    await desk.worker.runOnce();

    const away = toSupporter().filter((m) => m.subject?.includes(b.reference));
    expect(away.map((m) => [parseInvite(inviteOf(m)).method, parseInvite(inviteOf(m)).uid])).toEqual([
      ['REQUEST', `${b.id}.supporter.${desk.supporterId}@support-line`],
      ['CANCEL', `${b.id}.supporter.${desk.supporterId}@support-line`],
    ]);
    const to = toSupporter(other.email);
    expect(to).toHaveLength(1);
    const invite = parseInvite(inviteOf(to[0]));
    expect(invite).toEqual(
      expect.objectContaining({
        method: 'REQUEST',
        uid: `${b.id}.supporter.${other.id}@support-line`,
        attendees: [`mailto:${other.email}`],
      }),
    );
    expect(invite.sequence).toBe(res.body.sequence);
    expect(to[0].text).toContain('(America/New_York time)');
    expect(to[0].text).toContain('A support session has been booked with you.');
    for (const m of [...away, ...to]) expectNoCallerData(m, caller);
    // staff see that both supporters were told (the old one's cancellation and the new one's confirmation are
    // written together), without their addresses
    const list = await t.http().get(`/api/v1/bookings/${b.id}/notifications`).set(bearer(desk.intake));
    expect(list.status).toBe(200);
    const told = (list.body.supporterNotices as { kind: string; channel: string; status: string }[]).map(
      (n) => `${n.kind} ${n.channel} ${n.status}`,
    );
    expect(told[0]).toBe('confirmation email sent');
    expect(told.slice(1).sort()).toEqual(['cancellation email sent', 'confirmation email sent']);
    expect(JSON.stringify(list.body)).not.toContain(other.email);
    expect(JSON.stringify(list.body)).not.toContain('supporter_');
  });

  it('notifyByEmail: the supporter switches them off for itself (and back on); switched off, nothing is written for them', async () => {
    const me = await t.signIn('supporter', desk.supporterId);
    const off = await t
      .http()
      .patch(`/api/v1/supporters/${desk.supporterId}`)
      .set(bearer(me.token))
      .send({ notifyByEmail: false });
    expect(off.status).toBe(200);
    expect(off.body.notifyByEmail).toBe(false);
    expectProblem(
      await t
        .http()
        .patch(`/api/v1/supporters/${desk.supporterId}`)
        .set(bearer(me.token))
        .send({ notifyByEmail: 'no' }),
      400,
      'validation_failed',
    );

    const caller = await newIntake(t, desk);
    const b = await book(t, desk, caller.intakeId);
    expect(
      (await t.http().post(`/api/v1/bookings/${b.id}/cancel`).set(bearer(desk.intake)).send({ reason: 'test' })).status,
    ).toBe(200);
    expect((await outboxOf(t, b.id)).filter((r) => r.kind.startsWith('supporter_'))).toEqual([]);
    await desk.worker.runOnce();
    expect(toSupporter().filter((m) => m.subject?.includes(b.reference))).toEqual([]);
    // the caller still heard
    expect(sink.to(caller.email!).length).toBe(2);

    const on = await t
      .http()
      .patch(`/api/v1/supporters/${desk.supporterId}`)
      .set(bearer(desk.admin))
      .send({ notifyByEmail: true });
    expect(on.body.notifyByEmail).toBe(true);
    const again = await book(t, desk, (await newIntake(t, desk)).intakeId);
    expect((await outboxOf(t, again.id)).filter((r) => r.kind === 'supporter_confirmation')).toHaveLength(1);
  });
});
