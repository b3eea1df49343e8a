import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@app/auth';
import { assertSupporterScope } from '@app/auth';
import { DomainError, parseInstant } from '@app/common';
import { PoliciesService } from '@app/policies';
import { expandWeeklyRules, generateSlots, Interval, toIso } from '@app/scheduling';
import { SupportersService } from '@app/supporters';
import { SlotList, SlotsQueryDto } from './dto/slots-query.dto';

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 92;

@Injectable()
export class SlotsService {
  constructor(
    private readonly supporters: SupportersService,
    private readonly policies: PoliciesService,
  ) {}

  async slots(supporterId: string, q: SlotsQueryDto, user: AuthUser, now = Date.now()): Promise<SlotList> {
    assertSupporterScope(user, supporterId);
    const from = q.from ? parseInstant(q.from)!.toMillis() : now;
    const to = q.to ? parseInstant(q.to)!.toMillis() : from + 14 * DAY;
    if (to <= from) throw DomainError.validation([{ field: 'to', message: 'must be later than from' }]);
    if (to - from > MAX_RANGE_DAYS * DAY) throw DomainError.validation([{ field: 'to', message: `must be at most ${MAX_RANGE_DAYS} days after from` }]);
    const [supporter, policy] = await Promise.all([this.supporters.require(supporterId), this.policies.get()]);
    const range: Interval = { start: from, end: to };
    const schedule = (await this.supporters.schedules([supporter], range)).get(supporterId)!;
    const busy: Interval[] = [];
    const slots = generateSlots({
      windows: expandWeeklyRules(schedule.rules, supporter.timeZone, range),
      busy,
      timeOff: schedule.timeOff,
      durationMinutes: q.durationMinutes ?? policy.defaultDurationMinutes,
      bufferMinutes: policy.bufferMinutes,
      range,
      earliestStart: now + policy.minimumNoticeMinutes * 60_000,
      latestEnd: now + policy.bookingHorizonDays * DAY,
      sociable: supporter.kind === 'peer' ? { hours: policy.sociableHours, zones: [supporter.timeZone] } : undefined,
    });
    return { slots: slots.map((s) => ({ start: toIso(s.start), end: toIso(s.end) })) };
  }
}
