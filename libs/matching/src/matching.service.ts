import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError, ErrorCode } from '@app/common';
import { BookingsService } from '@app/booking';
import { Caller, Intake, IntakeService, IntakeView } from '@app/intake';
import { Policies, PoliciesService } from '@app/policies';
import { HARD_RULE_ORDER } from '@app/rules';
import { toIso } from '@app/scheduling';
import { Supporter, SupportersService } from '@app/supporters';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { cheapExclusionReasons, findMutualSlots, matchSupporters } from './match';
import { MatchRequest, MatchSupporter } from './match.types';
import { inTransaction } from '@app/database';

const DAY = 86_400_000;
/** How far ahead bookings are loaded before the core asks for more (its first search chunk is 3 days). */
const FIRST_WINDOW_DAYS = 4;

/** The hard rules in the order an assignment reports them. */
const RULE_ORDER: ErrorCode[] = [...HARD_RULE_ORDER, 'no_availability'];

export interface MatchesView {
  candidates: {
    supporterId: string;
    displayName: string;
    score: number;
    continuity: boolean;
    reasons: { code: string; text: string }[];
    nextSlots: { start: string; end: string }[];
  }[];
  excluded: {
    supporterId: string;
    displayName: string;
    continuity?: boolean;
    reasons: { code: string; text: string }[];
  }[];
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
    private readonly audit: AuditService,
  ) {}

  async matches(intakeId: string, limit = 5): Promise<MatchesView> {
    const intake = await this.intakes.require(intakeId);
    this.intakes.assertBookable(intake);
    const now = Date.now();
    // Everything else is read at once, on separate connections; the audit row is written meanwhile.
    const audited = this.audit.record('matches.read', intake.callerId, { intakeId });
    // Awaited below; this only keeps an early failure elsewhere from leaving it unhandled.
    audited.catch(() => undefined);
    const policy = await this.policies.get();
    const range = { start: now - DAY, end: now + (policy.bookingHorizonDays + 2) * DAY };
    // Bookings are loaded for a short window first: nearly every answer lies inside it. Supporters whose
    // answer needs more (the core says which) get their whole horizon loaded, and the match runs again.
    const knownUntil = now + FIRST_WINDOW_DAYS * DAY;
    const [caller, profiles, busy, caseloads, seenBefore, timeOff] = await Promise.all([
      this.intakes.caller(intake.callerId),
      this.supporters.profiles(),
      // from now: a session over before now cannot clash with a slot, which starts after now
      this.bookings.busyOfAll({ start: now, end: knownUntil + DAY }),
      this.intakes.activeCaseCounts(undefined, intake.id),
      this.bookings.supportersOfCaller(intake.callerId),
      // Time off (with the busy time imported from supporters' calendars: 50 blocks each add up to 50,000 rows)
      // for the same short window as the bookings, from the per-process copy that a version check keeps current;
      // the whole horizon is read only for those who need it, below.
      this.supporters.unavailabilityOfAll({ start: range.start, end: knownUntil + DAY }),
    ]);
    // A literal of fixed shape, not `{ ...p, … }`: the core reads these objects in its hot loop, and measured
    // (2026-12-03, 1,000 supporters, in process) it ran in 2.8–3.6 ms p50 over literals against 7.3–7.8 ms over
    // spread copies; bench:matching over HTTP showed the same gap (p50 14–23 against 30–38 ms). Kept for that.
    const inputs: MatchSupporter[] = profiles.map((p) => ({
      id: p.id,
      displayName: p.displayName,
      kind: p.kind,
      active: p.active,
      gender: p.gender,
      languages: p.languages,
      specialty: p.specialty,
      workplaces: p.workplaces,
      maxActiveCases: p.maxActiveCases,
      modalities: p.modalities,
      timeZone: p.timeZone,
      rules: p.rules,
      activeCases: caseloads.get(p.id) ?? 0,
      supportedBefore: seenBefore.has(p.id),
      timeOff: timeOff.get(p.id) ?? [],
      busy: busy.get(p.id) ?? [],
      busyKnownUntil: knownUntil,
    }));
    const request = requestOf(intake, caller);
    let result = matchSupporters(request, inputs, policy, { now, limit });
    if (result.incomplete.length) {
      const more = new Set(result.incomplete);
      const [full, fullTimeOff] = await Promise.all([
        this.bookings.busyOfSupporters([...more], range),
        this.supporters.timeOffOf([...more], range),
      ]);
      for (const input of inputs) {
        if (!more.has(input.id)) continue;
        input.busy = full.get(input.id) ?? [];
        input.timeOff = fullTimeOff.get(input.id) ?? [];
        input.busyKnownUntil = undefined;
      }
      result = matchSupporters(request, inputs, policy, { now, limit });
    }
    await audited;
    return {
      candidates: result.candidates.map((c) => ({
        ...c,
        nextSlots: c.nextSlots.map((s) => ({ start: toIso(s.start), end: toIso(s.end) })),
      })),
      excluded: result.excluded,
    };
  }

  /** Re-checks every hard rule with the supporter row locked, so the last place cannot be given twice. */
  async assign(intakeId: string, supporterId: string): Promise<IntakeView> {
    const intake = await inTransaction(this.ds, async (m) => {
      const i = await this.intakes.lock(intakeId, m);
      this.intakes.assertBookable(i);
      if (i.status === 'booked' && i.supporterId !== supporterId) {
        throw new DomainError(
          'assigned_elsewhere',
          'This intake already has sessions booked with another supporter; cancel them or close the intake first.',
        );
      }
      const supporter = await this.supporters.lockForAssignment(supporterId, m);
      const caller = await this.intakes.caller(i.callerId, m);
      const policy = await this.policies.get(m);
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
      await this.audit.record('intake.update', i.callerId, { intakeId, assignedTo: supporterId }, m);
      return this.intakes.setAssignment(i, supporterId, i.status === 'booked' ? 'booked' : 'assigned', m);
    });
    return this.intakes.get(intake.id);
  }

  /** What the core needs about the given supporters, inside the assignment's transaction. */
  private async load(
    supporters: Supporter[],
    intake: Intake,
    caller: Caller,
    policy: Policies,
    now: number,
    m?: EntityManager,
  ): Promise<MatchSupporter[]> {
    const ids = supporters.map((s) => s.id);
    const range = { start: now - DAY, end: now + (policy.bookingHorizonDays + 2) * DAY };
    // Sequential: inside a transaction they share one connection.
    const schedules = await this.supporters.schedules(supporters, range, m);
    const busy = await this.bookings.busyOfSupporters(ids, range, m);
    const caseloads = await this.intakes.activeCaseCounts(ids, intake.id, m);
    const seenBefore = await this.bookings.supportersOfCaller(caller.id, m);
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
        // video only when there is a link to give (issue 18)
        modalities: this.supporters.offeredModalities(s),
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
