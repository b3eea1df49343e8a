import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The single row of service-wide booking policy (id is always 1). */
@Entity({ name: 'policies' })
export class PolicyRow {
  @PrimaryColumn('smallint')
  id: number;

  @Column('text')
  sociableStart: string;

  @Column('text')
  sociableEnd: string;

  @Column('smallint', { array: true })
  sociableWeekdays: number[];

  @Column('integer')
  defaultDurationMinutes: number;

  @Column('integer')
  bufferMinutes: number;

  @Column('integer')
  minimumNoticeMinutes: number;

  @Column('integer')
  bookingHorizonDays: number;

  /** Web self-referrals are told to expect a call within this many working hours. */
  @Column('integer')
  callbackWorkingHours: number;

  /** The line's own number, as callers should dial it; null until an admin sets it. */
  @Column('text', { nullable: true })
  supportLinePhone: string | null;

  @Column('jsonb')
  emergencyNumbers: { label: string; number: string }[];

  /** The week in which call-back promises are counted (libs/rules callbackDueAt). */
  @Column('jsonb')
  workingHours: { timeZone: string; weekdays: number[]; start: string; end: string };

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
