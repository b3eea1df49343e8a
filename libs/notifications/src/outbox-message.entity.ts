import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Channel, MessageKind } from './templates';

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'cancelled' | 'expired';

/** One message to one recipient, written in the transaction of the change it announces. */
@Entity({ name: 'outbox_messages' })
export class OutboxMessage {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { nullable: true }) bookingId: string | null;
  @Column('uuid', { nullable: true }) intakeId: string | null;
  @Column('uuid', { nullable: true }) callerId: string | null;
  @Column('text') channel: Channel;
  @Column('text') kind: MessageKind;
  /** E-mail address or E.164 phone number: personal data, never logged. */
  @Column('text') recipient: string;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text') bodyText: string;
  @Column('text', { nullable: true }) bodyHtml: string | null;
  @Column('text', { nullable: true }) ics: string | null;
  @Column('jsonb', { nullable: true }) personalisation: Record<string, string> | null;
  @Column('text') status: OutboxStatus;
  @Column('integer') attempts: number;
  @Column('timestamptz') dueAt: Date;
  @Column('timestamptz', { nullable: true }) lockedUntil: Date | null;
  @Column('text', { nullable: true }) lastError: string | null;
  @Column('timestamptz', { nullable: true }) sentAt: Date | null;
  @Column('text') messageId: string;
  /** A message about a session is not sent from its start on (it becomes `expired`); null: no such limit. */
  @Column('timestamptz', { nullable: true }) expiresAt: Date | null;
  /** An admin's last resend; retrying gives up OUTBOX_GIVE_UP_AFTER after it (or after createdAt). */
  @Column('timestamptz', { nullable: true }) resentAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
