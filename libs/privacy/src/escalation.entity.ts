import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type EscalationKind = 'risk_to_patients' | 'risk_to_self';

/** The rare, recorded break of confidentiality. Admin-only to read; nothing goes to the caller. */
@Entity({ name: 'escalations' })
export class Escalation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') intakeId: string;
  @Column('uuid') callerId: string;
  @Column('text') kind: EscalationKind;
  @Column('text') summary: string;
  @Column('text') actionTaken: string;
  @Column('uuid') createdBy: string;
  @Column('text') createdByRole: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
