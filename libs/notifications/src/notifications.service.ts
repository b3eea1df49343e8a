import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { APP_CONFIG, AppConfig, DomainError } from '@app/common';
import { PoliciesService } from '@app/policies';
import { BookingMessagesInput, MessageRenderer } from './message-renderer';
import { NotificationsRepository } from './notifications.repository';
import { OutboxMessage } from './outbox-message.entity';
import { CallerMessageKind, Channel, renderAcknowledgement, renderFeedbackInvite } from './templates';

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
    private readonly render: MessageRenderer,
  ) {}

  manageUrl(token: string): string {
    return this.render.manageUrl(token);
  }

  /** PUBLIC_URL/my-week: where a supporter sees the session, and the caller, after signing in. */
  consoleUrl(): string {
    return this.render.consoleUrl();
  }

  /**
   * The messages a booking change produces, in `m`'s transaction: an e-mail
   * (with the invite) when the caller has an address, and an SMS; the
   * reminders of the booking's old time are cancelled, and unless it is a
   * cancellation, new ones (e-mail and SMS) are due 24 h before the start.
   */
  async enqueueBookingMessages(m: EntityManager, input: BookingMessagesInput): Promise<void> {
    if (input.kind !== 'confirmation') await this.repo.cancelPending(input.booking.id, ['reminder'], m);
    await this.repo.insert(this.render.bookingMessages(input, await this.supportLinePhone(m)), m);
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
      inputs.flatMap((input) => this.render.bookingMessages({ ...input, kind: 'confirmation' }, phone, graceMs)),
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
    await this.repo.insert(this.render.plain('acknowledgement', msg, { ...input, bookingId: null }), m);
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
    await this.repo.insert(this.render.plain('feedback', msg, input), m);
  }

  /**
   * GET /bookings/:id/notifications: what was or will be sent to the caller, and how it went; and the notices to
   * the booking's supporters (whether they were told), without their addresses.
   */
  async listForBooking(
    bookingId: string,
  ): Promise<{ notifications: NotificationView[]; supporterNotices: SupporterNoticeView[] }> {
    const all = await this.repo.listForBooking(bookingId);
    const toSupporter = (m: OutboxMessage) => m.kind.startsWith('supporter_');
    return {
      notifications: all.filter((m) => !toSupporter(m)).map(toNotificationView),
      supporterNotices: all.filter(toSupporter).map(toSupporterNoticeView),
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
}
