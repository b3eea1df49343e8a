// One file for now: rendering and enqueueing of every message kind share one transaction-bound path. Next split
// (noted for the next session): the rendering (messages, invite, supporterMessage, plain) into a MessageRenderer.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { APP_CONFIG, AppConfig, DomainError, videoJoinUrl } from '@app/common';
import { PoliciesService } from '@app/policies';
import { bookingUid, parseMailbox, renderIcs } from './ics';
import { NewOutboxMessage, NotificationsRepository } from './notifications.repository';
import { OutboxMessage } from './outbox-message.entity';
import {
  BookingMessageData,
  BookingMessageKind,
  CallerMessageKind,
  Channel,
  firstName,
  howText,
  PlainMessage,
  renderAcknowledgement,
  renderBookingEmail,
  renderBookingSms,
  renderFeedbackInvite,
  renderSupporterEmail,
  SupporterMessageKind,
  supporterHowText,
} from './templates';

const DAY = 86_400_000;

export interface BookingMessagesInput {
  kind: 'confirmation' | 'reschedule' | 'cancellation';
  booking: {
    id: string;
    reference: string;
    startsAt: Date;
    endsAt: Date;
    modality: 'phone' | 'video';
    sequence: number;
    intakeId?: string | null;
    /** The room under VIDEO_ROOM_BASE_URL (a video session's link: videoJoinUrl). */
    videoRoom?: string | null;
  };
  caller: { id: string; name: string | null; phone: string | null; email: string | null; timeZone: string };
  supporterDisplayName: string;
  /** The supporter's own meeting link: a video session's link when set. */
  supporterMeetingUrl?: string | null;
  /** The booking's current manage token (in clear, only here, only to put in the link); null on cancel. */
  manageToken: string | null;
  /** The booking's supporter: an e-mail with an invite unless they switched these off. */
  supporter?: SupporterRecipient | null;
  /**
   * A reassignment: the supporter the session was taken from (told it is no longer theirs: CANCEL); the new
   * `supporter` is then told of a new session (REQUEST), not of a move.
   */
  formerSupporter?: SupporterRecipient | null;
}

/** What a supporter's notice needs of the supporter: nothing else about them is used. */
export interface SupporterRecipient {
  id: string;
  email: string;
  timeZone: string;
  notifyByEmail: boolean;
}

/**
 * The UID of a supporter's invite: per booking and supporter, distinct from the caller's (`<bookingId>@support-line`).
 * Not the caller's UID with the supporter as a second attendee: that would be one meeting with both of them on
 * it, and a calendar that sees either copy (a shared mailbox, a forwarded invite, a server doing iTIP for its domain)
 * could show the caller's address among the attendees and merge the two copies, whose words differ (the caller's
 * holds the manage link). With the supporter in the UID, a reassignment is a CANCEL of the old supporter's event
 * and a REQUEST of the new one's, and giving the session back to a supporter revives their event (SEQUENCE only
 * grows, as the booking's does).
 */
export function supporterUid(bookingId: string, supporterId: string): string {
  return `${bookingId}.supporter.${supporterId}@support-line`;
}

export interface NotificationView {
  /** What an admin resends (POST /notifications/:id/resend). */
  id: string;
  channel: Channel;
  /** The caller's messages; a booking's list shows its supporters' notices apart (`supporterNotices`). */
  kind: CallerMessageKind;
  status: 'pending' | 'sent' | 'failed' | 'expired';
  attempts: number;
  sentAt: string | null;
  /** When it is (or was) due: a reminder is due 24 h before the session. */
  dueAt: string;
  /** Why the last attempt failed, as a short reason (`smtp_451`, `ECONNREFUSED`, `http_400`); never an address or a number. */
  lastError: string | null;
}

/** The short reason at the head of last_error (see describeError). */
function shortReason(lastError: string | null): string | null {
  if (!lastError) return null;
  const head = lastError.split(':')[0].trim();
  return /^[A-Za-z0-9_]{1,40}$/.test(head) ? head : 'error';
}

export function toNotificationView(m: OutboxMessage): NotificationView {
  return {
    id: m.id,
    channel: m.channel,
    kind: m.kind as CallerMessageKind,
    status: m.status as NotificationView['status'],
    attempts: m.attempts,
    sentAt: m.sentAt ? m.sentAt.toISOString() : null,
    dueAt: m.dueAt.toISOString(),
    lastError: m.status === 'sent' ? null : shortReason(m.lastError),
  };
}

/** A notice to a supporter about one of their bookings, as staff see it: no address, the kind without its prefix. */
export interface SupporterNoticeView extends Omit<NotificationView, 'kind'> {
  kind: 'confirmation' | 'reschedule' | 'cancellation';
}

export function toSupporterNoticeView(m: OutboxMessage): SupporterNoticeView {
  return { ...toNotificationView(m), kind: m.kind.replace(/^supporter_/, '') as SupporterNoticeView['kind'] };
}

/**
 * Writes messages to the outbox inside the caller's transaction; the
 * OutboxWorker delivers them. Owns outbox_messages.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly policies: PoliciesService,
  ) {}

  manageUrl(token: string): string {
    return `${this.config.publicUrl}/manage/${token}`;
  }

  /**
   * The messages a booking change produces, in `m`'s transaction: an e-mail
   * (with the invite) when the caller has an address, and an SMS; the
   * reminders of the booking's old time are cancelled, and unless it is a
   * cancellation, new ones (e-mail and SMS) are due 24 h before the start.
   */
  async enqueueBookingMessages(m: EntityManager, input: BookingMessagesInput): Promise<void> {
    if (input.kind !== 'confirmation') await this.repo.cancelPending(input.booking.id, ['reminder'], m);
    await this.repo.insert(this.bookingMessages(input, await this.supportLinePhone(m)), m);
  }

  /** The line's number for the messages (from the one-second policy cache: booking has just read it). */
  private async supportLinePhone(m: EntityManager): Promise<string | null> {
    return (await this.policies.get(m)).supportLinePhone;
  }

  /**
   * New bookings' confirmations and reminders (a series' all at once), in `m`'s transaction: one statement.
   * The confirmations are due CONFIRMATION_GRACE_SECONDS from now, so the booking's creator can still undo
   * it (discardUnsent) before the caller hears anything.
   */
  async enqueueConfirmations(m: EntityManager, inputs: Omit<BookingMessagesInput, 'kind'>[]): Promise<void> {
    const graceMs = this.config.confirmationGraceSeconds * 1000;
    const phone = await this.supportLinePhone(m);
    await this.repo.insert(
      inputs.flatMap((input) => this.bookingMessages({ ...input, kind: 'confirmation' }, phone, graceMs)),
      m,
    );
  }

  /**
   * Undo of a new booking, in `m`'s transaction: its messages are cancelled before any of them has been tried.
   * Returns false, changing nothing, when one has already been sent, tried or claimed by a worker (the caller
   * may have heard: the booking must then be cancelled with notice instead).
   */
  async discardUnsent(bookingId: string, m: EntityManager): Promise<boolean> {
    return this.repo.cancelAllIfUntouched(bookingId, m);
  }

  /** The messages (rendered, not yet written) that a booking change produces. */
  private bookingMessages(
    input: BookingMessagesInput,
    supportLinePhone: string | null,
    graceMs = 0,
  ): NewOutboxMessage[] {
    const { booking, caller } = input;
    const now = new Date();

    const data: BookingMessageData = {
      reference: booking.reference,
      start: booking.startsAt,
      end: booking.endsAt,
      modality: booking.modality,
      timeZone: caller.timeZone,
      supporterFirstName: firstName(input.supporterDisplayName),
      manageUrl: input.manageToken ? this.manageUrl(input.manageToken) : null,
      supportLinePhone,
      videoUrl: this.videoUrl(input),
    };
    const rows: NewOutboxMessage[] = [];
    const ics = caller.email ? this.invite(input, data, now) : null;
    rows.push(...this.messages(input.kind, data, input, new Date(now.getTime() + graceMs), ics));

    const reminderDue = new Date(booking.startsAt.getTime() - DAY);
    // A reminder due before the confirmation leaves (inside the grace period) would be the caller's first news.
    if (input.kind !== 'cancellation' && reminderDue.getTime() > now.getTime() + graceMs) {
      rows.push(...this.messages('reminder', data, input, reminderDue, null));
    }

    // The supporter's notices: due with the caller's (after the grace period for a new booking, so an undo
    // discards them too: the supporter hears nothing of a booking that never stood).
    const dueAt = new Date(now.getTime() + graceMs);
    if (input.formerSupporter)
      rows.push(...this.supporterMessage('supporter_cancellation', input, input.formerSupporter, dueAt, now));
    if (input.supporter) {
      const kind: SupporterMessageKind =
        input.kind === 'cancellation'
          ? 'supporter_cancellation'
          : input.kind === 'confirmation' || input.formerSupporter
            ? 'supporter_confirmation'
            : 'supporter_reschedule';
      rows.push(...this.supporterMessage(kind, input, input.supporter, dueAt, now));
    }
    return rows;
  }

  /** A video session's join link (the supporter's own, else the booking's room under VIDEO_ROOM_BASE_URL), or null. */
  private videoUrl(input: BookingMessagesInput): string | null {
    if (input.booking.modality !== 'video') return null;
    return videoJoinUrl(input.supporterMeetingUrl, this.config.videoRoomBaseUrl, input.booking.videoRoom);
  }

  /** PUBLIC_URL/my-week: where a supporter sees the session, and the caller, after signing in. */
  consoleUrl(): string {
    return `${this.config.publicUrl}/my-week`;
  }

  /**
   * A supporter's e-mail with its invite: reference, time in the supporter's zone, modality, console link;
   * nothing about the caller. Linked to the caller (caller_id) because it is about their booking: erasing the
   * caller erases it too (the reference goes with the rest); a subject access request leaves it out (it is not a
   * message to the caller, and the supporter's address is not theirs).
   */
  private supporterMessage(
    kind: SupporterMessageKind,
    input: BookingMessagesInput,
    to: SupporterRecipient,
    dueAt: Date,
    now: Date,
  ): NewOutboxMessage[] {
    if (!to.notifyByEmail) return [];
    const { booking } = input;
    const consoleUrl = this.consoleUrl();
    const cancelled = kind === 'supporter_cancellation';
    const email = renderSupporterEmail(kind, {
      reference: booking.reference,
      start: booking.startsAt,
      end: booking.endsAt,
      modality: booking.modality,
      timeZone: to.timeZone,
      consoleUrl,
      videoUrl: cancelled ? null : this.videoUrl(input),
    });
    const videoUrl = cancelled ? null : this.videoUrl(input);
    const ics = renderIcs({
      method: cancelled ? 'CANCEL' : 'REQUEST',
      uid: supporterUid(booking.id, to.id),
      sequence: booking.sequence,
      start: booking.startsAt,
      end: booking.endsAt,
      stamp: now,
      summary: `Support session (${booking.reference})`,
      description: cancelled
        ? `This session is no longer yours.\nReference: ${booking.reference}`
        : [
            supporterHowText(booking.modality, videoUrl),
            `Reference: ${booking.reference}`,
            `Caller's details, after sign-in: ${consoleUrl}`,
          ].join('\n'),
      location: videoUrl ?? (booking.modality === 'phone' ? 'By phone' : 'Video call'),
      url: videoUrl ?? consoleUrl,
      organizer: parseMailbox(this.config.mailFrom),
      attendeeEmail: to.email,
    });
    const id = randomUUID();
    return [
      {
        id,
        messageId: `<${id}@support-line>`,
        bookingId: booking.id,
        intakeId: booking.intakeId ?? null,
        callerId: input.caller.id,
        kind,
        channel: 'email',
        recipient: to.email,
        subject: email.subject,
        bodyText: email.text,
        bodyHtml: email.html,
        ics,
        personalisation: null,
        dueAt,
        expiresAt: booking.startsAt,
      },
    ];
  }

  /** A web request arrived (e-mail when given, and SMS), in `m`'s transaction. */
  async enqueueAcknowledgement(
    m: EntityManager,
    input: {
      intakeId: string;
      callerId: string;
      email: string | null;
      phone: string | null;
      reference: string;
      callbackWorkingHours: number;
    },
  ): Promise<void> {
    const msg = renderAcknowledgement({
      reference: input.reference,
      callbackWorkingHours: input.callbackWorkingHours,
      supportLinePhone: await this.supportLinePhone(m),
    });
    await this.repo.insert(this.plain('acknowledgement', msg, { ...input, bookingId: null }), m);
  }

  /** After a completed session: the link to the anonymous feedback form. */
  async enqueueFeedback(
    m: EntityManager,
    input: {
      bookingId: string;
      intakeId: string;
      callerId: string;
      email: string | null;
      phone: string | null;
      token: string;
    },
  ): Promise<void> {
    const msg = renderFeedbackInvite({ url: `${this.config.publicUrl}/feedback/${input.token}` });
    await this.repo.insert(this.plain('feedback', msg, input), m);
  }

  private plain(
    kind: 'acknowledgement' | 'feedback',
    msg: PlainMessage,
    to: { bookingId: string | null; intakeId: string; callerId: string; email: string | null; phone: string | null },
  ): NewOutboxMessage[] {
    const base = {
      bookingId: to.bookingId,
      intakeId: to.intakeId,
      callerId: to.callerId,
      kind,
      dueAt: new Date(),
      ics: null,
    };
    const out: NewOutboxMessage[] = [];
    if (to.email) {
      const id = randomUUID();
      out.push({
        ...base,
        id,
        messageId: `<${id}@support-line>`,
        channel: 'email',
        recipient: to.email,
        subject: msg.subject,
        bodyText: msg.text,
        bodyHtml: msg.html,
        personalisation: null,
      });
    }
    if (to.phone) {
      const id = randomUUID();
      out.push({
        ...base,
        id,
        messageId: `<${id}@support-line>`,
        channel: 'sms',
        recipient: to.phone,
        subject: null,
        bodyText: msg.sms.text,
        bodyHtml: null,
        personalisation: msg.sms.personalisation,
      });
    }
    return out;
  }

  /**
   * GET /bookings/:id/notifications: what was or will be sent to the caller, and how it went; and the notices to
   * the booking's supporters (whether they were told), without their addresses.
   */
  async listForBooking(
    bookingId: string,
  ): Promise<{ notifications: NotificationView[]; supporterNotices: SupporterNoticeView[] }> {
    const [toCaller, toSupporters] = await Promise.all([
      this.repo.listForBooking(bookingId, 'caller'),
      this.repo.listForBooking(bookingId, 'supporter'),
    ]);
    return {
      notifications: toCaller.map(toNotificationView),
      supporterNotices: toSupporters.map(toSupporterNoticeView),
    };
  }

  async listForIntake(intakeId: string): Promise<{ notifications: NotificationView[] }> {
    return { notifications: (await this.repo.listForIntake(intakeId)).map(toNotificationView) };
  }

  /**
   * An admin's resend of a failed or expired message: pending again, due now,
   * retried afresh for OUTBOX_GIVE_UP_AFTER; audited. 404 for an unknown id,
   * 409 invalid_transition for any other status (or an erased message).
   */
  async resend(id: string): Promise<NotificationView> {
    const result = await this.repo.resend(id);
    if (result === 'not_found') throw DomainError.notFound('The notification');
    if ('refused' in result) {
      throw new DomainError(
        'invalid_transition',
        result.refused === 'erased'
          ? 'This message was erased with its caller and cannot be resent.'
          : `Only a failed or expired message can be resent; this one is ${result.refused}.`,
      );
    }
    await this.audit.record('notification.resend', result.callerId, {
      notificationId: id,
      kind: result.kind,
      channel: result.channel,
      bookingId: result.bookingId,
    });
    return toNotificationView(result);
  }

  /** Subject access: every message to the caller, with its words, as they were sent. */
  async messagesOfCaller(callerId: string) {
    return (await this.repo.listForCaller(callerId)).map((o) => ({
      id: o.id,
      bookingId: o.bookingId,
      intakeId: o.intakeId,
      channel: o.channel,
      kind: o.kind,
      status: o.status,
      recipient: o.recipient,
      subject: o.subject,
      body: o.bodyText,
      attempts: o.attempts,
      createdAt: o.createdAt.toISOString(),
      dueAt: o.dueAt.toISOString(),
      sentAt: o.sentAt ? o.sentAt.toISOString() : null,
    }));
  }

  /**
   * Erasure, in the caller's transaction: pending messages are cancelled and every copy of address and
   * words removed, including the .eml files written when there is no SMTP server.
   */
  async eraseCaller(callerId: string, m: EntityManager): Promise<void> {
    const emails = await this.repo.emailIdsOfCaller(callerId, m);
    await this.repo.eraseCaller(callerId, m);
    if (!this.config.smtpUrl) {
      for (const id of emails) rmSync(join(this.config.dataDir, 'outbox', `${id}.eml`), { force: true });
    }
  }

  private messages(
    kind: BookingMessageKind,
    data: BookingMessageData,
    input: BookingMessagesInput,
    dueAt: Date,
    ics: string | null,
  ): NewOutboxMessage[] {
    const base = {
      bookingId: input.booking.id,
      intakeId: input.booking.intakeId ?? null,
      callerId: input.caller.id,
      kind,
      dueAt,
      // nothing about a session is sent once it has begun (the worker marks it expired)
      expiresAt: input.booking.startsAt,
    };
    const out: NewOutboxMessage[] = [];
    if (input.caller.email) {
      const email = renderBookingEmail(kind, data);
      const id = randomUUID();
      out.push({
        ...base,
        id,
        messageId: `<${id}@support-line>`,
        channel: 'email',
        recipient: input.caller.email,
        subject: email.subject,
        bodyText: email.text,
        bodyHtml: email.html,
        ics,
        personalisation: null,
      });
    }
    if (input.caller.phone) {
      const sms = renderBookingSms(kind, data);
      const id = randomUUID();
      out.push({
        ...base,
        id,
        messageId: `<${id}@support-line>`,
        channel: 'sms',
        recipient: input.caller.phone,
        subject: null,
        bodyText: sms.text,
        bodyHtml: null,
        ics: null,
        personalisation: sms.personalisation,
      });
    }
    return out;
  }

  private invite(input: BookingMessagesInput, data: BookingMessageData, now: Date): string {
    const cancelled = input.kind === 'cancellation';
    const summary = `Support session (${data.reference})`;
    return renderIcs({
      method: cancelled ? 'CANCEL' : 'REQUEST',
      uid: bookingUid(input.booking.id),
      sequence: input.booking.sequence,
      start: input.booking.startsAt,
      end: input.booking.endsAt,
      stamp: now,
      summary,
      description: cancelled
        ? `This session has been cancelled.\nReference: ${data.reference}`
        : [
            howText(data.modality, data.videoUrl),
            `Reference: ${data.reference}`,
            ...(data.manageUrl ? [`Cancel or see your booking: ${data.manageUrl}`] : []),
          ].join('\n'),
      location: data.videoUrl ?? (data.modality === 'phone' ? 'By phone' : 'Video call'),
      url: (cancelled ? null : data.videoUrl) ?? data.manageUrl ?? undefined,
      organizer: parseMailbox(this.config.mailFrom),
      attendeeEmail: input.caller.email!,
    });
  }
}
