import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { queryPrepared } from '@app/database';
import { OutboxMessage } from './outbox-message.entity';
import type { MessageKind } from './templates';

export type NewOutboxMessage = Pick<
  OutboxMessage,
  | 'id'
  | 'bookingId'
  | 'intakeId'
  | 'callerId'
  | 'channel'
  | 'kind'
  | 'recipient'
  | 'subject'
  | 'bodyText'
  | 'bodyHtml'
  | 'ics'
  | 'personalisation'
  | 'dueAt'
  | 'messageId'
> & { expiresAt?: Date | null };

interface Row {
  id: string;
  booking_id: string | null;
  intake_id: string | null;
  caller_id: string | null;
  channel: OutboxMessage['channel'];
  kind: OutboxMessage['kind'];
  recipient: string;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  ics: string | null;
  personalisation: Record<string, string> | null;
  status: OutboxMessage['status'];
  attempts: number;
  due_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  message_id: string;
  expires_at: Date | null;
  resent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function fromRow(r: Row): OutboxMessage {
  return Object.assign(new OutboxMessage(), {
    id: r.id,
    bookingId: r.booking_id,
    intakeId: r.intake_id,
    callerId: r.caller_id,
    channel: r.channel,
    kind: r.kind,
    recipient: r.recipient,
    subject: r.subject,
    bodyText: r.body_text,
    bodyHtml: r.body_html,
    ics: r.ics,
    personalisation: r.personalisation,
    status: r.status,
    attempts: r.attempts,
    dueAt: r.due_at,
    lockedUntil: r.locked_until,
    lastError: r.last_error,
    sentAt: r.sent_at,
    messageId: r.message_id,
    expiresAt: r.expires_at,
    resentAt: r.resent_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

/**
 * The caller's messages, without the supporter's notices (kinds supporter_*): the intake's and the caller's message
 * lists are what the caller was sent (the supporter's address is not the caller's to see in a subject access
 * request). The booking's list holds both; the service shows them apart.
 */
const CALLERS_ONLY = `o.kind NOT LIKE 'supporter\\_%'`;

/** TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected]. */
function returned<T>(result: unknown): T[] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number'
    ? (result[0] as T[])
    : (result as T[]);
}

/** The outbox_messages table. All timing uses the database clock, so several workers agree on it. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** INSERT of pending messages in `m`'s transaction, in one statement: the rows travel as one JSON parameter. */
  async insert(rows: NewOutboxMessage[], m: EntityManager): Promise<void> {
    if (!rows.length) return;
    const json = rows.map((r) => ({
      id: r.id,
      booking_id: r.bookingId,
      intake_id: r.intakeId,
      caller_id: r.callerId,
      channel: r.channel,
      kind: r.kind,
      recipient: r.recipient,
      subject: r.subject,
      body_text: r.bodyText,
      body_html: r.bodyHtml,
      ics: r.ics,
      personalisation: r.personalisation,
      due_at: r.dueAt,
      message_id: r.messageId,
      expires_at: r.expiresAt ? r.expiresAt.toISOString() : null,
    }));
    await queryPrepared(
      m,
      `INSERT INTO outbox_messages (id, booking_id, intake_id, caller_id, channel, kind, recipient, subject, body_text, body_html, ics, personalisation, due_at, message_id, expires_at)
       SELECT o.id, o.booking_id, o.intake_id, o.caller_id, o.channel, o.kind, o.recipient, o.subject, o.body_text, o.body_html, o.ics, o.personalisation, o.due_at, o.message_id, o.expires_at
         FROM json_to_recordset($1::json)
           AS o(id uuid, booking_id uuid, intake_id uuid, caller_id uuid, channel text, kind text, recipient text, subject text, body_text text,
                body_html text, ics text, personalisation jsonb, due_at timestamptz, message_id text, expires_at timestamptz)`,
      [JSON.stringify(json)],
    );
  }

  /** Pending messages of these kinds for a booking will not be sent (a reminder of a time that no longer holds). */
  async cancelPending(bookingId: string, kinds: MessageKind[], m: EntityManager): Promise<number> {
    const rows = returned(
      await m.query(
        `UPDATE outbox_messages SET status = 'cancelled', locked_until = NULL, updated_at = now()
        WHERE booking_id = $1 AND kind = ANY($2) AND status = 'pending'
        RETURNING id`,
        [bookingId, kinds],
      ),
    );
    return rows.length;
  }

  /**
   * Every pending message of the booking is cancelled, but only when none has been tried, sent or claimed yet
   * (the rows are locked first, so a worker cannot claim one in between); false and nothing changed otherwise.
   */
  async cancelAllIfUntouched(bookingId: string, m: EntityManager): Promise<boolean> {
    const rows: { status: string; attempts: number; claimed: boolean }[] = await m.query(
      `SELECT status, attempts, coalesce(locked_until > now(), false) AS claimed FROM outbox_messages WHERE booking_id = $1 FOR UPDATE`,
      [bookingId],
    );
    if (rows.some((r) => (r.status !== 'pending' && r.status !== 'cancelled') || r.attempts > 0 || r.claimed))
      return false;
    await m.query(
      `UPDATE outbox_messages SET status = 'cancelled', updated_at = now() WHERE booking_id = $1 AND status = 'pending'`,
      [bookingId],
    );
    return true;
  }

  /**
   * Every message of the booking that was or will be sent, the caller's and its supporters' notices (kinds
   * supporter_*) alike; cancelled reminders are left out.
   */
  listForBooking(bookingId: string): Promise<OutboxMessage[]> {
    return this.ds
      .getRepository(OutboxMessage)
      .createQueryBuilder('o')
      .where('o.booking_id = :bookingId', { bookingId })
      .andWhere(`o.status <> 'cancelled'`)
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.due_at', 'ASC')
      .addOrderBy('o.channel', 'ASC')
      .getMany();
  }

  listForIntake(intakeId: string): Promise<OutboxMessage[]> {
    return this.ds
      .getRepository(OutboxMessage)
      .createQueryBuilder('o')
      .where('o.intake_id = :intakeId', { intakeId })
      .andWhere(`o.status <> 'cancelled'`)
      .andWhere(CALLERS_ONLY)
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.due_at', 'ASC')
      .addOrderBy('o.channel', 'ASC')
      .getMany();
  }

  /** The messages sent to the caller: the supporter's notices about the caller's bookings are not theirs (nor is the supporter's address). */
  listForCaller(callerId: string): Promise<OutboxMessage[]> {
    return this.ds
      .getRepository(OutboxMessage)
      .createQueryBuilder('o')
      .where('o.caller_id = :callerId', { callerId })
      .andWhere(CALLERS_ONLY)
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.due_at', 'ASC')
      .getMany();
  }

  /** Erasure: nothing pending is sent, and no copy of the address, number or words is kept. */
  async emailIdsOfCaller(callerId: string, m: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM outbox_messages WHERE caller_id = $1 AND channel = 'email'`,
      [callerId],
    );
    return rows.map((r) => r.id);
  }

  async eraseCaller(callerId: string, m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE outbox_messages
          SET status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END,
              recipient = '[erased]', subject = CASE WHEN subject IS NULL THEN NULL ELSE '[erased]' END,
              body_text = '[erased]', body_html = NULL, ics = NULL, personalisation = NULL, locked_until = NULL, updated_at = now()
        WHERE caller_id = $1`,
      [callerId],
    );
  }

  /**
   * Claims up to `limit` due messages for `leaseMs`, counting the attempt now
   * (so a worker that dies mid-send has still used one). SKIP LOCKED lets
   * several workers claim side by side; the lease keeps a claimed message
   * from every other worker until it runs out.
   */
  async claim(limit: number, leaseMs: number, maxAttempts: number, exceptIds: string[] = []): Promise<OutboxMessage[]> {
    const rows = returned<Row>(
      await this.ds.query(
        `UPDATE outbox_messages o
          SET attempts = o.attempts + 1, locked_until = now() + $2 * interval '1 millisecond', updated_at = now()
        WHERE o.id IN (
          SELECT id FROM outbox_messages
           WHERE status = 'pending' AND due_at <= now()
             AND (locked_until IS NULL OR locked_until < now())
             AND (expires_at IS NULL OR expires_at > now())
             AND attempts < $3
             AND NOT (id = ANY($4::uuid[]))
           ORDER BY due_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING o.*`,
        [limit, leaseMs, maxAttempts, exceptIds],
      ),
    );
    return rows.map(fromRow).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  /**
   * Records a message the transport accepted. A message cancelled while it was
   * being sent (its booking changed meanwhile) is recorded as sent too: it was,
   * and staff reading the booking's notifications must see what the caller got.
   * Returns what the row said before ('pending', 'cancelled'), or null when it
   * was already settled otherwise.
   */
  async markSent(id: string): Promise<'pending' | 'cancelled' | null> {
    const rows = returned<{ was: 'pending' | 'cancelled' }>(
      await this.ds.query(
        `UPDATE outbox_messages o SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL, updated_at = now()
         FROM (SELECT id, status AS was FROM outbox_messages WHERE id = $1 FOR UPDATE) before
        WHERE o.id = before.id AND before.was IN ('pending', 'cancelled')
        RETURNING before.was`,
        [id],
      ),
    );
    return rows[0]?.was ?? null;
  }

  /**
   * A temporary failure: due again after `delayMs`, unless retrying has gone
   * on for `giveUpAfterMs` since the message was written (or resent): then it
   * is `failed`. Returns the status it now has.
   */
  async markRetry(
    id: string,
    delayMs: number,
    error: string,
    giveUpAfterMs: number,
  ): Promise<'pending' | 'failed' | null> {
    const rows = returned<{ status: 'pending' | 'failed' }>(
      await this.ds.query(
        `UPDATE outbox_messages
          SET status = CASE WHEN now() + $2 * interval '1 millisecond' > coalesce(resent_at, created_at) + $4 * interval '1 millisecond' THEN 'failed' ELSE 'pending' END,
              due_at = now() + $2 * interval '1 millisecond', locked_until = NULL, last_error = $3, updated_at = now()
        WHERE id = $1 AND status = 'pending'
        RETURNING status`,
        [id, delayMs, error.slice(0, 500), giveUpAfterMs],
      ),
    );
    return rows[0]?.status ?? null;
  }

  /** Pending messages whose session has started: not sent late, `expired`. */
  async expireStale(): Promise<number> {
    const rows = returned(
      await this.ds.query(
        `UPDATE outbox_messages SET status = 'expired', locked_until = NULL, updated_at = now()
        WHERE status = 'pending' AND expires_at <= now() AND (locked_until IS NULL OR locked_until < now())
        RETURNING id`,
      ),
    );
    return rows.length;
  }

  /**
   * An admin's resend of a failed or expired message: pending and due now,
   * retried afresh for the give-up time. 'not_found', or the status that
   * makes it impossible (an erased message cannot be resent either).
   */
  async resend(id: string): Promise<OutboxMessage | 'not_found' | { refused: string }> {
    return this.ds.transaction(async (m) => {
      const found: { status: string; recipient: string }[] = await m.query(
        `SELECT status, recipient FROM outbox_messages WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!found.length) return 'not_found' as const;
      if (found[0].recipient === '[erased]') return { refused: 'erased' };
      if (found[0].status !== 'failed' && found[0].status !== 'expired') return { refused: found[0].status };
      const rows = returned<Row>(
        await m.query(
          `UPDATE outbox_messages SET status = 'pending', due_at = now(), resent_at = now(), expires_at = NULL, locked_until = NULL, updated_at = now()
          WHERE id = $1 RETURNING *`,
          [id],
        ),
      );
      return fromRow(rows[0]);
    });
  }

  /** One message (for its caller id and view). */
  async findById(id: string): Promise<OutboxMessage | null> {
    return this.ds.getRepository(OutboxMessage).findOne({ where: { id } });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE outbox_messages SET status = 'failed', locked_until = NULL, last_error = $2, updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, error.slice(0, 500)],
    );
  }

  /** Messages whose last attempt was claimed by a worker that never reported back: no attempt is left. */
  async failAbandoned(maxAttempts: number): Promise<number> {
    const rows = returned(
      await this.ds.query(
        `UPDATE outbox_messages
          SET status = 'failed', locked_until = NULL, updated_at = now(),
              last_error = left(coalesce(last_error || '; ', '') || 'the worker stopped during the last attempt', 500)
        WHERE status = 'pending' AND attempts >= $1 AND (locked_until IS NULL OR locked_until < now())
        RETURNING id`,
        [maxAttempts],
      ),
    );
    return rows.length;
  }
}
