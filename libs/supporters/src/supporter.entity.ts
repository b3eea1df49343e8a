import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SupporterKind = 'peer' | 'counsellor';
export type Modality = 'phone' | 'video';

@Entity({ name: 'supporters' })
export class Supporter {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') kind: SupporterKind;
  @Column('text') displayName: string;
  @Column('text') email: string;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) specialty: string | null;
  @Column('text', { nullable: true }) gender: string | null;
  @Column('text', { array: true }) languages: string[];
  @Column('text') timeZone: string;
  @Column('text', { array: true }) workplaces: string[];
  @Column('integer') maxActiveCases: number;
  @Column('text', { array: true }) modalities: Modality[];
  @Column('boolean') active: boolean;
  /** E-mails (with an invite) about each change to the supporter's bookings; the supporter or an admin switches them off. */
  @Column('boolean', { default: true }) notifyByEmail: boolean;
  /** The supporter's own meeting link (https), used for their video sessions instead of a room under VIDEO_ROOM_BASE_URL. */
  @Column('text', { nullable: true }) meetingUrl: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
