import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { inTransaction, isExclusionViolation, isUniqueViolation, queryPrepared } from '@app/database';
import { continuityStatusesSql } from '@app/rules';
import type { Interval } from '@app/scheduling';
import { Booking, BookingEvent, BookingStatus } from './booking.entity';

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

/** A booking about to be inserted: its fields but the timestamps the database sets. */
export type NewBooking = Omit<
  Booking,
  'createdAt' | 'updatedAt' | 'cancel' | 'reschedule' | 'reassign' | 'markOutcome' | 'assertChangeable'
>;

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
    return inTransaction(this.ds, work);
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /**
   * New confirmed bookings and their 'created' history entries, in one
   * statement (the rows travel as one JSON parameter). An overlap becomes
   * slot_taken / caller_busy; a reference collision, ReferenceCollision.
   */
  async insertConfirmed(
    rows: NewBooking[],
    actor: { actorUserId: string | null; actorRole: string | null },
    m: EntityManager,
  ): Promise<Booking[]> {
    const json = rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      intake_id: r.intakeId,
      supporter_id: r.supporterId,
      caller_id: r.callerId,
      starts_at: r.startsAt,
      ends_at: r.endsAt,
      blocked_until: r.blockedUntil,
      modality: r.modality,
      status: r.status,
      sequence: r.sequence,
      series_id: r.seriesId,
      created_by: r.createdBy,
      manage_token_hash: r.manageTokenHash,
      video_room: r.videoRoom,
    }));
    let created: { id: string; created_at: Date; updated_at: Date }[];
    try {
      created = await queryPrepared(
        m,
        `WITH b AS (
           INSERT INTO bookings (id, reference, intake_id, supporter_id, caller_id, starts_at, ends_at, blocked_until, modality, status, sequence, series_id,
                                 created_by, manage_token_hash, video_room)
           SELECT x.id, x.reference, x.intake_id, x.supporter_id, x.caller_id, x.starts_at, x.ends_at, x.blocked_until, x.modality, x.status, x.sequence,
                  x.series_id, x.created_by, x.manage_token_hash, x.video_room
             FROM json_to_recordset($1::json)
               AS x(id uuid, reference text, intake_id uuid, supporter_id uuid, caller_id uuid, starts_at timestamptz, ends_at timestamptz,
                    blocked_until timestamptz, modality text, status text, sequence int, series_id uuid, created_by uuid, manage_token_hash text, video_room text)
           RETURNING id, created_at, updated_at
         ),
         e AS (INSERT INTO booking_events (booking_id, kind, actor_user_id, actor_role) SELECT id, 'created', $2::uuid, $3::text FROM b)
         SELECT id, created_at, updated_at FROM b`,
        [JSON.stringify(json), actor.actorUserId, actor.actorRole],
      );
    } catch (err) {
      if (isUniqueViolation(err, 'uq_bookings_reference')) throw new ReferenceCollision();
      throw translateOverlap(err) ?? err;
    }
    const stamps = new Map(created.map((c) => [c.id, { createdAt: c.created_at, updatedAt: c.updated_at }]));
    return rows.map((r) => Object.assign(new Booking(), r, stamps.get(r.id)));
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
    return m
      .getRepository(Booking)
      .createQueryBuilder('b')
      .setLock('pessimistic_write')
      .where('b.manage_token_hash = :hash', { hash })
      .getOne();
  }

  /** The intake's confirmed sessions that have not started, locked. */
  lockFutureOfIntake(intakeId: string, m: EntityManager): Promise<Booking[]> {
    return m
      .getRepository(Booking)
      .createQueryBuilder('b')
      .setLock('pessimistic_write')
      .where("b.intake_id = :intakeId AND b.status = 'confirmed' AND b.starts_at > now()", { intakeId })
      .orderBy('b.starts_at', 'ASC')
      .getMany();
  }

  lock(id: string, m: EntityManager): Promise<Booking | null> {
    return m
      .getRepository(Booking)
      .createQueryBuilder('b')
      .setLock('pessimistic_write')
      .where('b.id = :id', { id })
      .getOne();
  }

  /** How long ago the booking was made, by the database's clock (the one the outbox worker goes by). */
  async ageSeconds(id: string, m: EntityManager): Promise<number> {
    const rows: { age: number }[] = await m.query(
      `SELECT extract(epoch FROM now() - created_at)::float8 AS age FROM bookings WHERE id = $1`,
      [id],
    );
    return Number(rows[0]?.age ?? Infinity);
  }

  /** Whether the intake has any booking besides this one that was not cancelled. */
  async intakeHasOtherBookings(intakeId: string, exceptId: string, m: EntityManager): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM bookings WHERE intake_id = $1 AND id <> $2 AND status <> 'cancelled' LIMIT 1`,
      [intakeId, exceptId],
    );
    return rows.length > 0;
  }

  addEvent(e: Omit<BookingEvent, 'id' | 'at'>, m: EntityManager): Promise<unknown> {
    return m.getRepository(BookingEvent).insert(e);
  }

  events(bookingId: string): Promise<BookingEvent[]> {
    return this.ds.getRepository(BookingEvent).find({ where: { bookingId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Confirmed sessions of these supporters overlapping the range, unbuffered, per supporter (epoch ms: no Date parsing). */
  async busyOfSupporters(
    ids: string[],
    range: Interval,
    manager?: EntityManager,
    exceptBookingId?: string,
  ): Promise<Map<string, Interval[]>> {
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

  async busyOfCaller(
    callerId: string,
    range: Interval,
    manager?: EntityManager,
    exceptBookingId?: string,
  ): Promise<Interval[]> {
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
      `SELECT DISTINCT supporter_id FROM bookings WHERE caller_id = $1 AND status IN (${continuityStatusesSql()})`,
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
      qb.andWhere('(b.starts_at, b.id) > (SELECT a.starts_at, a.id FROM bookings a WHERE a.id = :afterId)', {
        afterId: f.afterId,
      });
    }
    return qb.orderBy('b.starts_at', 'ASC').addOrderBy('b.id', 'ASC').limit(f.limit).getMany();
  }

  // ---- the caller's record (privacy) -----------------------------------------------------------
  confirmedOfSupporterDuring(supporterId: string, from: Date, to: Date): Promise<Booking[]> {
    return this.ds
      .getRepository(Booking)
      .createQueryBuilder('b')
      .where('b.supporter_id = :supporterId', { supporterId })
      .andWhere(`b.status = 'confirmed'`)
      .andWhere('b.starts_at < :to AND b.ends_at > :from', { from, to })
      .orderBy('b.starts_at', 'ASC')
      .addOrderBy('b.id', 'ASC')
      .getMany();
  }

  findByReference(reference: string): Promise<Booking | null> {
    return this.ds.getRepository(Booking).findOneBy({ reference });
  }

  /** Confirmed sessions of these callers that have not started, soonest first (ix_bookings_caller). */
  upcomingOfCallers(callerIds: string[], now: Date): Promise<Booking[]> {
    if (!callerIds.length) return Promise.resolve([]);
    return this.ds
      .getRepository(Booking)
      .createQueryBuilder('b')
      .where('b.caller_id = ANY(:callerIds)', { callerIds })
      .andWhere(`b.status = 'confirmed'`)
      .andWhere('b.starts_at > :now', { now })
      .orderBy('b.starts_at', 'ASC')
      .addOrderBy('b.id', 'ASC')
      .getMany();
  }

  byCaller(callerId: string, manager?: EntityManager): Promise<Booking[]> {
    return this.m(manager)
      .getRepository(Booking)
      .find({ where: { callerId }, order: { startsAt: 'ASC', id: 'ASC' } });
  }

  eventsOf(bookingIds: string[]): Promise<BookingEvent[]> {
    if (!bookingIds.length) return Promise.resolve([]);
    return this.ds
      .getRepository(BookingEvent)
      .createQueryBuilder('e')
      .where('e.booking_id = ANY(:ids)', { ids: bookingIds })
      .orderBy('e.at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .getMany();
  }

  /** The supporter of each caller's latest confirmed or completed session. */
  async lastSupporters(callerIds: string[]): Promise<Map<string, { supporterId: string; displayName: string }>> {
    const out = new Map<string, { supporterId: string; displayName: string }>();
    if (!callerIds.length) return out;
    const rows: { caller_id: string; supporter_id: string; display_name: string }[] = await this.ds.query(
      `SELECT DISTINCT ON (b.caller_id) b.caller_id, b.supporter_id, s.display_name
         FROM bookings b JOIN supporters s ON s.id = b.supporter_id
        WHERE b.caller_id = ANY($1) AND b.status IN (${continuityStatusesSql()})
        ORDER BY b.caller_id, b.starts_at DESC`,
      [callerIds],
    );
    for (const r of rows) out.set(r.caller_id, { supporterId: r.supporter_id, displayName: r.display_name });
    return out;
  }

  async supportersSeenBy(
    callerId: string,
  ): Promise<{ supporterId: string; displayName: string; sessions: number; lastSession: string }[]> {
    const rows: { supporter_id: string; display_name: string; n: string; last: Date }[] = await this.ds.query(
      `SELECT b.supporter_id, s.display_name, count(*) AS n, max(b.starts_at) AS last
         FROM bookings b JOIN supporters s ON s.id = b.supporter_id
        WHERE b.caller_id = $1 AND b.status IN (${continuityStatusesSql()})
        GROUP BY b.supporter_id, s.display_name ORDER BY max(b.starts_at) DESC`,
      [callerId],
    );
    return rows.map((r) => ({
      supporterId: r.supporter_id,
      displayName: r.display_name,
      sessions: Number(r.n),
      lastSession: r.last.toISOString(),
    }));
  }

  async supporterHasIntake(supporterId: string, intakeId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM bookings WHERE supporter_id = $1 AND intake_id = $2 LIMIT 1`,
      [supporterId, intakeId],
    );
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
}
