import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '@app/common';
import { together } from '@app/database';
import { Caller, Intake, IntakeService } from '@app/intake';
import { Policies, PoliciesService } from '@app/policies';
import { hardRuleViolations, insideSociableHours, overlapsAny, sociableZones } from '@app/rules';
import { expandWeeklyRules, Interval, isInsideAnyWindow, mergeIntervals, WeeklyRule } from '@app/scheduling';
import { Supporter, SupportersService } from '@app/supporters';
import { Modality } from './booking.entity';
import { SlotView } from './dto/slots-query.dto';
import { SlotsService } from './slots.service';

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** What one booking use case has locked and loaded before it checks occurrences. */
export interface BookingContext {
  intake: Intake;
  caller: Caller;
  supporter: Supporter;
  policy: Policies;
  rules: WeeklyRule[];
  timeOff: Interval[];
  now: number;
  /** The supporter's active cases not counting this intake, counted under the supporter's lock (create only). */
  activeCases?: number;
  /** What the supporter can offer now: video only when there is a link to give (SupportersService.offeredModalities). */
  modalities: Modality[];
}

/** Words for the contract's codes of a time that cannot be booked. */
export function describe(code: ErrorCode): string {
  switch (code) {
    case 'too_soon':
      return 'That start is inside the minimum notice period.';
    case 'beyond_horizon':
      return 'That start is beyond the booking horizon.';
    case 'outside_availability':
      return "That time is outside the supporter's availability (or in their time off).";
    case 'outside_sociable_hours':
      return "Peer support runs only within sociable hours, in both the peer's and the caller's local time.";
    case 'slot_taken':
      return 'The supporter already has a session at that time.';
    case 'caller_busy':
      return 'The caller already has a session at that time.';
    default:
      return 'That time cannot be booked.';
  }
}

/** The first problem with booking this time (notice, horizon, sociable hours, availability and time off); null when there is none. */
export function occurrenceProblem(ctx: BookingContext, iv: Interval): ErrorCode | null {
  const { policy, now, supporter, caller } = ctx;
  if (iv.start < now + policy.minimumNoticeMinutes * MINUTE) return 'too_soon';
  if (iv.end > now + policy.bookingHorizonDays * DAY) return 'beyond_horizon';
  if (
    !insideSociableHours(iv, policy.sociableHours, sociableZones(supporter.kind, supporter.timeZone, caller.timeZone))
  )
    return 'outside_sociable_hours';
  const windows = mergeIntervals(
    expandWeeklyRules(ctx.rules, supporter.timeZone, { start: iv.start - DAY, end: iv.end + DAY }),
  );
  if (!isInsideAnyWindow(iv, windows) || overlapsAny(iv, ctx.timeOff)) return 'outside_availability';
  return null;
}

/** The modality asked for (it must be offered), else the caller's preference when offered, else the supporter's first. */
export function modalityFor(asked: Modality | undefined, ctx: BookingContext): Modality {
  const offered = ctx.modalities;
  if (asked === 'video' && !offered.includes('video') && ctx.supporter.modalities.includes('video')) {
    throw new DomainError(
      'video_unavailable',
      'Video sessions need a video link, and none is configured for this supporter (VIDEO_ROOM_BASE_URL or their own meeting link). Book by phone.',
    );
  }
  if (!offered.length) {
    throw new DomainError(
      'video_unavailable',
      'This supporter offers video sessions only, and no video link is configured for them. Choose another supporter.',
    );
  }
  if (asked) {
    if (!offered.includes(asked))
      throw DomainError.validation([
        { field: 'modality', message: `this supporter offers ${offered.join(' or ')} only` },
      ]);
    return asked;
  }
  const preferred = ctx.intake.preferences?.modality;
  return preferred && offered.includes(preferred) ? preferred : offered[0];
}

/** Loading and locking what creating and rescheduling a booking check; the supporter's next free slots for a 409. */
@Injectable()
export class BookingContexts {
  constructor(
    private readonly intakes: IntakeService,
    private readonly supporters: SupportersService,
    private readonly policies: PoliciesService,
    private readonly slots: SlotsService,
  ) {}

  /**
   * Locks the intake (reading its caller) and then the supporter (reading its
   * schedule), in the order assignment uses, and with `countCases` counts the
   * supporter's active cases, each through its own library and all in one
   * round trip, then checks the per-booking hard rules that need no clock
   * (capacity is the create use case's to decide).
   */
  async load(
    intakeId: string,
    supporterId: string,
    m: EntityManager,
    opts: { forReschedule?: boolean; countCases?: boolean } = {},
  ): Promise<BookingContext> {
    const policy = await this.policies.get(m);
    const now = Date.now();
    // One round trip for the reads; PostgreSQL runs them in this order, so the intake is locked before the
    // supporter, as assignment locks them, and the caseload is counted once the supporter's row is ours (READ
    // COMMITTED: that statement sees every assignment committed before), so it is exact. (An intake found
    // unbookable below has locked its supporter for nothing, and a count not needed is thrown away.)
    const [locked, schedule, activeCases] = await together(
      m,
      () => this.intakes.lockWithCaller(intakeId, m),
      () =>
        this.supporters.lockWithSchedule(
          supporterId,
          { start: now - DAY, end: now + (policy.bookingHorizonDays + 2) * DAY },
          m,
        ),
      () => (opts.countCases ? this.intakes.activeCasesOf(supporterId, intakeId, m) : Promise.resolve(undefined)),
    );
    if (!locked) throw DomainError.notFound('Intake');
    const { intake, caller } = locked;
    this.intakes.assertBookable(intake);
    assertNotAssignedElsewhere(intake, supporterId, opts);
    if (!schedule) throw DomainError.notFound('Supporter');
    const { supporter } = schedule;
    // The caller's preferences (gender, languages) guide matching; they do not refuse a booking.
    const [broken] = hardRuleViolations({ service: intake.service, callerWorkplace: caller.workplace }, supporter);
    if (broken) throw new DomainError(broken.code, broken.text);
    return {
      intake,
      caller,
      supporter,
      policy,
      rules: schedule.rules,
      timeOff: schedule.timeOff,
      now,
      activeCases,
      modalities: this.supporters.offeredModalities(supporter),
    };
  }

  /** The supporter's next three free slots from `from` (within four weeks and the horizon), in both sides' sociable hours. */
  async alternatives(
    supporterId: string,
    intakeId: string,
    from: number,
    durationMinutes?: number,
  ): Promise<SlotView[]> {
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
}

function assertNotAssignedElsewhere(intake: Intake, supporterId: string, opts: { forReschedule?: boolean }): void {
  const assignedElsewhere = intake.supporterId && intake.supporterId !== supporterId && intake.status !== 'open';
  if (assignedElsewhere && !opts.forReschedule) {
    throw new DomainError(
      'assigned_elsewhere',
      'This intake is assigned to another supporter. Book with them, or reassign the intake first.',
      {
        supporterId: intake.supporterId,
      },
    );
  }
}
