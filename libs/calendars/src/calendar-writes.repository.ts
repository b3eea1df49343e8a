import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A claimed write: the booking as it stands now, and the supporter's calendar (if still connected). */
export interface ClaimedWrite {
  bookingId: string;
  supporterId: string;
  claim: string;
  href: string | null;
  etag: string | null;
  attempts: number;
  booking: {
    reference: string;
    startsAt: Date;
    endsAt: Date;
    status: string;
    modality: 'phone' | 'video';
    videoRoom: string | null;
    sequence: number;
    supporterId: string;
  };
  meetingUrl: string | null;
  credentials: string | null;
}

interface RawClaimed {
  booking_id: string;
  supporter_id: string;
  claim: string;
  href: string | null;
  etag: string | null;
  attempts: number;
  reference: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  modality: 'phone' | 'video';
  video_room: string | null;
  sequence: number;
  booking_supporter_id: string;
  meeting_url: string | null;
  credentials: string | null;
}

export interface WritesSummary {
  pending: number;
  failing: number;
  lastError: string | null;
}

/** How long a claimed write is left to its worker before another may take it (a worker that died). */
const LEASE_SECONDS = 120;

/**
 * calendar_writes (migrations/…-CalendarWrites.ts): rows are marked due by a trigger on bookings in the booking's
 * transaction; this library claims, writes and settles them. A settle applies only while the claim is still the
 * row's (`claim`): a booking changed during the write is marked due again by the trigger, which clears the claim,
 * so the newer state is written next, never lost.
 */
@Injectable()
export class CalendarWritesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Claims writes due now. A new booking's first write waits out the confirmation grace period (`graceSeconds`),
   * as the supporter's e-mail does: an undone booking never reaches their calendar.
   */
  async claimDue(limit: number, graceSeconds: number): Promise<ClaimedWrite[]> {
    const rows: RawClaimed[] = await this.ds.query(
      `WITH claimed AS (
         UPDATE calendar_writes w
            SET claim = gen_random_uuid(), due_at = now() + make_interval(secs => $2), attempts = w.attempts + 1,
                last_attempt_at = now()
          WHERE (w.booking_id, w.supporter_id) IN (
                  SELECT d.booking_id, d.supporter_id FROM calendar_writes d JOIN bookings b ON b.id = d.booking_id
                   WHERE d.due_at <= now()
                     AND NOT (d.href IS NULL AND b.status <> 'cancelled'
                              AND b.created_at > now() - make_interval(secs => $3))
                   ORDER BY d.due_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED)
          RETURNING w.*)
       SELECT c.booking_id, c.supporter_id, c.claim, c.href, c.etag, c.attempts,
              b.reference, b.starts_at, b.ends_at, b.status, b.modality, b.video_room, b.sequence,
              b.supporter_id AS booking_supporter_id, s.meeting_url, cc.credentials
         FROM claimed c
         JOIN bookings b ON b.id = c.booking_id
         JOIN supporters s ON s.id = c.supporter_id
         LEFT JOIN calendar_connections cc ON cc.supporter_id = c.supporter_id`,
      [limit, LEASE_SECONDS, graceSeconds],
    );
    return rows.map((r) => ({
      bookingId: r.booking_id,
      supporterId: r.supporter_id,
      claim: r.claim,
      href: r.href,
      etag: r.etag,
      attempts: r.attempts,
      booking: {
        reference: r.reference,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        status: r.status,
        modality: r.modality,
        videoRoom: r.video_room,
        sequence: r.sequence,
        supporterId: r.booking_supporter_id,
      },
      meetingUrl: r.meeting_url,
      credentials: r.credentials,
    }));
  }

  /** Written (or deleted: href null): done until the booking changes again. */
  async settle(w: ClaimedWrite, href: string | null, etag: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE calendar_writes SET href = $3, etag = $4, due_at = NULL, claim = NULL, attempts = 0, last_error = NULL,
              written_at = now()
        WHERE booking_id = $1 AND supporter_id = $2 AND claim = $5`,
      [w.bookingId, w.supporterId, href, etag, w.claim],
    );
  }

  /** Failed: tried again after `retryInSeconds`, the reason (a code, never the server's text) kept for staff. */
  async fail(w: ClaimedWrite, code: string, retryInSeconds: number, overwrite?: { href: string }): Promise<void> {
    // overwrite: the event changed in the calendar; the next attempt writes over it without a precondition
    await this.ds.query(
      `UPDATE calendar_writes SET last_error = $3, claim = NULL, due_at = now() + make_interval(secs => $4),
              href = COALESCE($6, href), etag = CASE WHEN $6::text IS NULL THEN etag END
        WHERE booking_id = $1 AND supporter_id = $2 AND claim = $5`,
      [w.bookingId, w.supporterId, code, retryInSeconds, w.claim, overwrite?.href ?? null],
    );
  }

  /** What the status shows: writes not done yet, those that failed at least once, and the latest reason. */
  async summary(supporterId: string): Promise<WritesSummary> {
    const [r]: { pending: number; failing: number; last_error: string | null }[] = await this.ds.query(
      `SELECT count(*) FILTER (WHERE due_at IS NOT NULL)::int AS pending,
              count(*) FILTER (WHERE due_at IS NOT NULL AND last_error IS NOT NULL)::int AS failing,
              (SELECT last_error FROM calendar_writes WHERE supporter_id = $1 AND due_at IS NOT NULL
                  AND last_error IS NOT NULL ORDER BY last_attempt_at DESC LIMIT 1) AS last_error
         FROM calendar_writes WHERE supporter_id = $1`,
      [supporterId],
    );
    return { pending: r.pending, failing: r.failing, lastError: r.last_error };
  }
}
