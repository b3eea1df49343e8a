import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { entityColumns, hydrateEntity, isExclusionViolation, isUniqueViolation } from '@app/database';
import { ACTIVE_STATUSES, Caller, Intake } from '@app/intake';
import type { Interval } from '@app/scheduling';
import { Supporter } from '@app/supporters';
import { Booking, BookingEvent, BookingStatus } from './booking.entity';
import { generateReference } from './reference';

export interface BookingFilter {
  supporterId?: string;
  callerId?: string;
  intakeId?: string;
  status?: BookingStatus;
  from?: Date;
  to?: Date;
  afterId?: string;
  limit: number;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** Two bookings drew the same reference; the transaction is retried. */
export class ReferenceCollision extends Error {}

/** Maps the two overlap constraints to the contract's conflicts. */
export function translateOverlap(err: unknown): DomainError | undefined {
  if (isExclusionViolation(err, 'ex_bookings_supporter_overlap')) {
    return new DomainError('slot_taken', 'The supporter already has a session at that time.');
  }
  if (isExclusionViolation(err, 'ex_bookings_caller_overlap')) {
    return new DomainError('caller_busy', 'The caller already has a session at that time.');
  }
  return undefined;
}

@Injectable()
export class BookingsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /**
   * Inserts a confirmed booking and its 'created' history entry: one
   * statement, one round trip. An overlap becomes slot_taken / caller_busy; a
   * (one in a billion) reference collision aborts the transaction with
   * ReferenceCollision, and the use case runs again.
   */
  async insert(
    values: Omit<Booking, 'id' | 'reference' | 'createdAt' | 'updatedAt'>,
    createdBy: { actorUserId: string | null; actorRole: string | null },
    m: EntityManager,
  ): Promise<Booking> {
    const row = { ...values, reference: generateReference() };
    try {
      const [inserted]: { id: string; created_at: Date; updated_at: Date }[] = await m.query(
        `WITH b AS (
           INSERT INTO bookings (reference, intake_id, supporter_id, caller_id, starts_at, ends_at, blocked_until, modality, status,
                                 sequence, series_id, created_by, manage_token_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           RETURNING id, created_at, updated_at
         ), e AS (
           INSERT INTO booking_events (booking_id, kind, actor_user_id, actor_role) SELECT id, 'created', $14, $15 FROM b
         )
         SELECT id, created_at, updated_at FROM b`,
        [
          row.reference, row.intakeId, row.supporterId, row.callerId, row.startsAt, row.endsAt, row.blockedUntil, row.modality, row.status,
          row.sequence, row.seriesId, row.createdBy, row.manageTokenHash, createdBy.actorUserId, createdBy.actorRole,
        ],
      );
      return Object.assign(new Booking(), row, { id: inserted.id, createdAt: inserted.created_at, updatedAt: inserted.updated_at });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_bookings_reference')) throw new ReferenceCollision();
      throw translateOverlap(err) ?? err;
    }
  }

  /**
   * The booking hot path, first statement: locks the intake and the supporter
   * (in that order, as assignment does) and reads the caller with them. Null
   * when the intake or the supporter does not exist; the caller then takes the
   * step-by-step path, which says which.
   */
  async lockForBooking(intakeId: string, supporterId: string, m: EntityManager): Promise<{ intake: Intake; caller: Caller; supporter: Supporter } | null> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT ${entityColumns(this.ds, Intake, 'i')}, ${entityColumns(this.ds, Caller, 'c')}, ${entityColumns(this.ds, Supporter, 's')}
         FROM intakes i JOIN callers c ON c.id = i.caller_id JOIN supporters s ON s.id = $2
        WHERE i.id = $1
          FOR UPDATE OF i, s`,
      [intakeId, supporterId],
    );
    if (!rows.length) return null;
    const [row] = rows;
    return {
      intake: hydrateEntity(this.ds, Intake, 'i', row),
      caller: hydrateEntity(this.ds, Caller, 'c', row),
      supporter: hydrateEntity(this.ds, Supporter, 's', row),
    };
  }

  /**
   * The booking hot path, second statement (after the locks, so it sees every
   * change committed before them): the supporter's weekly rules, time off
   * overlapping the range (epoch ms) and active caseload other than this intake.
   */
  async scheduleForBooking(
    supporterId: string,
    intakeId: string,
    range: Interval,
    m: EntityManager,
  ): Promise<{ rules: { weekday: number; startMinute: number; endMinute: number }[]; timeOff: Interval[]; activeCases: number }> {
    const [row]: { rules: [number, number, number][]; time_off: [number, number][]; active: number }[] = await m.query(
      `SELECT
         (SELECT coalesce(json_agg(json_build_array(r.weekday, r.start_minute, r.end_minute) ORDER BY r.weekday, r.start_minute), '[]')
            FROM availability_rules r WHERE r.supporter_id = $1) AS rules,
         (SELECT coalesce(json_agg(json_build_array(date_part('epoch', t.starts_at) * 1000, date_part('epoch', t.ends_at) * 1000) ORDER BY t.starts_at), '[]')
            FROM time_off t WHERE t.supporter_id = $1 AND t.starts_at < $4 AND t.ends_at > $3) AS time_off,
         (SELECT count(*)::int FROM intakes a WHERE a.supporter_id = $1 AND a.status = ANY($5) AND a.id <> $2) AS active`,
      [supporterId, intakeId, new Date(range.start), new Date(range.end), ACTIVE_STATUSES],
    );
    return {
      rules: row.rules.map(([weekday, startMinute, endMinute]) => ({ weekday, startMinute, endMinute })),
      timeOff: row.time_off.map(([start, end]) => ({ start, end })),
      activeCases: row.active,
    };
  }

  async save(b: Booking, m: EntityManager): Promise<Booking> {
    try {
      await m.query('SAVEPOINT booking_update');
      const saved = await m.getRepository(Booking).save(b);
      await m.query('RELEASE SAVEPOINT booking_update');
      return saved;
    } catch (err) {
      await m.query('ROLLBACK TO SAVEPOINT booking_update');
      throw translateOverlap(err) ?? err;
    }
  }

  find(id: string, manager?: EntityManager): Promise<Booking | null> {
    return this.m(manager).getRepository(Booking).findOneBy({ id });
  }

  findByManageTokenHash(hash: string): Promise<Booking | null> {
    return this.ds.getRepository(Booking).findOneBy({ manageTokenHash: hash });
  }

  lockByManageTokenHash(hash: string, m: EntityManager): Promise<Booking | null> {
    return m.getRepository(Booking).createQueryBuilder('b').setLock('pessimistic_write').where('b.manage_token_hash = :hash', { hash }).getOne();
  }

  /** The intake's confirmed sessions that have not started, locked. */
  lockFutureOfIntake(intakeId: string, m: EntityManager): Promise<Booking[]> {
    return m.getRepository(Booking).createQueryBuilder('b').setLock('pessimistic_write')
      .where("b.intake_id = :intakeId AND b.status = 'confirmed' AND b.starts_at > now()", { intakeId })
      .orderBy('b.starts_at', 'ASC').getMany();
  }

  lock(id: string, m: EntityManager): Promise<Booking | null> {
    return m.getRepository(Booking).createQueryBuilder('b').setLock('pessimistic_write').where('b.id = :id', { id }).getOne();
  }

  addEvent(e: Omit<BookingEvent, 'id' | 'at'>, m: EntityManager): Promise<unknown> {
    return m.getRepository(BookingEvent).insert(e);
  }

  events(bookingId: string): Promise<BookingEvent[]> {
    return this.ds.getRepository(BookingEvent).find({ where: { bookingId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Confirmed sessions of these supporters overlapping the range, unbuffered, per supporter (epoch ms: no Date parsing). */
  async busyOfSupporters(ids: string[], range: Interval, manager?: EntityManager, exceptBookingId?: string): Promise<Map<string, Interval[]>> {
    const out = new Map<string, Interval[]>(ids.map((id) => [id, []]));
    if (!ids.length) return out;
    const rows: { supporter_id: string; s: number; e: number }[] = await this.m(manager).query(
      `SELECT supporter_id, date_part('epoch', starts_at) * 1000 AS s, date_part('epoch', ends_at) * 1000 AS e
         FROM bookings
        WHERE status = 'confirmed' AND supporter_id = ANY($1)
          AND tstzrange(starts_at, blocked_until) && tstzrange($2, $3)
          AND ($4::uuid IS NULL OR id <> $4)
        ORDER BY starts_at`,
      [ids, new Date(range.start), new Date(range.end), exceptBookingId ?? null],
    );
    for (const r of rows) out.get(r.supporter_id)!.push({ start: r.s, end: r.e });
    return out;
  }

  /** Every supporter's confirmed sessions overlapping the range (the matching hot path): plain rows, epoch ms. */
  async busyOfAll(range: Interval): Promise<Map<string, Interval[]>> {
    const rows: { supporter_id: string; s: number; e: number }[] = await this.ds.query(
      `SELECT supporter_id, date_part('epoch', starts_at) * 1000 AS s, date_part('epoch', ends_at) * 1000 AS e
         FROM bookings
        -- a session with its buffer lasts at most 12 h (policy limits): the lower bound keeps the index scan short
        WHERE status = 'confirmed' AND starts_at < $2 AND starts_at > $1::timestamptz - interval '1 day' AND blocked_until > $1
        ORDER BY starts_at`,
      [new Date(range.start), new Date(range.end)],
    );
    const out = new Map<string, Interval[]>();
    for (const r of rows) {
      const list = out.get(r.supporter_id);
      if (list) list.push({ start: r.s, end: r.e });
      else out.set(r.supporter_id, [{ start: r.s, end: r.e }]);
    }
    return out;
  }

  async busyOfCaller(callerId: string, range: Interval, manager?: EntityManager, exceptBookingId?: string): Promise<Interval[]> {
    const rows: { s: Date; e: Date }[] = await this.m(manager).query(
      `SELECT starts_at AS s, ends_at AS e FROM bookings
        WHERE status = 'confirmed' AND caller_id = $1 AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)
          AND ($4::uuid IS NULL OR id <> $4)
        ORDER BY starts_at`,
      [callerId, new Date(range.start), new Date(range.end), exceptBookingId ?? null],
    );
    return rows.map((r) => ({ start: r.s.getTime(), end: r.e.getTime() }));
  }

  /** Supporters who share a confirmed or completed booking with the caller (continuity). */
  async supportersOfCaller(callerId: string, manager?: EntityManager): Promise<Set<string>> {
    const rows: { supporter_id: string }[] = await this.m(manager).query(
      `SELECT DISTINCT supporter_id FROM bookings WHERE caller_id = $1 AND status IN ('confirmed', 'completed')`,
      [callerId],
    );
    return new Set(rows.map((r) => r.supporter_id));
  }

  list(f: BookingFilter): Promise<Booking[]> {
    const qb = this.ds.getRepository(Booking).createQueryBuilder('b');
    if (f.supporterId) qb.andWhere('b.supporter_id = :sid', { sid: f.supporterId });
    if (f.callerId) qb.andWhere('b.caller_id = :cid', { cid: f.callerId });
    if (f.intakeId) qb.andWhere('b.intake_id = :iid', { iid: f.intakeId });
    if (f.status) qb.andWhere('b.status = :status', { status: f.status });
    if (f.from) qb.andWhere('b.starts_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('b.starts_at < :to', { to: f.to });
    if (f.afterId) {
      qb.andWhere('(b.starts_at, b.id) > (SELECT a.starts_at, a.id FROM bookings a WHERE a.id = :afterId)', { afterId: f.afterId });
    }
    return qb.orderBy('b.starts_at', 'ASC').addOrderBy('b.id', 'ASC').limit(f.limit).getMany();
  }

  // ---- the caller's record (privacy) -----------------------------------------------------------

  byCaller(callerId: string, manager?: EntityManager): Promise<Booking[]> {
    return this.m(manager).getRepository(Booking).find({ where: { callerId }, order: { startsAt: 'ASC', id: 'ASC' } });
  }

  eventsOf(bookingIds: string[]): Promise<BookingEvent[]> {
    if (!bookingIds.length) return Promise.resolve([]);
    return this.ds.getRepository(BookingEvent).createQueryBuilder('e')
      .where('e.booking_id = ANY(:ids)', { ids: bookingIds }).orderBy('e.at', 'ASC').addOrderBy('e.id', 'ASC').getMany();
  }

  /** The supporter of each caller's latest confirmed or completed session. */
  async lastSupporters(callerIds: string[]): Promise<Map<string, { supporterId: string; displayName: string }>> {
    const out = new Map<string, { supporterId: string; displayName: string }>();
    if (!callerIds.length) return out;
    const rows: { caller_id: string; supporter_id: string; display_name: string }[] = await this.ds.query(
      `SELECT DISTINCT ON (b.caller_id) b.caller_id, b.supporter_id, s.display_name
         FROM bookings b JOIN supporters s ON s.id = b.supporter_id
        WHERE b.caller_id = ANY($1) AND b.status IN ('confirmed', 'completed')
        ORDER BY b.caller_id, b.starts_at DESC`,
      [callerIds],
    );
    for (const r of rows) out.set(r.caller_id, { supporterId: r.supporter_id, displayName: r.display_name });
    return out;
  }

  async supportersSeenBy(callerId: string): Promise<{ supporterId: string; displayName: string; sessions: number; lastSession: string }[]> {
    const rows: { supporter_id: string; display_name: string; n: string; last: Date }[] = await this.ds.query(
      `SELECT b.supporter_id, s.display_name, count(*) AS n, max(b.starts_at) AS last
         FROM bookings b JOIN supporters s ON s.id = b.supporter_id
        WHERE b.caller_id = $1 AND b.status IN ('confirmed', 'completed')
        GROUP BY b.supporter_id, s.display_name ORDER BY max(b.starts_at) DESC`,
      [callerId],
    );
    return rows.map((r) => ({ supporterId: r.supporter_id, displayName: r.display_name, sessions: Number(r.n), lastSession: r.last.toISOString() }));
  }

  async supporterHasIntake(supporterId: string, intakeId: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM bookings WHERE supporter_id = $1 AND intake_id = $2 LIMIT 1`, [supporterId, intakeId]);
    return rows.length > 0;
  }

  /**
   * Erasure: the caller's future sessions are cancelled (nobody could be told
   * of them any more), free text in their history is removed and the manage
   * links stop working. The bookings themselves stay, anonymous.
   */
  async eraseCaller(callerId: string, m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE bookings SET status = 'cancelled', sequence = sequence + 1, updated_at = now()
        WHERE caller_id = $1 AND status = 'confirmed' AND starts_at > now()`,
      [callerId],
    );
    await m.query(`UPDATE bookings SET manage_token_hash = NULL WHERE caller_id = $1`, [callerId]);
    await m.query(
      `UPDATE booking_events SET reason = CASE WHEN reason IS NULL THEN NULL ELSE '[erased]' END
        WHERE booking_id IN (SELECT id FROM bookings WHERE caller_id = $1)`,
      [callerId],
    );
  }

  // ---- idempotency keys ------------------------------------------------------------------------

  /**
   * Claims (user, key) inside the caller's transaction. A concurrent request
   * with the same key waits on the primary key until this transaction ends,
   * then sees its stored response. Keys older than 24 h are reclaimed.
   * Returns null when claimed, else the earlier request's hash and response.
   */
  async claimIdempotencyKey(userId: string, key: string, requestHash: string, m: EntityManager): Promise<{ requestHash: string; response: StoredResponse | null } | null> {
    const claimed: unknown[] = await m.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response_status = NULL, response_body = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - interval '24 hours'
       RETURNING 1`,
      [userId, key, requestHash],
    );
    if (claimed.length) return null;
    const [row] = await m.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    return {
      requestHash: row.request_hash,
      response: row.response_status ? { status: row.response_status, body: row.response_body } : null,
    };
  }

  async storeIdempotentResponse(userId: string, key: string, response: StoredResponse, m: EntityManager): Promise<void> {
    await m.query(`UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2`, [
      userId,
      key,
      response.status,
      JSON.stringify(response.body),
    ]);
  }
}
