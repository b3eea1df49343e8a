import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '@app/auth';
import { AuditService } from '@app/audit';
import { APP_CONFIG, AppConfig, DomainError } from '@app/common';
import { IntakeService } from '@app/intake';
import { NotificationsService } from '@app/notifications';
import { InvalidBookingTransition } from './booking.entity';
import { toBookingView } from './booking-view';
import { BookingsRepository } from './bookings.repository';
import { BookingView } from './dto/booking.dto';

export const UNDO_REASON = 'Undone within the grace period; the caller was not told';

/**
 * Use case: undo a booking just made (a wrong click, the wrong supporter), within CONFIRMATION_GRACE_SECONDS.
 * Its confirmations have not left the outbox yet, so it is cancelled silently: no message to the caller. One
 * transaction: the booking cancelled, its pending messages cancelled, the intake open again when it has no other.
 */
@Injectable()
export class UndoBookingService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly intakes: IntakeService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  undo(id: string, user: AuthUser): Promise<BookingView> {
    return this.repo.transaction(async (m) => {
      const b = await this.repo.lock(id, m);
      if (!b) throw DomainError.notFound('Booking');
      // Only who made it knows it was a mistake; anyone else cancels, with notice.
      if (user.role !== 'admin' && b.createdBy !== user.id) {
        throw new DomainError(
          'forbidden',
          'Only the person who made this booking (or an admin) can undo it; cancel it instead.',
        );
      }
      b.assertChangeable('cancelled');
      const grace = this.config.confirmationGraceSeconds;
      if ((await this.repo.ageSeconds(id, m)) >= grace) {
        throw new InvalidBookingTransition(
          b.status,
          'cancelled',
          `The ${grace}-second grace period is over: the caller may have been told. Cancel the booking instead.`,
        );
      }
      if (!(await this.notifications.discardUnsent(id, m))) {
        throw new InvalidBookingTransition(
          b.status,
          'cancelled',
          'A message about this booking has already gone out. Cancel the booking instead.',
        );
      }
      b.cancel();
      const saved = await this.repo.save(b, m);
      await this.repo.addEvent(
        {
          bookingId: b.id,
          kind: 'cancelled',
          actorUserId: user.id,
          actorRole: user.role,
          reason: UNDO_REASON,
          previousStart: null,
          newStart: null,
        },
        m,
      );
      if (!(await this.repo.intakeHasOtherBookings(b.intakeId, b.id, m))) {
        await this.intakes.reopenAfterUndo(await this.intakes.lock(b.intakeId, m), m);
      }
      await this.audit.record('booking.undo', b.callerId, { bookingId: b.id, intakeId: b.intakeId }, m);
      return toBookingView(saved);
    });
  }
}
