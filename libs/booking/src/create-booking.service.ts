import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { APP_CONFIG, AppConfig, DomainError, ErrorCode, parseInstant } from '@app/common';
import { IntakeService } from '@app/intake';
import { NotificationsService } from '@app/notifications';
import { together } from '@app/database';
import { hardRuleViolations, overlapsAny } from '@app/rules';
import { Interval, seriesStarts, toIso } from '@app/scheduling';
import { SupportersService } from '@app/supporters';
import { Booking } from './booking.entity';
import {
  BookingContext,
  BookingContexts,
  DAY,
  describe,
  MINUTE,
  modalityFor,
  occurrenceProblem,
} from './booking-context';
import { messagesInput, toBookingView } from './booking-view';
import { BookingsRepository, NewBooking, ReferenceCollision } from './bookings.repository';
import { BookingView, CreateBookingDto, CreateSeriesDto } from './dto/booking.dto';
import { hashRequest, Idempotency, IdempotentResult } from './idempotency';
import { newManageToken } from './manage-token';
import { generateReference } from './reference';

export interface Occurrence {
  index: number;
  start: string;
  code: ErrorCode;
}

/** Use case: book one session, or a series of them (all or nothing), with an optional Idempotency-Key. */
@Injectable()
export class CreateBookingService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly contexts: BookingContexts,
    private readonly idempotency: Idempotency,
    private readonly intakes: IntakeService,
    private readonly supporters: SupportersService,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The answer to the POST that made it: with the end of its undo grace period, when there is one. */
  private created(b: Booking): BookingView {
    const grace = this.config.confirmationGraceSeconds;
    return grace > 0
      ? { ...toBookingView(b), undoUntil: new Date(b.createdAt.getTime() + grace * 1000).toISOString() }
      : toBookingView(b);
  }

  create(dto: CreateBookingDto, user: AuthUser, idempotencyKey?: string): Promise<IdempotentResult<BookingView>> {
    return this.transaction((m) =>
      this.idempotency.run(
        m,
        user,
        idempotencyKey,
        () => hashRequest('booking', dto),
        async () => {
          const [booking] = await this.book(dto, [parseInstant(dto.start)!.toMillis()], user, m, null);
          return { status: 201, body: this.created(booking) };
        },
      ),
    ).catch((err) => this.withAlternatives(err, dto));
  }

  createSeries(
    dto: CreateSeriesDto,
    user: AuthUser,
    idempotencyKey?: string,
  ): Promise<IdempotentResult<{ bookings: BookingView[] }>> {
    return this.transaction((m) =>
      this.idempotency.run(
        m,
        user,
        idempotencyKey,
        () => hashRequest('series', dto),
        async () => {
          const supporter = await this.supporters.require(dto.supporterId, m);
          const starts = seriesStarts(
            parseInstant(dto.start)!.toMillis(),
            supporter.timeZone,
            dto.count,
            dto.intervalWeeks,
          );
          const bookings = await this.book(dto, starts, user, m, randomUUID());
          return { status: 201, body: { bookings: bookings.map((b) => this.created(b)) } };
        },
      ),
    ).catch((err) => this.withAlternatives(err, dto));
  }

  /** One transaction, run again when its random reference collided (about once in 10^9 bookings). */
  private async transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.repo.transaction(work);
      } catch (err) {
        if (!(err instanceof ReferenceCollision) || attempt >= 3) throw err;
      }
    }
  }

  /**
   * Books every start or none, in the caller's transaction. Friendly checks first
   * (422s); the exclusion constraints are the guarantee against overlaps (409s).
   */
  private async book(
    dto: CreateBookingDto,
    starts: number[],
    user: AuthUser,
    m: EntityManager,
    seriesId: string | null,
  ): Promise<Booking[]> {
    const ctx = await this.contexts.load(dto.intakeId, dto.supporterId, m, { countCases: true });
    const duration = dto.durationMinutes ?? ctx.policy.defaultDurationMinutes;
    const modality = modalityFor(dto.modality, ctx);
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
        occurrenceProblem(ctx, iv) ??
        (overlapsAny(iv, supporterBusy, ctx.policy.bufferMinutes) ? 'slot_taken' : null) ??
        (overlapsAny(iv, callerBusy) ? 'caller_busy' : null);
      if (code) failures.push({ index, start: toIso(iv.start), code });
    });
    if (failures.length) throw occurrenceError(failures, starts.length > 1);

    // Giving the intake to this supporter takes one of their places (counted by load, under the supporter's lock).
    const newAssignment = ctx.intake.status === 'open' || ctx.intake.supporterId !== ctx.supporter.id;
    if (newAssignment) {
      const [full] = hardRuleViolations(
        { service: ctx.intake.service },
        { ...ctx.supporter, activeCases: ctx.activeCases ?? 0 },
      );
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
        // 128 random bits: the room is the only secret between a video link and a stranger
        videoRoom: randomBytes(16).toString('base64url'),
      };
      return { row, token: manage.token };
    });
    // Each library writes its own rows, in this transaction and in one round trip: the bookings (first: the
    // outbox rows refer to them), the intake's status, the outbox.
    let created: Booking[];
    try {
      [created] = await together(
        m,
        () =>
          this.repo.insertConfirmed(
            planned.map((x) => x.row),
            { actorUserId: user.id, actorRole: user.role },
            m,
          ),
        () =>
          ctx.intake.status !== 'booked'
            ? this.intakes.setAssignment(ctx.intake, ctx.supporter.id, 'booked', m)
            : Promise.resolve(ctx.intake),
        () =>
          this.notifications.enqueueConfirmations(
            m,
            planned.map((x) => messagesInput(x.row, ctx.caller, ctx.supporter, x.token)),
          ),
      );
    } catch (err) {
      // A concurrent booking (of the caller, with another supporter: this one's row is locked) won the race.
      if (
        err instanceof DomainError &&
        starts.length > 1 &&
        (err.code === 'slot_taken' || err.code === 'caller_busy')
      ) {
        throw occurrenceError(await this.clashesNow(err.code, ctx, intervals), true);
      }
      throw err;
    }
    return created;
  }

  /** After a lost race (the transaction is over): which occurrences clash with what is committed now. */
  private async clashesNow(
    code: 'slot_taken' | 'caller_busy',
    ctx: BookingContext,
    intervals: Interval[],
  ): Promise<Occurrence[]> {
    const span = { start: intervals[0].start - DAY, end: intervals[intervals.length - 1].end + DAY };
    const busy =
      code === 'slot_taken'
        ? (await this.repo.busyOfSupporters([ctx.supporter.id], span)).get(ctx.supporter.id)!
        : await this.repo.busyOfCaller(ctx.caller.id, span);
    const clash = (iv: Interval) => overlapsAny(iv, busy, code === 'slot_taken' ? ctx.policy.bufferMinutes : 0);
    const found = intervals.flatMap((iv, index) => (clash(iv) ? [{ index, start: toIso(iv.start), code }] : []));
    return found.length ? found : [{ index: 0, start: toIso(intervals[0].start), code }];
  }

  /** 409s carry the supporter's next free slots. */
  private async withAlternatives(err: unknown, dto: CreateBookingDto): Promise<never> {
    if (err instanceof DomainError && (err.code === 'slot_taken' || err.code === 'caller_busy')) {
      err.extras.alternatives = await this.contexts
        .alternatives(dto.supporterId, dto.intakeId, parseInstant(dto.start)!.toMillis(), dto.durationMinutes)
        .catch(() => []);
    }
    throw err;
  }
}

function occurrenceError(failures: Occurrence[], series: boolean): DomainError {
  const conflict = failures.find((f) => f.code === 'slot_taken' || f.code === 'caller_busy');
  const first = conflict ?? failures[0];
  const detail = series
    ? `${failures.length} of the occurrences cannot be booked, so none was booked.`
    : describe(first.code);
  return new DomainError(first.code, detail, series ? { occurrences: failures } : {});
}
