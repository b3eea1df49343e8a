import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { FeedbackService } from '@app/feedback';
import { decodeCursor, DomainError, encodeCursor, ErrorCode, parseInstant, randomTokenBytes } from '@app/common';
import { RateLimiter, RateLimits } from '@app/database';
import { Caller, Intake, IntakeService, IntakeView } from '@app/intake';
import { BookingMessagesInput, firstName, NotificationsService, NotificationView } from '@app/notifications';
import { Policies, PoliciesService } from '@app/policies';
import { hardRuleViolations, insideSociableHours, overlapsAny, sociableZones } from '@app/rules';
import { expandWeeklyRules, Interval, isInsideAnyWindow, mergeIntervals, seriesStarts, toIso, WeeklyRule } from '@app/scheduling';
import { Supporter, SupportersService } from '@app/supporters';
import { Booking, BookingStatus, Modality } from './booking.entity';
import { BookingsRepository, NewBooking, ReferenceCollision, translateOverlap } from './bookings.repository';
import { generateReference } from './reference';
import { BookingList, BookingListQuery, BookingView, CancelBookingDto, CreateBookingDto, CreateSeriesDto, RescheduleBookingDto } from './dto/booking.dto';
import { ManagedBookingView } from './dto/manage.dto';
import { SlotView } from './dto/slots-query.dto';
import { SlotsService } from './slots.service';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A manage link stops working this long after its session ended. */
const MANAGE_LINK_GRACE = 7 * DAY;
const MANAGE_REQUESTS_PER_MINUTE = 30;

/** A fresh manage token (32 random bytes, base64url) and the hash that is all we keep of it. */
export function newManageToken(): { token: string; hash: string } {
  const token = randomTokenBytes(32).toString('base64url');
  return { token, hash: hashManageToken(token) };
}

export function hashManageToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}


/** What one booking use case has locked and loaded before it checks occurrences. */
interface BookingContext {
  intake: Intake;
  caller: Caller;
  supporter: Supporter;
  policy: Policies;
  rules: WeeklyRule[];
  timeOff: Interval[];
  now: number;
}

export interface Occurrence {
  index: number;
  start: string;
  code: ErrorCode;
}

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

function hashRequest(kind: string, body: object): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object'
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
      : v;
  return createHash('sha256').update(kind).update(JSON.stringify(canonical(body))).digest('hex');
}

export function toBookingView(b: Booking, caller?: Caller): BookingView {
  return {
    id: b.id,
    reference: b.reference,
    status: b.status,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    supporterId: b.supporterId,
    callerId: b.callerId,
    intakeId: b.intakeId,
    modality: b.modality,
    sequence: b.sequence,
    seriesId: b.seriesId,
    ...(caller ? { caller: { name: caller.name, phone: caller.phone, email: caller.email } } : {}),
  };
}

@Injectable()
export class BookingsService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly intakes: IntakeService,
    private readonly supporters: SupportersService,
    private readonly policies: PoliciesService,
    private readonly slots: SlotsService,
    private readonly notifications: NotificationsService,
    private readonly feedback: FeedbackService,
    private readonly audit: AuditService,
    limits: RateLimits,
  ) {
    this.manageLimiter = limits.limiter({ name: 'manage', points: MANAGE_REQUESTS_PER_MINUTE, durationSeconds: 60 });
  }

  /** Per client IP, for the unauthenticated manage endpoints; counted in PostgreSQL (shared by every API process). */
  private readonly manageLimiter: RateLimiter;

  // ---- create ----------------------------------------------------------------------------------

  create(dto: CreateBookingDto, user: AuthUser, idempotencyKey?: string): Promise<IdempotentResult<BookingView>> {
    return this.idempotent(user, idempotencyKey, () => hashRequest('booking', dto), async (m) => {
      const [booking] = await this.book(dto, [parseInstant(dto.start)!.toMillis()], user, m, null);
      return { status: 201, body: toBookingView(booking) };
    }).catch((err) => this.withAlternatives(err, dto));
  }

  createSeries(dto: CreateSeriesDto, user: AuthUser, idempotencyKey?: string): Promise<IdempotentResult<{ bookings: BookingView[] }>> {
    return this.idempotent(user, idempotencyKey, () => hashRequest('series', dto), async (m) => {
      const supporter = await this.supporters.require(dto.supporterId, m);
      const starts = seriesStarts(parseInstant(dto.start)!.toMillis(), supporter.timeZone, dto.count, dto.intervalWeeks);
      const bookings = await this.book(dto, starts, user, m, randomUUID());
      return { status: 201, body: { bookings: bookings.map((b) => toBookingView(b)) } };
    }).catch((err) => this.withAlternatives(err, dto));
  }

  /**
   * Books every start or none, in the caller's transaction. Friendly checks first
   * (422s); the exclusion constraints are the guarantee against overlaps (409s).
   */
  private async book(dto: CreateBookingDto, starts: number[], user: AuthUser, m: EntityManager, seriesId: string | null): Promise<Booking[]> {
    const ctx = await this.prepare(dto.intakeId, dto.supporterId, m);
    const duration = dto.durationMinutes ?? ctx.policy.defaultDurationMinutes;
    const modality = this.modalityFor(dto.modality, ctx);
    const intervals = starts.map((s) => ({ start: s, end: s + duration * MINUTE }));

    // A series reports every failing occurrence, so it looks for clashes first; a single booking
    // leaves that to the exclusion constraints (one round trip fewer, and they decide anyway).
    let supporterBusy: Interval[] = [];
    let callerBusy: Interval[] = [];
    if (starts.length > 1) {
      const span = { start: Math.min(...starts) - DAY, end: Math.max(...starts) + duration * MINUTE + DAY };
      supporterBusy = (await this.repo.busyOfSupporters([ctx.supporter.id], span, m)).get(ctx.supporter.id)!;
      callerBusy = await this.repo.busyOfCaller(ctx.caller.id, span, m);
    }
    const failures: Occurrence[] = [];
    intervals.forEach((iv, index) => {
      const code =
        this.occurrenceProblem(ctx, iv) ??
        (overlapsAny(iv, supporterBusy, ctx.policy.bufferMinutes) ? 'slot_taken' : null) ??
        (overlapsAny(iv, callerBusy) ? 'caller_busy' : null);
      if (code) failures.push({ index, start: toIso(iv.start), code });
    });
    if (failures.length) throw this.occurrenceError(failures, starts.length > 1);

    // Giving the intake to this supporter takes one of their places: counted now, with the supporter's row
    // locked (READ COMMITTED: this statement sees every assignment committed before the lock was ours).
    const newAssignment = ctx.intake.status === 'open' || ctx.intake.supporterId !== ctx.supporter.id;
    if (newAssignment) {
      const activeCases = (await this.intakes.activeCaseCounts([ctx.supporter.id], ctx.intake.id, m)).get(ctx.supporter.id) ?? 0;
      const [full] = hardRuleViolations({ service: ctx.intake.service }, { ...ctx.supporter, activeCases });
      if (full) throw new DomainError(full.code, full.text);
    }

    const planned = intervals.map((iv) => {
      const manage = newManageToken();
      const row: NewBooking = {
        id: randomUUID(),
        reference: generateReference(),
        intakeId: ctx.intake.id,
        supporterId: ctx.supporter.id,
        callerId: ctx.caller.id,
        startsAt: new Date(iv.start),
        endsAt: new Date(iv.end),
        blockedUntil: new Date(iv.end + ctx.policy.bufferMinutes * MINUTE),
        modality,
        status: 'confirmed',
        sequence: 0,
        seriesId,
        createdBy: user.id,
        manageTokenHash: manage.hash,
      };
      return { row, token: manage.token };
    });
    // Each library writes its own rows, in this transaction: the bookings, the intake's status, the outbox.
    let created: Booking[];
    try {
      created = await this.repo.insertConfirmed(planned.map((x) => x.row), { actorUserId: user.id, actorRole: user.role }, m);
    } catch (err) {
      // A concurrent booking (of the caller, with another supporter: this one's row is locked) won the race.
      if (err instanceof DomainError && starts.length > 1 && (err.code === 'slot_taken' || err.code === 'caller_busy')) {
        throw this.occurrenceError(await this.clashesNow(err.code, ctx, intervals), true);
      }
      throw err;
    }
    if (ctx.intake.status !== 'booked') await this.intakes.setAssignment(ctx.intake, ctx.supporter.id, 'booked', m);
    await this.notifications.enqueueConfirmations(m, planned.map((x) => this.messagesInput(x.row, ctx.caller, ctx.supporter, x.token)));
    return created;
  }

  /** After a lost race (the transaction is over): which occurrences clash with what is committed now. */
  private async clashesNow(code: 'slot_taken' | 'caller_busy', ctx: BookingContext, intervals: Interval[]): Promise<Occurrence[]> {
    const span = { start: intervals[0].start - DAY, end: intervals[intervals.length - 1].end + DAY };
    const busy = code === 'slot_taken'
      ? (await this.repo.busyOfSupporters([ctx.supporter.id], span)).get(ctx.supporter.id)!
      : await this.repo.busyOfCaller(ctx.caller.id, span);
    const clash = (iv: Interval) => overlapsAny(iv, busy, code === 'slot_taken' ? ctx.policy.bufferMinutes : 0);
    const found = intervals.flatMap((iv, index) => (clash(iv) ? [{ index, start: toIso(iv.start), code }] : []));
    return found.length ? found : [{ index: 0, start: toIso(intervals[0].start), code }];
  }

  private occurrenceError(failures: Occurrence[], series: boolean): DomainError {
    const conflict = failures.find((f) => f.code === 'slot_taken' || f.code === 'caller_busy');
    const first = conflict ?? failures[0];
    const detail = series
      ? `${failures.length} of the occurrences cannot be booked, so none was booked.`
      : this.describe(first.code);
    return new DomainError(first.code, detail, series ? { occurrences: failures } : {});
  }

  private describe(code: ErrorCode): string {
    switch (code) {
      case 'too_soon': return 'That start is inside the minimum notice period.';
      case 'beyond_horizon': return 'That start is beyond the booking horizon.';
      case 'outside_availability': return "That time is outside the supporter's availability (or in their time off).";
      case 'outside_sociable_hours': return 'Peer support runs only within sociable hours, in both the peer\'s and the caller\'s local time.';
      case 'slot_taken': return 'The supporter already has a session at that time.';
      case 'caller_busy': return 'The caller already has a session at that time.';
      default: return 'That time cannot be booked.';
    }
  }

  /** 409s carry the supporter's next free slots. */
  private async withAlternatives(err: unknown, dto: CreateBookingDto): Promise<never> {
    if (err instanceof DomainError && (err.code === 'slot_taken' || err.code === 'caller_busy')) {
      err.extras.alternatives = await this.alternatives(dto.supporterId, dto.intakeId, parseInstant(dto.start)!.toMillis(), dto.durationMinutes).catch(() => []);
    }
    throw err;
  }

  async alternatives(supporterId: string, intakeId: string, from: number, durationMinutes?: number): Promise<SlotView[]> {
    const [supporter, intake, policy] = await Promise.all([
      this.supporters.require(supporterId),
      this.intakes.require(intakeId),
      this.policies.get(),
    ]);
    const caller = await this.intakes.caller(intake.callerId);
    const now = Date.now();
    const start = Math.max(from, now);
    return this.slots.freeSlots(supporter, {
      range: { start, end: Math.min(start + 28 * DAY, now + policy.bookingHorizonDays * DAY) },
      durationMinutes: durationMinutes ?? policy.defaultDurationMinutes,
      callerTimeZone: caller.timeZone,
      limit: 3,
      policy,
      now,
    });
  }

  /**
   * Locks the intake (reading its caller) and then the supporter (reading its
   * schedule), in the order assignment uses, each through its own library, and
   * checks the per-booking hard rules that need no clock. The caseload is
   * counted by book, once the occurrences pass.
   */
  private async prepare(intakeId: string, supporterId: string, m: EntityManager, opts: { forReschedule?: boolean } = {}): Promise<BookingContext> {
    const policy = await this.policies.get(m);
    const now = Date.now();
    const locked = await this.intakes.lockWithCaller(intakeId, m);
    if (!locked) throw DomainError.notFound('Intake');
    const { intake, caller } = locked;
    this.intakes.assertBookable(intake);
    this.assertNotAssignedElsewhere(intake, supporterId, opts);
    const schedule = await this.supporters.lockWithSchedule(supporterId, { start: now - DAY, end: now + (policy.bookingHorizonDays + 2) * DAY }, m);
    if (!schedule) throw DomainError.notFound('Supporter');
    const { supporter } = schedule;
    // The caller's preferences (gender, languages) guide matching; they do not refuse a booking. Capacity is counted in book.
    const [broken] = hardRuleViolations({ service: intake.service, callerWorkplace: caller.workplace }, supporter);
    if (broken) throw new DomainError(broken.code, broken.text);
    return { intake, caller, supporter, policy, rules: schedule.rules, timeOff: schedule.timeOff, now };
  }

  private assertNotAssignedElsewhere(intake: Intake, supporterId: string, opts: { forReschedule?: boolean }): void {
    const assignedElsewhere = intake.supporterId && intake.supporterId !== supporterId && intake.status !== 'open';
    if (assignedElsewhere && !opts.forReschedule) {
      throw new DomainError('assigned_elsewhere', 'This intake is assigned to another supporter. Book with them, or reassign the intake first.', {
        supporterId: intake.supporterId,
      });
    }
  }

  private occurrenceProblem(ctx: BookingContext, iv: Interval): ErrorCode | null {
    const { policy, now, supporter, caller } = ctx;
    if (iv.start < now + policy.minimumNoticeMinutes * MINUTE) return 'too_soon';
    if (iv.end > now + policy.bookingHorizonDays * DAY) return 'beyond_horizon';
    if (!insideSociableHours(iv, policy.sociableHours, sociableZones(supporter.kind, supporter.timeZone, caller.timeZone))) return 'outside_sociable_hours';
    const windows = mergeIntervals(expandWeeklyRules(ctx.rules, supporter.timeZone, { start: iv.start - DAY, end: iv.end + DAY }));
    if (!isInsideAnyWindow(iv, windows) || overlapsAny(iv, ctx.timeOff)) return 'outside_availability';
    return null;
  }

  private modalityFor(asked: Modality | undefined, ctx: BookingContext): Modality {
    const offered = ctx.supporter.modalities;
    if (asked) {
      if (!offered.includes(asked)) throw DomainError.validation([{ field: 'modality', message: `this supporter offers ${offered.join(' or ')} only` }]);
      return asked;
    }
    const preferred = ctx.intake.preferences?.modality;
    return preferred && offered.includes(preferred) ? preferred : offered[0];
  }

  // ---- change ----------------------------------------------------------------------------------

  /** Closes or withdraws an intake; its confirmed future sessions are cancelled in the same transaction, with notice. */
  endIntake(intakeId: string, to: 'closed' | 'withdrawn', user: AuthUser): Promise<IntakeView> {
    return this.intakes.end(intakeId, to, async (m) => {
      const reason = to === 'withdrawn' ? 'The caller withdrew' : 'The intake was closed';
      for (const b of await this.repo.lockFutureOfIntake(intakeId, m)) {
        await this.cancelLocked(b, m);
        await this.repo.addEvent({ ...this.event(b, 'cancelled', user), reason }, m);
      }
    });
  }

  async cancel(id: string, dto: CancelBookingDto, user: AuthUser): Promise<BookingView> {
    return this.repo.transaction(async (m) => {
      const b = await this.lockOwn(id, user, m);
      const saved = await this.cancelLocked(b, m);
      await this.repo.addEvent({ ...this.event(b, 'cancelled', user), reason: dto.reason }, m);
      return toBookingView(saved);
    });
  }

  /** Cancels a locked booking and writes the cancellation messages, in `m`'s transaction. */
  private async cancelLocked(b: Booking, m: EntityManager): Promise<Booking> {
    this.assertConfirmed(b, 'cancelled');
    b.status = 'cancelled';
    b.sequence += 1;
    const saved = await this.repo.save(b, m);
    const [caller, supporter] = await Promise.all([this.intakes.caller(b.callerId, m), this.supporters.require(b.supporterId, m)]);
    await this.announce(m, 'cancellation', saved, caller, supporter, null);
    return saved;
  }

  private announce(
    m: EntityManager,
    kind: 'confirmation' | 'reschedule' | 'cancellation',
    b: Booking,
    caller: Caller,
    supporter: Supporter,
    manageToken: string | null,
  ): Promise<void> {
    return this.notifications.enqueueBookingMessages(m, { kind, ...this.messagesInput(b, caller, supporter, manageToken) });
  }

  private messagesInput(b: NewBooking, caller: Caller, supporter: Supporter, manageToken: string | null): Omit<BookingMessagesInput, 'kind'> {
    return {
      booking: { id: b.id, reference: b.reference, startsAt: b.startsAt, endsAt: b.endsAt, modality: b.modality, sequence: b.sequence, intakeId: b.intakeId },
      caller: { id: caller.id, name: caller.name, phone: caller.phone, email: caller.email, timeZone: caller.timeZone },
      supporterDisplayName: supporter.displayName,
      manageToken,
    };
  }

  /** Same supporter, new time, one transaction: if the new time fails, the old booking stands. */
  async reschedule(id: string, dto: RescheduleBookingDto, user: AuthUser): Promise<BookingView> {
    const start = parseInstant(dto.start)!.toMillis();
    try {
      return await this.repo.transaction(async (m) => {
        const b = await this.lockOwn(id, user, m);
        this.assertConfirmed(b, 'rescheduled');
        const ctx = await this.prepare(b.intakeId, b.supporterId, m, { forReschedule: true });
        const duration = b.endsAt.getTime() - b.startsAt.getTime();
        const iv = { start, end: start + duration };
        const code = this.occurrenceProblem(ctx, iv);
        if (code) throw new DomainError(code, this.describe(code));
        const previousStart = b.startsAt;
        b.startsAt = new Date(iv.start);
        b.endsAt = new Date(iv.end);
        b.blockedUntil = new Date(iv.end + ctx.policy.bufferMinutes * MINUTE);
        b.sequence += 1;
        // A new link: the one in the earlier messages stops working.
        const manage = newManageToken();
        b.manageTokenHash = manage.hash;
        const saved = await this.repo.save(b, m);
        await this.repo.addEvent({ ...this.event(b, 'rescheduled', user), previousStart, newStart: b.startsAt }, m);
        await this.announce(m, 'reschedule', saved, ctx.caller, ctx.supporter, manage.token);
        return toBookingView(saved);
      });
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'slot_taken' || err.code === 'caller_busy')) {
        const b = await this.repo.find(id);
        if (b) err.extras.alternatives = await this.alternatives(b.supporterId, b.intakeId, start, (b.endsAt.getTime() - b.startsAt.getTime()) / MINUTE).catch(() => []);
      }
      throw err;
    }
  }

  complete(id: string, user: AuthUser): Promise<BookingView> {
    return this.markOutcome(id, 'completed', user);
  }

  noShow(id: string, user: AuthUser): Promise<BookingView> {
    return this.markOutcome(id, 'no_show', user);
  }

  private markOutcome(id: string, status: 'completed' | 'no_show', user: AuthUser): Promise<BookingView> {
    return this.repo.transaction(async (m) => {
      const b = await this.lockOwn(id, user, m);
      this.assertConfirmed(b, status);
      if (Date.now() < b.startsAt.getTime()) {
        throw new DomainError('invalid_transition', 'A session can be marked completed or no-show only after it has started.', { bookingStatus: b.status });
      }
      b.status = status;
      const saved = await this.repo.save(b, m);
      await this.repo.addEvent(this.event(b, status, user), m);
      await this.intakes.touchCaller(b.callerId, m);
      if (status === 'completed') {
        // The feedback link goes out with the commit that completes the session.
        const [intake, caller] = [await this.intakes.require(b.intakeId, m), await this.intakes.caller(b.callerId, m)];
        const token = await this.feedback.invite(intake.service, m);
        await this.notifications.enqueueFeedback(m, { bookingId: b.id, intakeId: b.intakeId, callerId: b.callerId, email: caller.email, phone: caller.phone, token });
      }
      return toBookingView(saved);
    });
  }

  private assertConfirmed(b: Booking, to: BookingStatus | 'rescheduled'): void {
    if (b.status !== 'confirmed') {
      throw new DomainError('invalid_transition', `A ${b.status.replace('_', '-')} booking cannot be ${to.replace('_', '-')}.`, { bookingStatus: b.status });
    }
  }

  private async lockOwn(id: string, user: AuthUser, m: EntityManager): Promise<Booking> {
    const b = await this.repo.lock(id, m);
    if (!b || (user.role === 'supporter' && b.supporterId !== user.supporterId)) throw DomainError.notFound('Booking');
    return b;
  }

  private event(b: Booking, kind: 'created' | 'rescheduled' | 'cancelled' | 'completed' | 'no_show', user: AuthUser) {
    return { bookingId: b.id, kind, actorUserId: user.id, actorRole: user.role, reason: null, previousStart: null, newStart: null };
  }

  // ---- read ------------------------------------------------------------------------------------

  async get(id: string, user: AuthUser): Promise<BookingView> {
    const b = await this.repo.find(id);
    if (!b || (user.role === 'supporter' && b.supporterId !== user.supporterId)) throw DomainError.notFound('Booking');
    if (user.role !== 'supporter') return toBookingView(b);
    await this.audit.record('booking.read', b.callerId, { bookingId: id });
    return toBookingView(b, await this.intakes.caller(b.callerId));
  }

  /** GET /bookings/:id/notifications: same access as the booking itself. */
  async notificationsOf(id: string, user: AuthUser): Promise<{ notifications: NotificationView[] }> {
    await this.get(id, user);
    return this.notifications.listForBooking(id);
  }

  // ---- caller self-service (manage link, no login) -----------------------------------------------

  async manageView(token: string, ip: string): Promise<ManagedBookingView> {
    await this.manageLimiter.consume(ip);
    const b = this.liveLink(await this.findByToken(token));
    return this.managed(b, await this.supporters.require(b.supporterId));
  }

  /** The caller cancels through the link: like any cancel (messages included); asking twice is answered the same. */
  async manageCancel(token: string, ip: string): Promise<ManagedBookingView> {
    await this.manageLimiter.consume(ip);
    return this.repo.transaction(async (m) => {
      const b = this.liveLink(isManageToken(token) ? await this.repo.lockByManageTokenHash(hashManageToken(token), m) : null);
      if (b.status !== 'cancelled') {
        await this.cancelLocked(b, m);
        await this.repo.addEvent(
          { bookingId: b.id, kind: 'cancelled', actorUserId: null, actorRole: 'caller', reason: 'Cancelled by the caller with the manage link', previousStart: null, newStart: null },
          m,
        );
      }
      return this.managed(b, await this.supporters.require(b.supporterId, m));
    });
  }

  private async findByToken(token: string): Promise<Booking | null> {
    return isManageToken(token) ? this.repo.findByManageTokenHash(hashManageToken(token)) : null;
  }

  /** Unknown, replaced (rescheduled) and expired links all answer 404 alike. */
  private liveLink(b: Booking | null): Booking {
    if (!b || b.endsAt.getTime() + MANAGE_LINK_GRACE < Date.now()) throw DomainError.notFound('Booking');
    return b;
  }

  private managed(b: Booking, supporter: Supporter): ManagedBookingView {
    return {
      reference: b.reference,
      start: b.startsAt.toISOString(),
      end: b.endsAt.toISOString(),
      modality: b.modality,
      status: b.status,
      supporterFirstName: firstName(supporter.displayName),
    };
  }

  async history(id: string, user: AuthUser) {
    await this.get(id, user);
    const events = await this.repo.events(id);
    return {
      events: events.map((e) => ({
        kind: e.kind,
        at: e.at.toISOString(),
        actorUserId: e.actorUserId,
        actorRole: e.actorRole,
        reason: e.reason,
        previousStart: e.previousStart?.toISOString() ?? null,
        newStart: e.newStart?.toISOString() ?? null,
      })),
    };
  }

  async list(q: BookingListQuery, user: AuthUser): Promise<BookingList> {
    const limit = q.limit ?? 100;
    const rows = await this.repo.list({
      // A supporter sees only its own bookings, whatever it asks for.
      supporterId: user.role === 'supporter' ? user.supporterId! : q.supporterId,
      callerId: q.callerId,
      intakeId: q.intakeId,
      status: q.status,
      from: q.from ? parseInstant(q.from)!.toJSDate() : undefined,
      to: q.to ? parseInstant(q.to)!.toJSDate() : undefined,
      afterId: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const callers = new Map<string, Caller>();
    if (user.role === 'supporter') {
      for (const id of new Set(page.map((b) => b.callerId))) callers.set(id, await this.intakes.caller(id));
      // The supporter sees these callers' name, phone and e-mail: a read of personal data.
      await this.audit.record('booking.read', [...callers.keys()]);
    }
    if (q.callerId) await this.audit.record('bookings.read_by_caller', q.callerId);
    return {
      bookings: page.map((b) => toBookingView(b, callers.get(b.callerId))),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  // ---- for matching ------------------------------------------------------------------------------

  busyOfSupporters(ids: string[], range: Interval, manager?: EntityManager): Promise<Map<string, Interval[]>> {
    return this.repo.busyOfSupporters(ids, range, manager);
  }

  busyOfAll(range: Interval): Promise<Map<string, Interval[]>> {
    return this.repo.busyOfAll(range);
  }

  supportersOfCaller(callerId: string, manager?: EntityManager): Promise<Set<string>> {
    return this.repo.supportersOfCaller(callerId, manager);
  }

  // ---- for the privacy library ------------------------------------------------------------------

  lastSupporters(callerIds: string[]) {
    return this.repo.lastSupporters(callerIds);
  }

  supportersSeenBy(callerId: string) {
    return this.repo.supportersSeenBy(callerId);
  }

  supporterHasIntake(supporterId: string, intakeId: string): Promise<boolean> {
    return this.repo.supporterHasIntake(supporterId, intakeId);
  }

  async bookingsOfCaller(callerId: string, opts: { withHistory?: boolean } = {}) {
    const bookings = await this.repo.byCaller(callerId);
    if (!opts.withHistory) return bookings.map((b) => toBookingView(b));
    const events = await this.repo.eventsOf(bookings.map((b) => b.id));
    return bookings.map((b) => ({
      ...toBookingView(b),
      history: events.filter((e) => e.bookingId === b.id).map((e) => ({
        kind: e.kind, at: e.at.toISOString(), actorRole: e.actorRole, reason: e.reason,
        previousStart: e.previousStart?.toISOString() ?? null, newStart: e.newStart?.toISOString() ?? null,
      })),
    }));
  }

  eraseCaller(callerId: string, m: EntityManager): Promise<void> {
    return this.repo.eraseCaller(callerId, m);
  }

  // ---- idempotency -------------------------------------------------------------------------------

  private async idempotent<T>(
    user: AuthUser,
    key: string | undefined,
    /** Computed only when a key is given. */
    hashOfRequest: () => string,
    work: (m: EntityManager) => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    if (key !== undefined && (key.length < 1 || key.length > 255)) {
      throw DomainError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
    }
    return withReferenceRetry(() => this.repo.transaction(async (m) => {
      if (key) {
        const requestHash = hashOfRequest();
        const earlier = await this.repo.claimIdempotencyKey(user.id, key, requestHash, m);
        if (earlier) {
          if (earlier.requestHash !== requestHash) {
            throw new DomainError('idempotency_mismatch', 'This Idempotency-Key was used with a different request. Use a new key for a new booking.');
          }
          if (earlier.response) return { status: earlier.response.status, body: earlier.response.body as T, replayed: true };
        }
      }
      const result = await work(m);
      if (key) await this.repo.storeIdempotentResponse(user.id, key, result, m);
      return { ...result, replayed: false };
    }));
  }
}

/** Runs a booking transaction again when its random reference collided (about once in 10^9 bookings). */
async function withReferenceRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof ReferenceCollision) || attempt >= 3) throw err;
    }
  }
}

/** 32 bytes in base64url are 43 characters; anything else cannot be one of ours. */
function isManageToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}


export { translateOverlap };
