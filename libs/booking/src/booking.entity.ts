import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { DomainError } from '@app/common';
import type { Interval } from '@app/scheduling';

export type BookingStatus = 'confirmed' | 'cancelled' | 'completed' | 'no_show';
export type Modality = 'phone' | 'video';

/** A status change the booking's lifecycle does not allow (409 invalid_transition, with the booking's status). */
export class InvalidBookingTransition extends DomainError {
  constructor(
    readonly from: BookingStatus,
    to: BookingStatus | 'rescheduled' | 'reassigned',
    detail?: string,
  ) {
    super('invalid_transition', detail ?? `A ${from.replace('_', '-')} booking cannot be ${to.replace('_', '-')}.`, {
      bookingStatus: from,
    });
  }
}

@Entity({ name: 'bookings' })
export class Booking {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') reference: string;
  @Column('uuid') intakeId: string;
  @Column('uuid') supporterId: string;
  @Column('uuid') callerId: string;
  @Column('timestamptz') startsAt: Date;
  @Column('timestamptz') endsAt: Date;
  /** endsAt plus the buffer: the supporter's time is blocked until then (the exclusion constraint's range). */
  @Column('timestamptz') blockedUntil: Date;
  @Column('text') modality: Modality;
  @Column('text') status: BookingStatus;
  /** iCalendar SEQUENCE: raised on each reschedule and at the cancel. */
  @Column('integer') sequence: number;
  @Column('uuid', { nullable: true }) seriesId: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  /** SHA-256 (hex) of the caller's current manage token; the token itself is never stored. */
  @Column('text', { nullable: true }) manageTokenHash: string | null;
  /** The video room's name under VIDEO_ROOM_BASE_URL: random, made with the booking and kept across reschedules. */
  @Column('text', { nullable: true }) videoRoom: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  // ---- status transitions: only a confirmed booking changes, and each change raises the invite's SEQUENCE ----

  assertChangeable(to: BookingStatus | 'rescheduled' | 'reassigned'): void {
    if (this.status !== 'confirmed') throw new InvalidBookingTransition(this.status, to);
  }

  cancel(): void {
    this.assertChangeable('cancelled');
    this.status = 'cancelled';
    this.sequence += 1;
  }

  /** The same session at a new time, blocking the supporter `bufferMinutes` after it; the manage link is replaced. */
  reschedule(to: Interval, bufferMinutes: number, manageTokenHash: string): void {
    this.assertChangeable('rescheduled');
    this.startsAt = new Date(to.start);
    this.endsAt = new Date(to.end);
    this.blockedUntil = new Date(to.end + bufferMinutes * 60_000);
    this.sequence += 1;
    this.manageTokenHash = manageTokenHash;
  }

  /** The same session with another supporter (new invite SEQUENCE, new manage link). */
  reassign(supporterId: string, modality: Modality, bufferMinutes: number, manageTokenHash: string): void {
    this.assertChangeable('reassigned');
    this.supporterId = supporterId;
    this.modality = modality;
    this.blockedUntil = new Date(this.endsAt.getTime() + bufferMinutes * 60_000);
    this.sequence += 1;
    this.manageTokenHash = manageTokenHash;
  }

  /** The session's outcome, once it has started. */
  markOutcome(status: 'completed' | 'no_show', now: number): void {
    this.assertChangeable(status);
    if (now < this.startsAt.getTime()) {
      throw new InvalidBookingTransition(
        this.status,
        status,
        'A session can be marked completed or no-show only after it has started.',
      );
    }
    this.status = status;
  }
}

export type BookingEventKind = 'created' | 'rescheduled' | 'cancelled' | 'completed' | 'no_show';

@Entity({ name: 'booking_events' })
export class BookingEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid') bookingId: string;
  @Column('text') kind: BookingEventKind;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('text', { nullable: true }) actorRole: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { nullable: true }) previousStart: Date | null;
  @Column('timestamptz', { nullable: true }) newStart: Date | null;
  @Column('timestamptz') at: Date;
}
