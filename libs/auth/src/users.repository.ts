import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { inTransaction } from '@app/database';
import { User } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly repo: Repository<User>) {}

  findByEmail(email: string): Promise<User | null> {
    return this.repo.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  insert(user: Pick<User, 'email' | 'passwordHash' | 'role' | 'supporterId'>): Promise<User> {
    return this.repo.save(this.repo.create(user));
  }

  list(): Promise<User[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.repo.manager.connection, work);
  }

  lock(id: string, m: EntityManager): Promise<User | null> {
    return m
      .getRepository(User)
      .createQueryBuilder('u')
      .setLock('pessimistic_write')
      .where('u.id = :id', { id })
      .getOne();
  }

  /** The active admins, locked: two admins cannot each take the other's access away and leave none. */
  async lockActiveAdmins(m: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM users WHERE role = 'admin' AND deactivated_at IS NULL ORDER BY id FOR UPDATE`,
    );
    return rows.map((r) => r.id);
  }

  async setDeactivatedAt(id: string, at: Date | null, m: EntityManager): Promise<void> {
    await m.query(`UPDATE users SET deactivated_at = $2 WHERE id = $1`, [id, at]);
  }

  /** Whether the user exists and is active: the guard's check, one primary-key lookup. */
  async isActive(id: string): Promise<boolean> {
    const rows: unknown[] = await this.repo.query(`SELECT 1 FROM users WHERE id = $1 AND deactivated_at IS NULL`, [id]);
    return rows.length > 0;
  }
}
