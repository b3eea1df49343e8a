import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type Service = 'peer_support' | 'counselling';
export type Channel = 'phone' | 'web';
export type IntakeStatus = 'open' | 'assigned' | 'booked' | 'closed' | 'signposted' | 'withdrawn';

export interface IntakePreferences {
  supporterGender?: string;
  languages?: string[];
  modality?: 'phone' | 'video';
  sameSpecialty?: 'prefer' | 'avoid' | 'any';
}

@Entity({ name: 'intakes' })
export class Intake {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') callerId: string;
  @Column('text') service: Service;
  @Column('text') channel: Channel;
  @Column('text') status: IntakeStatus;
  @Column('uuid', { nullable: true }) supporterId: string | null;
  @Column('jsonb') preferences: IntakePreferences;
  @Column('boolean') immediateDanger: boolean;
  @Column('boolean') gmcInvestigation: boolean;
  @Column('timestamptz') consentedAt: Date;
  @Column('text', { nullable: true }) preferredTimes: string | null;
  @Column('text', { nullable: true }) message: string | null;
  /** Web requests: the reference the person was given. */
  @Column('text', { nullable: true }) reference: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @Column('timestamptz', { nullable: true }) endedAt: Date | null;
  /** Why it was closed or withdrawn, as staff wrote it (cleared on reopening). */
  @Column('text', { nullable: true }) endReason: string | null;
}

/** A supporter's active cases: intakes assigned to it that are assigned or booked. */
export const ACTIVE_STATUSES: IntakeStatus[] = ['assigned', 'booked'];
/** No matching, assigning or booking for these. */
export const UNBOOKABLE_STATUSES: IntakeStatus[] = ['signposted', 'closed', 'withdrawn'];
