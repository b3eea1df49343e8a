import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Escalation } from './escalation.entity';

@Injectable()
export class EscalationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  insert(values: Omit<Escalation, 'id' | 'createdAt'>, m: EntityManager): Promise<Escalation> {
    const repo = m.getRepository(Escalation);
    return repo.save(repo.create(values));
  }

  ofCaller(callerId: string): Promise<Escalation[]> {
    return this.ds.getRepository(Escalation).find({ where: { callerId }, order: { createdAt: 'ASC' } });
  }

  latest(limit: number): Promise<Escalation[]> {
    return this.ds.getRepository(Escalation).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  async eraseCaller(callerId: string, m: EntityManager): Promise<void> {
    await m.query(`UPDATE escalations SET summary = '[erased]', action_taken = '[erased]' WHERE caller_id = $1`, [
      callerId,
    ]);
  }
}
