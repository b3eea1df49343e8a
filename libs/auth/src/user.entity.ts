import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type Role = 'admin' | 'intake' | 'supporter';
export const ROLES: Role[] = ['admin', 'intake', 'supporter'];

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text')
  passwordHash: string;

  @Column('text')
  role: Role;

  @Column('uuid', { nullable: true })
  supporterId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Set while the user's access is taken away: no sign-in, and issued tokens are refused. */
  @Column('timestamptz', { nullable: true })
  deactivatedAt: Date | null;
}
