import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CallerRole = 'doctor' | 'medical_student';

/** A doctor or medical student who has contacted the line. Personal fields are exactly those in the privacy notice. */
@Entity({ name: 'callers' })
export class Caller {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { nullable: true }) name: string | null;
  /** E.164 */
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text') role: CallerRole;
  @Column('text', { nullable: true }) specialty: string | null;
  @Column('text', { nullable: true }) workplace: string | null;
  @Column('text') timeZone: string;
  @Column('text', { nullable: true }) gender: string | null;
  @Column('text', { nullable: true }) ethnicity: string | null;
  @Column('smallint', { nullable: true }) age: number | null;
  @Column('text', { nullable: true }) language: string | null;
  @Column('timestamptz') lastContactAt: Date;
  @Column('timestamptz', { nullable: true }) erasedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
