import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { assertSupporterScope } from '@app/auth';
import { queryRange } from '@app/common';
import { Policies, PoliciesService } from '@app/policies';
import { sociableConstraint } from '@app/rules';
import { expandWeeklyRules, generateSlots, Interval, toIso } from '@app/scheduling';
import { Supporter, SupportersService } from '@app/supporters';
import { BookingsRepository } from './bookings.repository';
import { SlotList, SlotsQueryDto, SlotView } from './dto/slots-query.dto';

const DAY = 86_400_000;

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
    const range = queryRange(q, { now, defaultDays: 14, maxDays: 92 });
    const [supporter, policy] = await Promise.all([this.supporters.require(supporterId), this.policies.get()]);
    const slots = await this.freeSlots(supporter, {
      range,
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
