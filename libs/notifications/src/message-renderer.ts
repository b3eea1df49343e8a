import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, videoJoinUrl } from '@app/common';
import { bookingUid, parseMailbox, renderIcs } from './ics';
import type { NewOutboxMessage } from './notifications.repository';
import {
  BookingMessageData,
  BookingMessageKind,
  firstName,
  howText,
  PlainMessage,
  renderBookingEmail,
  renderBookingSms,
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

/** What every row of one message shares whatever its channel: whose, which kind, when due, when too late. */
type Envelope = Pick<NewOutboxMessage, 'bookingId' | 'intakeId' | 'callerId' | 'kind' | 'dueAt' | 'expiresAt'>;

function emailRow(
  envelope: Envelope,
  recipient: string,
  email: { subject: string; text: string; html: string },
  ics: string | null,
): NewOutboxMessage {
  const id = randomUUID();
  return {
    ...envelope,
    id,
    messageId: `<${id}@support-line>`,
    channel: 'email',
    recipient,
    subject: email.subject,
    bodyText: email.text,
    bodyHtml: email.html,
    ics,
    personalisation: null,
  };
}

function smsRow(
  envelope: Envelope,
  recipient: string,
  sms: { text: string; personalisation: Record<string, string> },
): NewOutboxMessage {
  const id = randomUUID();
  return {
    ...envelope,
    id,
    messageId: `<${id}@support-line>`,
    channel: 'sms',
    recipient,
    subject: null,
    bodyText: sms.text,
    bodyHtml: null,
    ics: null,
    personalisation: sms.personalisation,
  };
}

/**
 * Turns a booking change (or an acknowledgement, or a feedback invitation) into outbox rows: each message's words
 * (templates.ts), its invite (ics.ts), its recipient and when it is due. Writes nothing: NotificationsService puts
 * the rows into the outbox in the caller's transaction.
 */
@Injectable()
export class MessageRenderer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'publicUrl' | 'videoRoomBaseUrl' | 'mailFrom'>,
  ) {}

  manageUrl(token: string): string {
    return `${this.config.publicUrl}/manage/${token}`;
  }

  /** The messages (rendered, not yet written) that a booking change produces. */
  bookingMessages(input: BookingMessagesInput, supportLinePhone: string | null, graceMs = 0): NewOutboxMessage[] {
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
    const envelope = {
      bookingId: booking.id,
      intakeId: booking.intakeId ?? null,
      callerId: input.caller.id,
      kind,
      dueAt,
      expiresAt: booking.startsAt,
    };
    return [emailRow(envelope, to.email, email, ics)];
  }

  plain(
    kind: 'acknowledgement' | 'feedback',
    msg: PlainMessage,
    to: { bookingId: string | null; intakeId: string; callerId: string; email: string | null; phone: string | null },
  ): NewOutboxMessage[] {
    const envelope = { bookingId: to.bookingId, intakeId: to.intakeId, callerId: to.callerId, kind, dueAt: new Date() };
    const out: NewOutboxMessage[] = [];
    if (to.email) out.push(emailRow(envelope, to.email, msg, null));
    if (to.phone) out.push(smsRow(envelope, to.phone, msg.sms));
    return out;
  }

  private messages(
    kind: BookingMessageKind,
    data: BookingMessageData,
    input: BookingMessagesInput,
    dueAt: Date,
    ics: string | null,
  ): NewOutboxMessage[] {
    const envelope = {
      bookingId: input.booking.id,
      intakeId: input.booking.intakeId ?? null,
      callerId: input.caller.id,
      kind,
      dueAt,
      // nothing about a session is sent once it has begun (the worker marks it expired)
      expiresAt: input.booking.startsAt,
    };
    const out: NewOutboxMessage[] = [];
    if (input.caller.email) out.push(emailRow(envelope, input.caller.email, renderBookingEmail(kind, data), ics));
    if (input.caller.phone) out.push(smsRow(envelope, input.caller.phone, renderBookingSms(kind, data)));
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
