// One file (~330 lines) on purpose: the intake lifecycle (create, list, end) and the few calls the matching, booking
// and privacy libraries make on intakes and callers share the transitions table and the repository; split it when a
// second use case grows (a read model for lists would be the first candidate).
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import type { AuthUser } from '@app/auth';
import {
  APP_CONFIG,
  AppConfig,
  decodeCursor,
  DomainError,
  encodeCursor,
  normalisePhone,
  parseInstant,
  readableReference,
} from '@app/common';
import { NotificationsService } from '@app/notifications';
import { callbackDueAt, callbackOverdue, callbackOverdueCutoff, WorkingWeek } from '@app/rules';
import { Policies, PoliciesService } from '@app/policies';
import { isUniqueViolation } from '@app/database';
import { Caller } from './caller.entity';
import { CreateIntakeDto } from './dto/create-intake.dto';
import { CreateIntakeResponse, IntakeList, IntakeListQuery, IntakeView } from './dto/intake-view.dto';
import { SupportRequestDto, SupportRequestResponse } from './dto/request.dto';
import { Channel, Intake, IntakeStatus, UNBOOKABLE_STATUSES } from './intake.entity';
import { IntakesRepository } from './intakes.repository';
import { signpostingFor } from './signposting';

/** Which status changes the lifecycle allows (open → assigned → booked → closed, and withdrawn). */
const TRANSITIONS: Record<IntakeStatus, IntakeStatus[]> = {
  open: ['assigned', 'booked', 'closed', 'withdrawn'],
  assigned: ['assigned', 'booked', 'closed', 'withdrawn'],
  booked: ['booked', 'closed', 'withdrawn'],
  closed: [],
  signposted: [],
  withdrawn: [],
};

export function canTransition(from: IntakeStatus, to: IntakeStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function toIntakeView(i: Intake, caller: { name: string | null; timeZone: string | null } | null): IntakeView {
  const signposting = signpostingFor(i.immediateDanger, i.gmcInvestigation);
  return {
    id: i.id,
    callerId: i.callerId,
    callerName: caller?.name ?? null,
    callerTimeZone: caller?.timeZone ?? null,
    service: i.service,
    channel: i.channel,
    status: i.status,
    supporterId: i.supporterId,
    preferences: i.preferences,
    risk: { immediateDanger: i.immediateDanger },
    gmcInvestigation: i.gmcInvestigation,
    ...(signposting ? { signposting } : {}),
    preferredTimes: i.preferredTimes,
    message: i.message,
    reference: i.reference,
    consentedAt: i.consentedAt?.toISOString(),
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    endedAt: i.endedAt?.toISOString() ?? null,
    endReason: i.endReason ?? null,
  };
}

export interface IntakeExtras {
  channel?: Channel;
  preferredTimes?: string | null;
  message?: string | null;
  reference?: string | null;
  /** Runs in the same transaction, after the intake is written. */
  afterCreate?: (m: EntityManager, intake: Intake, caller: Caller) => Promise<void>;
}

/** How many references a web request tries before giving up (a second collision in a row is ~10^-18). */
const REFERENCE_ATTEMPTS = 3;

/** A web request's call-back promise: within `hours` working hours of the line's working week (both policy). */
interface CallbackPromise {
  hours: number;
  week: WorkingWeek;
}

function promiseOf(p: Policies): CallbackPromise {
  const w = p.workingHours;
  return {
    hours: p.callbackWorkingHours,
    week: { zone: w.timeZone, weekdays: w.weekdays, start: w.start, end: w.end },
  };
}

@Injectable()
export class IntakeService {
  constructor(
    private readonly repo: IntakesRepository,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly policies: PoliciesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(dto: CreateIntakeDto, user: AuthUser | null, extras: IntakeExtras = {}): Promise<CreateIntakeResponse> {
    // A concurrent first call from the same number can lose the insert race once; the retry finds the winner.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.repo.transaction((m) => this.createIn(dto, user, extras, m));
      } catch (err) {
        if (attempt === 0 && (isUniqueViolation(err, 'uq_callers_phone') || isUniqueViolation(err, 'uq_callers_email')))
          continue;
        throw err;
      }
    }
  }

  private async createIn(
    dto: CreateIntakeDto,
    user: AuthUser | null,
    extras: IntakeExtras,
    m: EntityManager,
  ): Promise<CreateIntakeResponse> {
    // Staff on a call have the person on the line; a web form could be filled in by anyone.
    const { caller, created } = await this.recogniseCaller(dto, m, (extras.channel ?? 'phone') === 'phone');
    await this.audit.record(
      created ? 'caller.create' : 'caller.update',
      caller.id,
      { channel: extras.channel ?? 'phone' },
      m,
    );
    const danger = dto.risk.immediateDanger;
    const gmc = dto.gmcInvestigation ?? false;
    const intake = await this.repo.insertIntake(
      {
        callerId: caller.id,
        service: dto.service,
        channel: extras.channel ?? 'phone',
        status: danger ? 'signposted' : 'open',
        supporterId: null,
        preferences: { ...(dto.preferences ?? {}) },
        immediateDanger: danger,
        gmcInvestigation: gmc,
        consentedAt: new Date(),
        preferredTimes: extras.preferredTimes ?? null,
        message: extras.message ?? null,
        reference: extras.reference ?? null,
        createdBy: user?.id ?? null,
        endedAt: danger ? new Date() : null,
      },
      m,
    );
    await this.audit.record('intake.create', caller.id, { intakeId: intake.id }, m);
    await extras.afterCreate?.(m, intake, caller);
    const signposting = signpostingFor(danger, gmc);
    return { id: intake.id, callerId: caller.id, status: intake.status, ...(signposting ? { signposting } : {}) };
  }

  /** Same normalised phone, or same e-mail: the same caller. Their details are refreshed from this call. */
  private async recogniseCaller(
    dto: CreateIntakeDto,
    m: EntityManager,
    trusted: boolean,
  ): Promise<{ caller: Caller; created: boolean }> {
    const c = dto.caller;
    const phone = normalisePhone(c.phone)!;
    const email = c.email?.trim() || undefined;
    const existing = await this.repo.findCallerForUpdate(phone, email, m);
    const details: Partial<Caller> = {
      name: c.name,
      role: c.role,
      ...(c.specialty !== undefined ? { specialty: c.specialty } : {}),
      ...(c.workplace !== undefined ? { workplace: c.workplace } : {}),
      ...(c.timeZone !== undefined ? { timeZone: c.timeZone } : {}),
      ...(c.gender !== undefined ? { gender: c.gender } : {}),
      ...(c.ethnicity !== undefined ? { ethnicity: c.ethnicity } : {}),
      ...(c.age !== undefined ? { age: c.age } : {}),
      ...(c.language !== undefined ? { language: c.language } : {}),
      lastContactAt: new Date(),
    };
    if (!existing) {
      const caller = await this.repo.saveCaller(
        { ...details, phone, email: email ?? null, timeZone: c.timeZone ?? 'Europe/London' },
        m,
      );
      await this.repo.addCallerPhone(caller.id, phone, m);
      return { caller, created: true };
    }
    if (!trusted) {
      // An anonymous web request is linked to the caller it names (so continuity still works), but it
      // never changes their stored name, number or address: confirmations and manage links go there.
      await this.repo.touchCaller(existing.id, m);
      return { caller: existing, created: false };
    }
    Object.assign(existing, details);
    // Recognised by e-mail with a new number: the newest number becomes the current one, and every
    // number they rang from keeps recognising them. A new e-mail is kept unless another caller has it.
    if (existing.phone !== phone) {
      existing.phone = phone;
      await this.repo.addCallerPhone(existing.id, phone, m);
    }
    if (
      email &&
      existing.email?.toLowerCase() !== email.toLowerCase() &&
      !(await this.repo.emailTakenByOther(email, existing.id, m))
    ) {
      existing.email = email;
    }
    return { caller: await this.repo.saveCaller(existing, m), created: false };
  }

  /**
   * The public web form. The answer is the same whether or not the number is
   * known (nothing to learn from it); a filled honeypot gets a 201 and stores
   * nothing; the acknowledgement says only that the request arrived and when
   * to expect a call, and is not sent when the person was signposted.
   */
  async createRequest(dto: SupportRequestDto): Promise<SupportRequestResponse> {
    const danger = dto.risk.immediateDanger;
    const gmc = dto.gmcInvestigation ?? false;
    const signposting = signpostingFor(danger, gmc);
    const policy = await this.policies.get();
    const answerWith = (reference: string): SupportRequestResponse => ({
      reference,
      status: danger ? 'signposted' : 'open',
      ...(danger ? {} : { callbackWorkingHours: policy.callbackWorkingHours }),
      ...(signposting ? { signposting } : {}),
    });
    if (dto.website) return answerWith(this.newRequestReference());
    // One in about 10^9 per stored request: a taken reference (uq_intakes_reference) rolls the whole
    // transaction back, and the request is stored again under a new one.
    for (let attempt = 1; ; attempt++) {
      const reference = this.newRequestReference();
      try {
        await this.storeRequest(dto, reference, policy.callbackWorkingHours);
        return answerWith(reference);
      } catch (err) {
        if (attempt < REFERENCE_ATTEMPTS && isUniqueViolation(err, 'uq_intakes_reference')) continue;
        throw err;
      }
    }
  }

  /** The reference a web request is given (a method of its own so that tests can force a collision). */
  newRequestReference(): string {
    return readableReference('RQ');
  }

  private async storeRequest(dto: SupportRequestDto, reference: string, callbackWorkingHours: number): Promise<void> {
    const danger = dto.risk.immediateDanger;
    await this.create(
      {
        service: dto.service,
        caller: {
          name: dto.caller.name,
          phone: dto.caller.phone,
          email: dto.caller.email,
          role: dto.caller.role,
          timeZone: dto.caller.timeZone,
        },
        risk: dto.risk,
        gmcInvestigation: dto.gmcInvestigation ?? false,
        consent: dto.consent,
      },
      null,
      {
        channel: 'web',
        preferredTimes: dto.preferredTimes || null,
        message: dto.message || null,
        reference,
        afterCreate: async (m, intake, caller) => {
          await this.audit.record('request.create', caller.id, { intakeId: intake.id }, m);
          if (danger) return;
          await this.notifications.enqueueAcknowledgement(m, {
            intakeId: intake.id,
            callerId: caller.id,
            email: caller.email,
            phone: caller.phone,
            reference,
            callbackWorkingHours,
          });
        },
      },
    );
  }

  async notificationsOf(id: string) {
    await this.require(id);
    return this.notifications.listForIntake(id);
  }

  async get(id: string): Promise<IntakeView> {
    const intake = await this.require(id);
    const caller = await this.repo.findCaller(intake.callerId);
    await this.audit.record('intake.read', intake.callerId, { intakeId: id });
    return this.withCallback(toIntakeView(intake, caller), intake, promiseOf(await this.policies.get()), new Date());
  }

  /** A web request's call-back promise: when it is due, and whether it is overdue (the rule in @app/rules). */
  private withCallback(view: IntakeView, i: Intake, promise: CallbackPromise, now: Date): IntakeView {
    if (i.channel !== 'web') return view;
    return {
      ...view,
      callbackDueAt: callbackDueAt(i.createdAt, promise.hours, promise.week).toISOString(),
      callbackOverdue: callbackOverdue(i, promise.hours, now, promise.week),
    };
  }

  async list(q: IntakeListQuery): Promise<IntakeList> {
    const limit = q.limit ?? 50;
    const now = new Date();
    const promise = promiseOf(await this.policies.get());
    let to = q.to ? parseInstant(q.to)!.toJSDate() : undefined;
    if (q.callbackOverdue) {
      // Overdue call-backs are open web requests received before the cutoff; other filters narrow them further.
      if ((q.channel && q.channel !== 'web') || (q.status && q.status !== 'open'))
        return { intakes: [], nextCursor: null };
      const cutoff = callbackOverdueCutoff(now, promise.hours, promise.week);
      if (!to || cutoff < to) to = cutoff;
    }
    const rows = await this.repo.list({
      status: q.callbackOverdue ? 'open' : q.status,
      service: q.service,
      channel: q.callbackOverdue ? 'web' : q.channel,
      from: q.from ? parseInstant(q.from)!.toJSDate() : undefined,
      to,
      afterId: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    await this.audit.record(
      'intake.list',
      page.map((r) => r.intake.callerId),
    );
    return {
      intakes: page.map((r) => this.withCallback(toIntakeView(r.intake, r.caller), r.intake, promise, now)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].intake.id) : null,
    };
  }

  /**
   * Closes or withdraws an intake (its supporter's place is free again). `alsoInTransaction`
   * lets the booking library cancel the intake's future sessions in the same transaction.
   */
  async end(
    id: string,
    to: 'closed' | 'withdrawn',
    alsoInTransaction?: (m: EntityManager, intake: Intake) => Promise<void>,
    reason?: string,
  ): Promise<IntakeView> {
    const intake = await this.repo.transaction(async (m) => {
      const i = await this.lock(id, m);
      this.transition(i, to);
      i.endedAt = new Date();
      i.endReason = reason ?? null;
      await this.audit.record('intake.update', i.callerId, { intakeId: id, status: to }, m);
      await alsoInTransaction?.(m, i);
      return this.repo.saveIntake(i, m);
    });
    const caller = await this.repo.findCaller(intake.callerId);
    return toIntakeView(intake, caller);
  }

  /**
   * Reopens a closed or withdrawn intake within INTAKE_REOPEN_DAYS of its end
   * (a mistaken click, or a caller who comes back soon after). It opens again
   * unassigned: the sessions ending it cancelled stay cancelled, and the
   * supporter's place may have been taken since. Outside the lifecycle table
   * on purpose: only this use case, with its window, may leave an end state.
   */
  async reopen(id: string): Promise<IntakeView> {
    const days = this.config.intakeReopenDays;
    const intake = await this.repo.transaction(async (m) => {
      const i = await this.lock(id, m);
      if (i.status !== 'closed' && i.status !== 'withdrawn') {
        throw new DomainError(
          'invalid_transition',
          `Only a closed or withdrawn intake can be reopened; this one is ${i.status}.`,
          { currentStatus: i.status },
        );
      }
      const until = new Date(i.endedAt!.getTime() + days * 86_400_000);
      if (Date.now() > until.getTime()) {
        throw new DomainError(
          'invalid_transition',
          days === 0
            ? 'Reopening intakes is turned off (INTAKE_REOPEN_DAYS is 0): take a new call instead.'
            : `An intake can be reopened only within ${days} days of ending; this one ended on ${i.endedAt!.toISOString().slice(0, 10)}. Take a new call instead.`,
          { currentStatus: i.status, reopenableUntil: until.toISOString() },
        );
      }
      const from = i.status;
      i.status = 'open';
      i.supporterId = null;
      i.endedAt = null;
      i.endReason = null;
      await this.audit.record('intake.update', i.callerId, { intakeId: id, status: 'open', reopenedFrom: from }, m);
      return this.repo.saveIntake(i, m);
    });
    const caller = await this.repo.findCaller(intake.callerId);
    return toIntakeView(intake, caller);
  }

  // ---- for the matching and booking libraries -------------------------------------------------

  async require(id: string, manager?: EntityManager): Promise<Intake> {
    const i = await this.repo.findIntake(id, manager);
    if (!i) throw DomainError.notFound('Intake');
    return i;
  }

  /** Locks the intake row for the rest of the transaction (assignment and booking go through here). */
  async lock(id: string, m: EntityManager): Promise<Intake> {
    const i = await this.repo.lockIntake(id, m);
    if (!i) throw DomainError.notFound('Intake');
    return i;
  }

  assertBookable(i: Intake): void {
    if (UNBOOKABLE_STATUSES.includes(i.status)) {
      throw new DomainError(
        'intake_not_bookable',
        i.status === 'signposted'
          ? 'This caller was signposted to urgent help; nothing can be matched or booked for this intake.'
          : `This intake is ${i.status}; nothing more can be matched or booked for it.`,
      );
    }
  }

  transition(i: Intake, to: IntakeStatus): void {
    if (!canTransition(i.status, to)) {
      throw new DomainError('invalid_transition', `An intake that is ${i.status} cannot become ${to}.`, {
        currentStatus: i.status,
      });
    }
    i.status = to;
  }

  /** Locks the intake for the rest of the transaction and reads its caller with it (booking's first read); null when there is no such intake. */
  lockWithCaller(id: string, m: EntityManager): Promise<{ intake: Intake; caller: Caller } | null> {
    return this.repo.lockWithCaller(id, m);
  }

  async setAssignment(
    i: Intake,
    supporterId: string,
    status: 'assigned' | 'booked',
    m: EntityManager,
  ): Promise<Intake> {
    this.transition(i, status);
    i.supporterId = supporterId;
    await this.repo.updateAssignment(i.id, supporterId, status, m);
    return i;
  }

  /**
   * A booking was undone within its grace period and the intake has no other: it is open again, with no supporter,
   * as before the booking (the supporter's place is free). Any other status is left as it is.
   */
  async reopenAfterUndo(i: Intake, m: EntityManager): Promise<Intake> {
    if (i.status !== 'booked' && i.status !== 'assigned') return i;
    i.status = 'open';
    i.supporterId = null;
    await this.repo.saveIntake(i, m);
    await this.audit.record(
      'intake.update',
      i.callerId,
      { intakeId: i.id, status: 'open', reason: 'booking_undone' },
      m,
    );
    return i;
  }

  async caller(id: string, manager?: EntityManager): Promise<Caller> {
    const c = await this.repo.findCaller(id, manager);
    if (!c) throw DomainError.notFound('Caller');
    return c;
  }

  // ---- for the privacy library ------------------------------------------------------------------

  /** Every caller with this number, written any way. Null when the input is not a possible number. */
  async findCallersByPhone(phone: string): Promise<Caller[] | null> {
    const normalised = normalisePhone(phone);
    if (!normalised) return null;
    return this.repo.findCallersByPhone(normalised);
  }

  findIntakeByReference(reference: string): Promise<Intake | null> {
    return this.repo.findIntakeByReference(reference);
  }

  searchCallersByName(terms: string[], limit: number): Promise<Caller[]> {
    return this.repo.searchCallersByName(terms, limit);
  }

  callersByIds(ids: string[]): Promise<Caller[]> {
    return this.repo.callersByIds(ids);
  }

  openIntakesOf(callerIds: string[]): Promise<Intake[]> {
    return this.repo.openIntakesOf(callerIds);
  }

  intakesOfCaller(callerId: string, manager?: EntityManager): Promise<Intake[]> {
    return this.repo.intakesOfCaller(callerId, manager);
  }

  eraseCaller(callerId: string, m: EntityManager): Promise<void> {
    return this.repo.eraseCaller(callerId, m);
  }

  callersWithoutContactSince(cutoff: Date, limit = 1000): Promise<string[]> {
    return this.repo.callersWithoutContactSince(cutoff, limit);
  }

  /** A booking or a session is contact too: retention counts from the latest. */
  touchCaller(callerId: string, m: EntityManager): Promise<void> {
    return this.repo.touchCaller(callerId, m);
  }

  /** One supporter's active cases, not counting this intake: booking's caseload check, under the supporter's lock. */
  activeCasesOf(supporterId: string, excludeIntakeId: string, m: EntityManager): Promise<number> {
    return this.repo.activeCasesOf(supporterId, excludeIntakeId, m);
  }

  activeCaseCounts(
    supporterIds: string[] | undefined,
    excludeIntakeId?: string,
    manager?: EntityManager,
  ): Promise<Map<string, number>> {
    return this.repo.activeCaseCounts(supporterIds, excludeIntakeId, manager);
  }
}
