import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/common';
import { RateLimiter, RateLimits } from '@app/database';
import { firstName } from '@app/notifications';
import { Supporter, SupportersService } from '@app/supporters';
import { Booking } from './booking.entity';
import { DAY } from './booking-context';
import { BookingsRepository } from './bookings.repository';
import { ChangeBookingService } from './change-booking.service';
import { ManagedBookingView } from './dto/manage.dto';
import { hashManageToken, isManageToken } from './manage-token';

/** A manage link stops working this long after its session ended. */
const MANAGE_LINK_GRACE = 7 * DAY;
const MANAGE_REQUESTS_PER_MINUTE = 30;

/** Use case: the caller's self-service through the link in their messages (no login). */
@Injectable()
export class ManageLinkService {
  /** Per client IP, for the unauthenticated manage endpoints; counted in PostgreSQL (shared by every API process). */
  private readonly limiter: RateLimiter;

  constructor(
    private readonly repo: BookingsRepository,
    private readonly change: ChangeBookingService,
    private readonly supporters: SupportersService,
    limits: RateLimits,
  ) {
    this.limiter = limits.limiter({ name: 'manage', points: MANAGE_REQUESTS_PER_MINUTE, durationSeconds: 60 });
  }

  async view(token: string, ip: string): Promise<ManagedBookingView> {
    await this.limiter.consume(ip);
    const b = liveLink(isManageToken(token) ? await this.repo.findByManageTokenHash(hashManageToken(token)) : null);
    return managed(b, await this.supporters.require(b.supporterId), this.supporters);
  }

  /** The caller cancels through the link: like any cancel (messages included); asking twice is answered the same. */
  async cancel(token: string, ip: string): Promise<ManagedBookingView> {
    await this.limiter.consume(ip);
    return this.repo.transaction(async (m) => {
      const b = liveLink(
        isManageToken(token) ? await this.repo.lockByManageTokenHash(hashManageToken(token), m) : null,
      );
      if (b.status !== 'cancelled') {
        await this.change.cancelLocked(
          b,
          { actorUserId: null, actorRole: 'caller' },
          'Cancelled by the caller with the manage link',
          m,
        );
      }
      return managed(b, await this.supporters.require(b.supporterId, m), this.supporters);
    });
  }
}

/** Unknown, replaced (rescheduled) and expired links all answer 404 alike. */
function liveLink(b: Booking | null): Booking {
  if (!b || b.endsAt.getTime() + MANAGE_LINK_GRACE < Date.now()) throw DomainError.notFound('Booking');
  return b;
}

function managed(b: Booking, supporter: Supporter, supporters: SupportersService): ManagedBookingView {
  return {
    reference: b.reference,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    modality: b.modality,
    status: b.status,
    supporterFirstName: firstName(supporter.displayName),
    videoUrl: b.status === 'confirmed' ? supporters.videoLink(supporter, b) : null,
  };
}
