import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { assertSupporterScope } from '@app/auth';
import { DomainError, parseInstant } from '@app/common';
import { Policies, PoliciesService } from '@app/policies';
import { sociableConstraint } from '@app/rules';
import { expandWeeklyRules, generateSlots, Interval, toIso } from '@app/scheduling';
import { Supporter, SupportersService } from '@app/supporters';
import { BookingsRepository } from './bookings.repository';
import { SlotList, SlotsQueryDto, SlotView } from './dto/slots-query.dto';

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 92;

export interface FreeSlotQuery {
  range: Interval;
  durationMinutes: number;
  /** Peer support: also inside sociable hours in the caller's zone. */
  callerTimeZone?: string;
  limit?: number;
  policy: Policies;
  now: number;
}

@Injectable()
export class SlotsService {
  constructor(
    private readonly supporters: SupportersService,
    private readonly policies: PoliciesService,
    private readonly bookings: BookingsRepository,
  ) {}

  async slots(supporterId: string, q: SlotsQueryDto, user: AuthUser, now = Date.now()): Promise<SlotList> {
    assertSupporterScope(user, supporterId);
    const from = q.from ? parseInstant(q.from)!.toMillis() : now;
    const to = q.to ? parseInstant(q.to)!.toMillis() : from + 14 * DAY;
    if (to <= from) throw DomainError.validation([{ field: 'to', message: 'must be later than from' }]);
    if (to - from > MAX_RANGE_DAYS * DAY)
      throw DomainError.validation([{ field: 'to', message: `must be at most ${MAX_RANGE_DAYS} days after from` }]);
    const [supporter, policy] = await Promise.all([this.supporters.require(supporterId), this.policies.get()]);
    const slots = await this.freeSlots(supporter, {
      range: { start: from, end: to },
      durationMinutes: q.durationMinutes ?? policy.defaultDurationMinutes,
      callerTimeZone: q.callerTimeZone,
      policy,
      now,
    });
    return { slots };
  }

  /** The supporter's free slots: weekly rules, minus time off and booked time (with buffers), within notice and horizon. */
  async freeSlots(supporter: Supporter, q: FreeSlotQuery, manager?: EntityManager): Promise<SlotView[]> {
    const { policy, range } = q;
    const [schedules, busy] = await Promise.all([
      this.supporters.schedules([supporter], range, manager),
      this.bookings.busyOfSupporters([supporter.id], { start: range.start - DAY, end: range.end + DAY }, manager),
    ]);
    const schedule = schedules.get(supporter.id)!;
    const slots = generateSlots({
      windows: expandWeeklyRules(schedule.rules, supporter.timeZone, range),
      busy: busy.get(supporter.id)!,
      timeOff: schedule.timeOff,
      durationMinutes: q.durationMinutes,
      bufferMinutes: policy.bufferMinutes,
      range,
      earliestStart: q.now + policy.minimumNoticeMinutes * 60_000,
      latestEnd: q.now + policy.bookingHorizonDays * DAY,
      sociable: sociableConstraint(supporter.kind, policy.sociableHours, supporter.timeZone, q.callerTimeZone),
      limit: q.limit,
    });
    return slots.map((s) => ({ start: toIso(s.start), end: toIso(s.end) }));
  }
}
