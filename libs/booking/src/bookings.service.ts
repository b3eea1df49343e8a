import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { decodeCursor, DomainError, encodeCursor, parseInstant } from '@app/common';
import { Caller, IntakeService } from '@app/intake';
import { NotificationsService, NotificationView, SupporterNoticeView } from '@app/notifications';
import type { Interval } from '@app/scheduling';
import type { Booking } from './booking.entity';
import { toBookingView } from './booking-view';
import type { SessionOutline } from './dto/session-outline.dto';
import { BookingsRepository } from './bookings.repository';
import { BookingList, BookingListQuery, BookingView } from './dto/booking.dto';

/**
 * Use case: booking queries — a booking, its history and messages, lists;
 * and what the matching and privacy libraries read of bookings. Creating and
 * changing bookings are CreateBookingService and ChangeBookingService; the
 * caller's link, ManageLinkService.
 */
@Injectable()
export class BookingsService {
  constructor(
    private readonly repo: BookingsRepository,
    private readonly intakes: IntakeService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  // ---- read ------------------------------------------------------------------------------------

  async get(id: string, user: AuthUser): Promise<BookingView> {
    const b = await this.repo.find(id);
    if (!b || (user.role === 'supporter' && b.supporterId !== user.supporterId)) throw DomainError.notFound('Booking');
    if (user.role !== 'supporter') return toBookingView(b);
    await this.audit.record('booking.read', b.callerId, { bookingId: id });
    return toBookingView(b, await this.intakes.caller(b.callerId));
  }

  /** GET /bookings/:id/notifications: same access as the booking itself. */
  async notificationsOf(
    id: string,
    user: AuthUser,
  ): Promise<{ notifications: NotificationView[]; supporterNotices: SupporterNoticeView[] }> {
    await this.get(id, user);
    return this.notifications.listForBooking(id);
  }

  async history(id: string, user: AuthUser) {
    await this.get(id, user);
    const events = await this.repo.events(id);
    return {
      events: events.map((e) => ({
        kind: e.kind,
        at: e.at.toISOString(),
        actorUserId: e.actorUserId,
        actorRole: e.actorRole,
        reason: e.reason,
        previousStart: e.previousStart?.toISOString() ?? null,
        newStart: e.newStart?.toISOString() ?? null,
      })),
    };
  }

  async list(q: BookingListQuery, user: AuthUser): Promise<BookingList> {
    const limit = q.limit ?? 100;
    const rows = await this.repo.list({
      // A supporter sees only its own bookings, whatever it asks for.
      supporterId: user.role === 'supporter' ? user.supporterId! : q.supporterId,
      callerId: q.callerId,
      intakeId: q.intakeId,
      status: q.status,
      from: q.from ? parseInstant(q.from)!.toJSDate() : undefined,
      to: q.to ? parseInstant(q.to)!.toJSDate() : undefined,
      afterId: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const callers = new Map<string, Caller>();
    if (user.role === 'supporter') {
      for (const id of new Set(page.map((b) => b.callerId))) callers.set(id, await this.intakes.caller(id));
      // The supporter sees these callers' name, phone and e-mail: a read of personal data.
      await this.audit.record('booking.read', [...callers.keys()]);
    }
    if (q.callerId) await this.audit.record('bookings.read_by_caller', q.callerId);
    return {
      bookings: page.map((b) => toBookingView(b, callers.get(b.callerId))),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  // ---- for matching ------------------------------------------------------------------------------

  busyOfSupporters(ids: string[], range: Interval, manager?: EntityManager): Promise<Map<string, Interval[]>> {
    return this.repo.busyOfSupporters(ids, range, manager);
  }

  busyOfAll(range: Interval): Promise<Map<string, Interval[]>> {
    return this.repo.busyOfAll(range);
  }

  supportersOfCaller(callerId: string, manager?: EntityManager): Promise<Set<string>> {
    return this.repo.supportersOfCaller(callerId, manager);
  }

  // ---- for the calendars library (a supporter's private feed) ------------------------------------

  /** The supporter's confirmed sessions starting in [range.start, range.end): their outline only, nothing about the caller. */
  async confirmedSessionsOf(supporterId: string, range: Interval): Promise<SessionOutline[]> {
    const rows = await this.repo.list({
      supporterId,
      status: 'confirmed',
      from: new Date(range.start),
      to: new Date(range.end),
      limit: 5000,
    });
    return rows.map((b) => ({
      id: b.id,
      reference: b.reference,
      start: b.startsAt,
      end: b.endsAt,
      modality: b.modality,
      sequence: b.sequence,
      updatedAt: b.updatedAt,
    }));
  }

  // ---- for the privacy library ------------------------------------------------------------------

  lastSupporters(callerIds: string[]) {
    return this.repo.lastSupporters(callerIds);
  }

  supportersSeenBy(callerId: string) {
    return this.repo.supportersSeenBy(callerId);
  }

  findByReference(reference: string): Promise<Booking | null> {
    return this.repo.findByReference(reference);
  }

  /** Confirmed sessions of the supporter overlapping [from, to) (time off over them), soonest first. */
  confirmedOfSupporterDuring(supporterId: string, from: Date, to: Date): Promise<Booking[]> {
    return this.repo.confirmedOfSupporterDuring(supporterId, from, to);
  }

  upcomingOfCallers(callerIds: string[], now = new Date()): Promise<Booking[]> {
    return this.repo.upcomingOfCallers(callerIds, now);
  }

  supporterHasIntake(supporterId: string, intakeId: string): Promise<boolean> {
    return this.repo.supporterHasIntake(supporterId, intakeId);
  }

  async bookingsOfCaller(callerId: string, opts: { withHistory?: boolean } = {}) {
    const bookings = await this.repo.byCaller(callerId);
    if (!opts.withHistory) return bookings.map((b) => toBookingView(b));
    const events = await this.repo.eventsOf(bookings.map((b) => b.id));
    return bookings.map((b) => ({
      ...toBookingView(b),
      history: events
        .filter((e) => e.bookingId === b.id)
        .map((e) => ({
          kind: e.kind,
          at: e.at.toISOString(),
          actorRole: e.actorRole,
          reason: e.reason,
          previousStart: e.previousStart?.toISOString() ?? null,
          newStart: e.newStart?.toISOString() ?? null,
        })),
    }));
  }

  eraseCaller(callerId: string, m: EntityManager): Promise<void> {
    return this.repo.eraseCaller(callerId, m);
  }
}
