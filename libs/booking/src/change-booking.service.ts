import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { DomainError, parseInstant } from '@app/common';
import { FeedbackService } from '@app/feedback';
import { IntakeService, IntakeView } from '@app/intake';
import { NotificationsService } from '@app/notifications';
import { SupportersService } from '@app/supporters';
import { Booking, BookingEventKind } from './booking.entity';
import { BookingContexts, describe, MINUTE, occurrenceProblem } from './booking-context';
import { messagesInput, toBookingView } from './booking-view';
import { BookingsRepository } from './bookings.repository';
import { BookingView, CancelBookingDto, RescheduleBookingDto } from './dto/booking.dto';
import { newManageToken } from './manage-token';

/** Who changed a booking, for its history. */
export interface Actor {
  actorUserId: string | null;
  actorRole: string;
}

export function actorOf(user: AuthUser): Actor {
  return { actorUserId: user.id, actorRole: user.role };
}

/**
 * Use case: change a booking — cancel, reschedule, complete, no-show, and
 * cancelling an ending intake's future sessions. Each change is a status
 * transition on the Booking entity, its history entry and its messages, in
 * one transaction.
 */
@Injectable()
export class ChangeBookingService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly contexts: BookingContexts,
    private readonly intakes: IntakeService,
    private readonly supporters: SupportersService,
    private readonly notifications: NotificationsService,
    private readonly feedback: FeedbackService,
  ) {}

  /** Closes or withdraws an intake; its confirmed future sessions are cancelled in the same transaction, with notice. */
  endIntake(intakeId: string, to: 'closed' | 'withdrawn', user: AuthUser, endReason?: string): Promise<IntakeView> {
    return this.intakes.end(
      intakeId,
      to,
      async (m) => {
        const reason = to === 'withdrawn' ? 'The caller withdrew' : 'The intake was closed';
        for (const b of await this.repo.lockFutureOfIntake(intakeId, m)) {
          await this.cancelLocked(b, actorOf(user), reason, m);
        }
      },
      endReason,
    );
  }

  cancel(id: string, dto: CancelBookingDto, user: AuthUser): Promise<BookingView> {
    return this.repo.transaction(async (m) => {
      const b = await this.lockOwn(id, user, m);
      return toBookingView(await this.cancelLocked(b, actorOf(user), dto.reason, m));
    });
  }

  /** Cancels a locked booking, with its history entry and the cancellation messages, in `m`'s transaction. */
  async cancelLocked(b: Booking, actor: Actor, reason: string, m: EntityManager): Promise<Booking> {
    b.cancel();
    const saved = await this.repo.save(b, m);
    const [caller, supporter] = [
      await this.intakes.caller(b.callerId, m),
      await this.supporters.require(b.supporterId, m),
    ];
    await this.notifications.enqueueBookingMessages(m, {
      kind: 'cancellation',
      ...messagesInput(saved, caller, supporter, null),
    });
    await this.repo.addEvent({ ...event(b, 'cancelled', actor), reason }, m);
    return saved;
  }

  /** Same supporter, new time, one transaction: if the new time fails, the old booking stands. */
  async reschedule(id: string, dto: RescheduleBookingDto, user: AuthUser): Promise<BookingView> {
    const start = parseInstant(dto.start)!.toMillis();
    try {
      return await this.repo.transaction(async (m) => {
        const b = await this.lockOwn(id, user, m);
        b.assertChangeable('rescheduled'); // before anything else is locked or loaded
        const ctx = await this.contexts.load(b.intakeId, b.supporterId, m, { forReschedule: true });
        const iv = { start, end: start + (b.endsAt.getTime() - b.startsAt.getTime()) };
        const code = occurrenceProblem(ctx, iv);
        if (code) throw new DomainError(code, describe(code));
        const previousStart = b.startsAt;
        // A new link: the one in the earlier messages stops working.
        const manage = newManageToken();
        b.reschedule(iv, ctx.policy.bufferMinutes, manage.hash);
        const saved = await this.repo.save(b, m);
        await this.repo.addEvent({ ...event(b, 'rescheduled', actorOf(user)), previousStart, newStart: b.startsAt }, m);
        await this.notifications.enqueueBookingMessages(m, {
          kind: 'reschedule',
          ...messagesInput(saved, ctx.caller, ctx.supporter, manage.token),
        });
        return toBookingView(saved);
      });
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'slot_taken' || err.code === 'caller_busy')) {
        const b = await this.repo.find(id);
        if (b)
          err.extras.alternatives = await this.contexts
            .alternatives(b.supporterId, b.intakeId, start, (b.endsAt.getTime() - b.startsAt.getTime()) / MINUTE)
            .catch(() => []);
      }
      throw err;
    }
  }

  complete(id: string, user: AuthUser): Promise<BookingView> {
    return this.markOutcome(id, 'completed', user);
  }

  noShow(id: string, user: AuthUser): Promise<BookingView> {
    return this.markOutcome(id, 'no_show', user);
  }

  private markOutcome(id: string, status: 'completed' | 'no_show', user: AuthUser): Promise<BookingView> {
    return this.repo.transaction(async (m) => {
      const b = await this.lockOwn(id, user, m);
      b.markOutcome(status, Date.now());
      const saved = await this.repo.save(b, m);
      await this.repo.addEvent(event(b, status, actorOf(user)), m);
      await this.intakes.touchCaller(b.callerId, m);
      if (status === 'completed') {
        // The feedback link goes out with the commit that completes the session.
        const [intake, caller] = [await this.intakes.require(b.intakeId, m), await this.intakes.caller(b.callerId, m)];
        const token = await this.feedback.invite(intake.service, m);
        await this.notifications.enqueueFeedback(m, {
          bookingId: b.id,
          intakeId: b.intakeId,
          callerId: b.callerId,
          email: caller.email,
          phone: caller.phone,
          token,
        });
      }
      return toBookingView(saved);
    });
  }

  /** The booking, locked; a supporter's only when it is their own (else as if it did not exist). */
  private async lockOwn(id: string, user: AuthUser, m: EntityManager): Promise<Booking> {
    const b = await this.repo.lock(id, m);
    if (!b || (user.role === 'supporter' && b.supporterId !== user.supporterId)) throw DomainError.notFound('Booking');
    return b;
  }
}

function event(b: Booking, kind: BookingEventKind, actor: Actor) {
  return { bookingId: b.id, kind, ...actor, reason: null, previousStart: null, newStart: null };
}
