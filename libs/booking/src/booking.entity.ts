import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type BookingStatus = 'confirmed' | 'cancelled' | 'completed' | 'no_show';
export type Modality = 'phone' | 'video';

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
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
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
