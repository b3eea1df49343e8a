import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@app/auth';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { IntakeService } from '@app/intake';
import { NotificationsService } from '@app/notifications';
import { hardRuleViolations } from '@app/rules';
import { SupportersService } from '@app/supporters';
import { BookingContexts, describe, modalityFor, occurrenceProblem } from './booking-context';
import { messagesInput, supporterRecipient, toBookingView } from './booking-view';
import { BookingsRepository } from './bookings.repository';
import { BookingView, ReassignBookingDto } from './dto/booking.dto';
import { newManageToken } from './manage-token';

/**
 * Use case: the same session, at the same time, with another supporter (booked with the wrong one, or the
 * supporter cannot take it). The same rules as a new booking with that supporter: availability, time off,
 * sociable hours in both zones, notice, horizon, conflict of interest, capacity; the exclusion constraint
 * decides overlaps. One transaction: the booking, its history (with the reason), the intake's supporter, the
 * caller's message (a reschedule: new invite, new link, the new supporter's first name), both supporters'
 * notices (a CANCEL to the old, a REQUEST to the new), the audit event.
 */
@Injectable()
export class ReassignBookingService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly contexts: BookingContexts,
    private readonly intakes: IntakeService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly supporters: SupportersService,
  ) {}

  reassign(id: string, dto: ReassignBookingDto, user: AuthUser): Promise<BookingView> {
    return this.repo.transaction(async (m) => {
      const b = await this.repo.lock(id, m);
      if (!b) throw DomainError.notFound('Booking');
      b.assertChangeable('reassigned');
      if (dto.supporterId === b.supporterId)
        throw DomainError.validation([{ field: 'supporterId', message: 'is already this booking’s supporter' }]);
      const from = b.supporterId;
      // The intake is assigned to the old supporter: moving it is the point, so "assigned elsewhere" does not apply.
      const ctx = await this.contexts.load(b.intakeId, dto.supporterId, m, { forReschedule: true, countCases: true });
      const code = occurrenceProblem(ctx, { start: b.startsAt.getTime(), end: b.endsAt.getTime() });
      if (code) throw new DomainError(code, describe(code));
      if (ctx.intake.supporterId !== ctx.supporter.id) {
        const [full] = hardRuleViolations(
          { service: ctx.intake.service },
          { ...ctx.supporter, activeCases: ctx.activeCases ?? 0 },
        );
        if (full) throw new DomainError(full.code, full.text);
      }
      const modality = ctx.modalities.includes(b.modality) ? b.modality : modalityFor(undefined, ctx);
      const manage = newManageToken();
      b.reassign(ctx.supporter.id, modality, ctx.policy.bufferMinutes, manage.hash);
      const saved = await this.repo.save(b, m);
      await this.repo.addEvent(
        {
          bookingId: b.id,
          kind: 'rescheduled',
          actorUserId: user.id,
          actorRole: user.role,
          reason: `Reassigned to another supporter: ${dto.reason}`,
          previousStart: b.startsAt,
          newStart: b.startsAt,
        },
        m,
      );
      await this.intakes.setAssignment(ctx.intake, ctx.supporter.id, 'booked', m);
      await this.notifications.enqueueBookingMessages(m, {
        kind: 'reschedule',
        ...messagesInput(saved, ctx.caller, ctx.supporter, manage.token),
        // the session was theirs: they are told it no longer is (the new supporter hears of a new session)
        formerSupporter: supporterRecipient(await this.supporters.require(from, m)),
      });
      await this.audit.record(
        'booking.reassign',
        b.callerId,
        { bookingId: b.id, intakeId: b.intakeId, fromSupporterId: from, toSupporterId: ctx.supporter.id },
        m,
      );
      return toBookingView(saved);
    });
  }
}
