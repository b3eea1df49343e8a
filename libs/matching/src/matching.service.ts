import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '@app/common';
import { BookingsService } from '@app/booking';
import { Caller, Intake, IntakeService, IntakeView } from '@app/intake';
import { Policies, PoliciesService } from '@app/policies';
import { toIso } from '@app/scheduling';
import { Supporter, SupportersService } from '@app/supporters';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { cheapExclusionReasons, findMutualSlots, matchSupporters } from './match';
import { MatchRequest, MatchSupporter } from './match.types';

const DAY = 86_400_000;

/** The hard rules in the order an assignment reports them. */
const RULE_ORDER: ErrorCode[] = ['wrong_service', 'inactive', 'conflict_of_interest', 'at_capacity', 'gender_preference', 'language', 'no_availability'];

export interface MatchesView {
  candidates: {
    supporterId: string;
    displayName: string;
    score: number;
    continuity: boolean;
    reasons: { code: string; text: string }[];
    nextSlots: { start: string; end: string }[];
  }[];
  excluded: { supporterId: string; displayName: string; continuity?: boolean; reasons: { code: string; text: string }[] }[];
}

function requestOf(intake: Intake, caller: Caller): MatchRequest {
  return {
    service: intake.service,
    caller: { timeZone: caller.timeZone, workplace: caller.workplace, specialty: caller.specialty },
    preferences: intake.preferences ?? {},
  };
}

/**
 * Feeds the pure matching core: one bulk load of every supporter's rules, time
 * off, bookings and caseload (a handful of queries, none per supporter).
 */
@Injectable()
export class MatchingService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly intakes: IntakeService,
    private readonly supporters: SupportersService,
    private readonly bookings: BookingsService,
    private readonly policies: PoliciesService,
  ) {}

  async matches(intakeId: string, limit = 5): Promise<MatchesView> {
    const intake = await this.intakes.require(intakeId);
    this.intakes.assertBookable(intake);
    const [caller, policy, all] = await Promise.all([this.intakes.caller(intake.callerId), this.policies.get(), this.supporters.listEntities()]);
    const now = Date.now();
    const inputs = await this.load(all, intake, caller, policy, now);
    const result = matchSupporters(requestOf(intake, caller), inputs, policy, { now, limit });
    return {
      candidates: result.candidates.map((c) => ({ ...c, nextSlots: c.nextSlots.map((s) => ({ start: toIso(s.start), end: toIso(s.end) })) })),
      excluded: result.excluded,
    };
  }

  /** Re-checks every hard rule with the supporter row locked, so the last place cannot be given twice. */
  async assign(intakeId: string, supporterId: string): Promise<IntakeView> {
    const intake = await this.ds.transaction(async (m) => {
      const i = await this.intakes.lock(intakeId, m);
      this.intakes.assertBookable(i);
      if (i.status === 'booked' && i.supporterId !== supporterId) {
        throw new DomainError('assigned_elsewhere', 'This intake already has sessions booked with another supporter; cancel them or close the intake first.');
      }
      const supporter = await this.supporters.lockForAssignment(supporterId, m);
      const [caller, policy] = await Promise.all([this.intakes.caller(i.callerId, m), this.policies.get(m)]);
      const now = Date.now();
      const [input] = await this.load([supporter], i, caller, policy, now, m);
      const request = requestOf(i, caller);
      const reasons = cheapExclusionReasons(request, input);
      if (!reasons.length && findMutualSlots(request, input, policy, now, 1).length === 0) {
        reasons.push({ code: 'no_availability', text: 'No mutual time within the booking horizon' });
      }
      if (reasons.length) {
        const code = RULE_ORDER.find((c) => reasons.some((r) => r.code === c)) ?? (reasons[0].code as ErrorCode);
        throw new DomainError(code, reasons.find((r) => r.code === code)!.text, { reasons });
      }
      return this.intakes.setAssignment(i, supporterId, i.status === 'booked' ? 'booked' : 'assigned', m);
    });
    return this.intakes.get(intake.id);
  }

  private async load(supporters: Supporter[], intake: Intake, caller: Caller, policy: Policies, now: number, m?: EntityManager): Promise<MatchSupporter[]> {
    const ids = supporters.map((s) => s.id);
    const range = { start: now - DAY, end: now + (policy.bookingHorizonDays + 2) * DAY };
    const [schedules, busy, caseloads, seenBefore] = await Promise.all([
      this.supporters.schedules(supporters, range, m),
      this.bookings.busyOfSupporters(ids, range, m),
      this.intakes.activeCaseCounts(ids, intake.id, m),
      this.bookings.supportersOfCaller(caller.id, m),
    ]);
    return supporters.map((s) => {
      const schedule = schedules.get(s.id)!;
      return {
        id: s.id,
        displayName: s.displayName,
        kind: s.kind,
        active: s.active,
        gender: s.gender,
        languages: s.languages,
        specialty: s.specialty,
        workplaces: s.workplaces,
        maxActiveCases: s.maxActiveCases,
        modalities: s.modalities,
        timeZone: s.timeZone,
        activeCases: caseloads.get(s.id) ?? 0,
        supportedBefore: seenBefore.has(s.id),
        rules: schedule.rules,
        timeOff: schedule.timeOff,
        busy: busy.get(s.id) ?? [],
      };
    });
  }
}
