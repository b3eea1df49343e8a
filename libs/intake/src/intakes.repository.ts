import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { Caller } from './caller.entity';
import { ACTIVE_STATUSES, Channel, Intake, IntakeStatus, Service } from './intake.entity';

export interface IntakeFilter {
  status?: IntakeStatus;
  service?: Service;
  channel?: Channel;
  from?: Date;
  to?: Date;
  after?: { createdAt: Date; id: string };
  limit: number;
}

@Injectable()
export class IntakesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /** The caller with this phone, else with this e-mail; locked for the rest of the transaction. */
  async findCallerForUpdate(phone: string, email: string | undefined, m: EntityManager): Promise<Caller | null> {
    const qb = m.getRepository(Caller).createQueryBuilder('c').setLock('pessimistic_write');
    const byPhone = await qb.clone().where('c.phone = :phone', { phone }).getOne();
    if (byPhone || !email) return byPhone;
    return qb.clone().where('lower(c.email) = lower(:email)', { email }).getOne();
  }

  async emailTakenByOther(email: string, callerId: string, m: EntityManager): Promise<boolean> {
    const n = await m.getRepository(Caller).createQueryBuilder('c')
      .where('lower(c.email) = lower(:email)', { email }).andWhere('c.id <> :callerId', { callerId }).getCount();
    return n > 0;
  }

  saveCaller(caller: Partial<Caller>, m: EntityManager): Promise<Caller> {
    const repo = m.getRepository(Caller);
    return repo.save(repo.create(caller));
  }

  findCaller(id: string, manager?: EntityManager): Promise<Caller | null> {
    return this.m(manager).getRepository(Caller).findOneBy({ id });
  }

  insertIntake(values: Partial<Intake>, m: EntityManager): Promise<Intake> {
    const repo = m.getRepository(Intake);
    return repo.save(repo.create(values));
  }

  findIntake(id: string, manager?: EntityManager): Promise<Intake | null> {
    return this.m(manager).getRepository(Intake).findOneBy({ id });
  }

  lockIntake(id: string, m: EntityManager): Promise<Intake | null> {
    return m.getRepository(Intake).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  saveIntake(intake: Intake, m: EntityManager): Promise<Intake> {
    return m.getRepository(Intake).save(intake);
  }

  async list(f: IntakeFilter): Promise<{ intake: Intake; callerName: string | null }[]> {
    const qb = this.ds.getRepository(Intake).createQueryBuilder('i')
      .leftJoin(Caller, 'c', 'c.id = i.caller_id')
      .addSelect('c.name', 'caller_name');
    if (f.status) qb.andWhere('i.status = :status', { status: f.status });
    if (f.service) qb.andWhere('i.service = :service', { service: f.service });
    if (f.channel) qb.andWhere('i.channel = :channel', { channel: f.channel });
    if (f.from) qb.andWhere('i.created_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('i.created_at < :to', { to: f.to });
    if (f.after) {
      const { createdAt, id } = f.after;
      qb.andWhere(new Brackets((w) => w.where('i.created_at < :ca', { ca: createdAt }).orWhere('i.created_at = :ca AND i.id < :cid', { ca: createdAt, cid: id })));
    }
    qb.orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'DESC').limit(f.limit);
    const { entities, raw } = await qb.getRawAndEntities();
    return entities.map((intake, idx) => ({ intake, callerName: raw[idx]?.caller_name ?? null }));
  }

  /** Active cases per supporter, optionally not counting one intake. */
  async activeCaseCounts(supporterIds: string[], excludeIntakeId?: string, manager?: EntityManager): Promise<Map<string, number>> {
    const out = new Map<string, number>(supporterIds.map((id) => [id, 0]));
    if (!supporterIds.length) return out;
    const rows: { supporter_id: string; n: string }[] = await this.m(manager).query(
      `SELECT supporter_id, count(*) AS n FROM intakes
        WHERE supporter_id = ANY($1) AND status = ANY($2) AND ($3::uuid IS NULL OR id <> $3)
        GROUP BY supporter_id`,
      [supporterIds, ACTIVE_STATUSES, excludeIntakeId ?? null],
    );
    for (const r of rows) out.set(r.supporter_id, Number(r.n));
    return out;
  }
}
