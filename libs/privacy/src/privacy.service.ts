import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { BookingsService } from '@app/booking';
import { APP_CONFIG, AppConfig, DomainError } from '@app/common';
import { Caller, IntakeService, toIntakeView } from '@app/intake';
import { NotificationsService } from '@app/notifications';
import { CallerLookupResponse, CreateEscalationDto, EscalationList, EscalationView } from './dto/privacy.dto';
import { Escalation } from './escalation.entity';
import { EscalationsRepository } from './escalations.repository';
import { inTransaction } from '@app/database';

function callerView(c: Caller) {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    email: c.email,
    role: c.role,
    specialty: c.specialty,
    workplace: c.workplace,
    timeZone: c.timeZone,
    gender: c.gender,
    ethnicity: c.ethnicity,
    age: c.age,
    language: c.language,
    lastContactAt: c.lastContactAt.toISOString(),
    erasedAt: c.erasedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}

function escalationView(e: Escalation): EscalationView {
  return {
    id: e.id,
    intakeId: e.intakeId,
    callerId: e.callerId,
    kind: e.kind,
    summary: e.summary,
    actionTaken: e.actionTaken,
    createdBy: e.createdBy,
    createdByRole: e.createdByRole,
    createdAt: e.createdAt.toISOString(),
  };
}

/**
 * The caller's record as the privacy notice promises it: looked up only by
 * staff, every read and change audited, everything exportable, and erasable
 * (on request, or after RETENTION_YEARS without contact) while bookings stay
 * as anonymous history.
 */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger('Privacy');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intakes: IntakeService,
    private readonly bookings: BookingsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly escalationsRepo: EscalationsRepository,
  ) {}

  async lookup(phone: string): Promise<CallerLookupResponse> {
    const callers = await this.intakes.findCallersByPhone(phone);
    if (callers === null)
      throw DomainError.validation([{ field: 'phone', message: 'must be a phone number, e.g. 07700 900123' }]);
    const last = await this.bookings.lastSupporters(callers.map((c) => c.id));
    await this.audit.record(
      'caller.lookup',
      callers.map((c) => c.id),
    );
    return {
      callers: callers.map((c) => ({
        id: c.id,
        name: c.name,
        phone: c.phone,
        email: c.email,
        ...(last.has(c.id) ? { lastSupporter: last.get(c.id)! } : {}),
      })),
    };
  }

  async record(callerId: string) {
    const caller = await this.intakes.caller(callerId);
    const [intakes, bookings, supportersSeen] = [
      await this.intakes.intakesOfCaller(callerId),
      await this.bookings.bookingsOfCaller(callerId),
      await this.bookings.supportersSeenBy(callerId),
    ];
    await this.audit.record('caller.read', callerId);
    return {
      ...callerView(caller),
      intakes: intakes.map((i) => toIntakeView(i, caller)),
      bookings,
      supportersSeen,
    };
  }

  /** Subject access request: everything held about the caller, as JSON. */
  async export(callerId: string) {
    const caller = await this.intakes.caller(callerId);
    const intakes = await this.intakes.intakesOfCaller(callerId);
    const bookings = await this.bookings.bookingsOfCaller(callerId, { withHistory: true });
    const messages = await this.notifications.messagesOfCaller(callerId);
    const escalations = await this.escalationsRepo.ofCaller(callerId);
    const audit = await this.audit.list({ callerId, limit: 500 });
    await this.audit.record('caller.export', callerId);
    return {
      exportedAt: new Date().toISOString(),
      caller: callerView(caller),
      intakes: intakes.map((i) => toIntakeView(i, caller)),
      bookings,
      messages,
      escalations: escalations.map(escalationView),
      auditEvents: audit.events,
    };
  }

  /** Erases the caller's personal data everywhere, in one transaction, and records that (without the values). */
  async erase(
    callerId: string,
    reason: 'request' | 'retention' = 'request',
  ): Promise<{ id: string; erasedAt: string }> {
    await inTransaction(this.ds, async (m) => {
      const caller = await this.intakes.caller(callerId, m);
      if (caller.erasedAt) return;
      await this.eraseIn(callerId, m);
      await this.audit.record(reason === 'request' ? 'caller.erase' : 'caller.retention_erase', callerId, {}, m);
    });
    const after = await this.intakes.caller(callerId);
    return { id: callerId, erasedAt: after.erasedAt!.toISOString() };
  }

  private async eraseIn(callerId: string, m: EntityManager): Promise<void> {
    await this.bookings.eraseCaller(callerId, m);
    await this.notifications.eraseCaller(callerId, m);
    await this.escalationsRepo.eraseCaller(callerId, m);
    await this.intakes.eraseCaller(callerId, m);
  }

  /** Callers with no contact for RETENTION_YEARS. With dryRun, only lists them. */
  async retention(opts: {
    dryRun: boolean;
    now?: Date;
  }): Promise<{ cutoff: string; callerIds: string[]; erased: number }> {
    const now = opts.now ?? new Date();
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.config.retentionYears);
    const ids = await this.intakes.callersWithoutContactSince(cutoff);
    let erased = 0;
    if (!opts.dryRun) {
      for (const id of ids) {
        await this.erase(id, 'retention');
        erased++;
      }
      if (erased)
        this.logger.log(`retention: erased ${erased} caller(s) with no contact since ${cutoff.toISOString()}`);
    }
    return { cutoff: cutoff.toISOString(), callerIds: ids, erased };
  }

  // ---- escalations -------------------------------------------------------------------------------

  async escalate(intakeId: string, dto: CreateEscalationDto, user: AuthUser): Promise<EscalationView> {
    const intake = await this.intakes.require(intakeId);
    if (user.role === 'supporter' && !(await this.bookings.supporterHasIntake(user.supporterId!, intakeId))) {
      throw DomainError.forbidden('Only the supporter of one of this intake’s sessions may record an escalation.');
    }
    const e = await inTransaction(this.ds, async (m) => {
      const saved = await this.escalationsRepo.insert(
        {
          intakeId,
          callerId: intake.callerId,
          kind: dto.kind,
          summary: dto.summary,
          actionTaken: dto.actionTaken,
          createdBy: user.id,
          createdByRole: user.role,
        },
        m,
      );
      await this.audit.record(
        'escalation.create',
        intake.callerId,
        { intakeId, escalationId: saved.id, kind: dto.kind },
        m,
      );
      return saved;
    });
    return escalationView(e);
  }

  async escalations(): Promise<EscalationList> {
    const rows = await this.escalationsRepo.latest(500);
    await this.audit.record(
      'escalation.read',
      rows.map((r) => r.callerId),
    );
    return { escalations: rows.map(escalationView) };
  }
}
