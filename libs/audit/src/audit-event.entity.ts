import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). Never holds personal data: ids only. */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('timestamptz') at: Date;
  @Column('uuid', { nullable: true }) userId: string | null;
  @Column('text', { nullable: true }) role: string | null;
  @Column('text') action: string;
  @Column('uuid', { nullable: true }) callerId: string | null;
  @Column('text', { nullable: true }) requestId: string | null;
  @Column('jsonb') details: { [key: string]: string | number | boolean | null };
}
