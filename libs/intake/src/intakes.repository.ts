import { Injectable } from '@nestjs/common';
import { hydrateEntity, inTransaction, queryPrepared } from '@app/database';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Caller } from './caller.entity';
import { ACTIVE_STATUSES, Channel, Intake, IntakeStatus, Service } from './intake.entity';

export interface IntakeFilter {
  status?: IntakeStatus;
  service?: Service;
  channel?: Channel;
  from?: Date;
  to?: Date;
  afterId?: string;
  limit: number;
}

@Injectable()
export class IntakesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.ds, work);
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /** The caller with this phone, else with this e-mail; locked for the rest of the transaction. */
  async findCallerForUpdate(phone: string, email: string | undefined, m: EntityManager): Promise<Caller | null> {
    const qb = m.getRepository(Caller).createQueryBuilder('c').setLock('pessimistic_write');
    const byPhone = await qb
      .clone()
      .where('c.id = (SELECT p.caller_id FROM caller_phones p WHERE p.phone = :phone)', { phone })
      .getOne();
    if (byPhone || !email) return byPhone;
    return qb.clone().where('lower(c.email) = lower(:email)', { email }).getOne();
  }

  async emailTakenByOther(email: string, callerId: string, m: EntityManager): Promise<boolean> {
    const n = await m
      .getRepository(Caller)
      .createQueryBuilder('c')
      .where('lower(c.email) = lower(:email)', { email })
      .andWhere('c.id <> :callerId', { callerId })
      .getCount();
    return n > 0;
  }

  saveCaller(caller: Partial<Caller>, m: EntityManager): Promise<Caller> {
    const repo = m.getRepository(Caller);
    return repo.save(repo.create(caller));
  }

  /** Remembers a number the caller rang from (a no-op when already known). */
  async addCallerPhone(callerId: string, phone: string, m: EntityManager): Promise<void> {
    await m.query(`INSERT INTO caller_phones (phone, caller_id) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING`, [
      phone,
      callerId,
    ]);
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
    return m
      .getRepository(Intake)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.id = :id', { id })
      .getOne();
  }

  /**
   * Locks the intake and reads its caller with it, in one statement (the
   * booking's first read; both rows as one JSON value each, made into
   * entities by hydrateEntity). Null when there is no such intake.
   */
  async lockWithCaller(id: string, m: EntityManager): Promise<{ intake: Intake; caller: Caller } | null> {
    const rows = await queryPrepared<{ i: Record<string, unknown>; c: Record<string, unknown> }>(
      m,
      `SELECT to_json(i) AS i, to_json(c) AS c FROM intakes i JOIN callers c ON c.id = i.caller_id WHERE i.id = $1 FOR UPDATE OF i`,
      [id],
    );
    if (!rows.length) return null;
    return { intake: hydrateEntity(this.ds, Intake, rows[0].i), caller: hydrateEntity(this.ds, Caller, rows[0].c) };
  }

  /**
   * The supporter's active cases, not counting `excludeIntakeId` (booking's caseload check, under the supporter's
   * lock). A named prepared statement with the statuses written out, so that its generic plan can prove the partial
   * index ix_intakes_active_cases (with `= ANY($n)` it could not).
   */
  async activeCasesOf(supporterId: string, excludeIntakeId: string, m: EntityManager): Promise<number> {
    const [row] = await queryPrepared<{ n: number }>(
      m,
      `SELECT count(*)::int AS n FROM intakes
        WHERE supporter_id = $1 AND status IN (${ACTIVE_STATUSES.map((st) => `'${st}'`).join(', ')}) AND id <> $2`,
      [supporterId, excludeIntakeId],
    );
    return row.n;
  }

  async updateAssignment(id: string, supporterId: string, status: string, m: EntityManager): Promise<void> {
    await queryPrepared(m, `UPDATE intakes SET supporter_id = $2, status = $3, updated_at = now() WHERE id = $1`, [
      id,
      supporterId,
      status,
    ]);
  }

  saveIntake(intake: Intake, m: EntityManager): Promise<Intake> {
    return m.getRepository(Intake).save(intake);
  }

  async list(f: IntakeFilter): Promise<{ intake: Intake; caller: { name: string | null; timeZone: string | null } }[]> {
    const qb = this.ds
      .getRepository(Intake)
      .createQueryBuilder('i')
      .leftJoin(Caller, 'c', 'c.id = i.caller_id')
      .addSelect('c.name', 'caller_name')
      .addSelect('c.time_zone', 'caller_time_zone');
    if (f.status) qb.andWhere('i.status = :status', { status: f.status });
    if (f.service) qb.andWhere('i.service = :service', { service: f.service });
    if (f.channel) qb.andWhere('i.channel = :channel', { channel: f.channel });
    if (f.from) qb.andWhere('i.created_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('i.created_at < :to', { to: f.to });
    if (f.afterId) {
      qb.andWhere('(i.created_at, i.id) < (SELECT a.created_at, a.id FROM intakes a WHERE a.id = :afterId)', {
        afterId: f.afterId,
      });
    }
    qb.orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'DESC').limit(f.limit);
    const { entities, raw } = await qb.getRawAndEntities<{
      caller_name: string | null;
      caller_time_zone: string | null;
    }>();
    return entities.map((intake, idx) => ({
      intake,
      caller: { name: raw[idx]?.caller_name ?? null, timeZone: raw[idx]?.caller_time_zone ?? null },
    }));
  }

  findCallersByPhone(phone: string): Promise<Caller[]> {
    return this.ds
      .getRepository(Caller)
      .createQueryBuilder('c')
      .where('c.id IN (SELECT p.caller_id FROM caller_phones p WHERE p.phone = :phone)', { phone })
      .getMany();
  }

  // ---- search (privacy's GET /search) ---------------------------------------------------------------

  findIntakeByReference(reference: string): Promise<Intake | null> {
    return this.ds.getRepository(Intake).findOneBy({ reference });
  }

  /**
   * Callers whose name holds every term (each at least three letters, so the
   * trigram index ix_callers_name_trgm can answer it), most recent contact first.
   * The terms are matched literally: LIKE's wildcards in them are escaped.
   */
  searchCallersByName(terms: string[], limit: number): Promise<Caller[]> {
    const qb = this.ds.getRepository(Caller).createQueryBuilder('c').where('c.erased_at IS NULL');
    terms.forEach((term, n) => {
      const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      qb.andWhere(`lower(c.name) LIKE :t${n} ESCAPE '\\'`, { [`t${n}`]: pattern });
    });
    return qb.orderBy('c.last_contact_at', 'DESC').addOrderBy('c.id', 'ASC').limit(limit).getMany();
  }

  callersByIds(ids: string[]): Promise<Caller[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(Caller).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).getMany();
  }

  /** The intakes of these callers that are still in progress (open, assigned, booked), newest first. */
  openIntakesOf(callerIds: string[]): Promise<Intake[]> {
    if (!callerIds.length) return Promise.resolve([]);
    return this.ds
      .getRepository(Intake)
      .createQueryBuilder('i')
      .where('i.caller_id = ANY(:callerIds)', { callerIds })
      .andWhere(`i.status IN ('open', 'assigned', 'booked')`)
      .orderBy('i.created_at', 'DESC')
      .getMany();
  }

  intakesOfCaller(callerId: string, manager?: EntityManager): Promise<Intake[]> {
    return this.m(manager)
      .getRepository(Intake)
      .find({ where: { callerId }, order: { createdAt: 'DESC' } });
  }

  /** Blanks every personal field of the caller and the free text of their intakes. */
  async eraseCaller(callerId: string, m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE callers SET name = NULL, phone = NULL, email = NULL, specialty = NULL, workplace = NULL, gender = NULL,
              ethnicity = NULL, age = NULL, language = NULL, erased_at = now(), updated_at = now()
        WHERE id = $1`,
      [callerId],
    );
    await m.query(`DELETE FROM caller_phones WHERE caller_id = $1`, [callerId]);
    await m.query(
      `UPDATE intakes SET preferred_times = NULL, message = NULL, end_reason = NULL, preferences = '{}'::jsonb, updated_at = now() WHERE caller_id = $1`,
      [callerId],
    );
  }

  /** Callers not erased whose last contact is before the cutoff. */
  async callersWithoutContactSince(cutoff: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM callers WHERE erased_at IS NULL AND last_contact_at < $1 ORDER BY last_contact_at LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((r) => r.id);
  }

  async touchCaller(callerId: string, m: EntityManager): Promise<void> {
    await m.query(`UPDATE callers SET last_contact_at = greatest(last_contact_at, now()) WHERE id = $1`, [callerId]);
  }

  /** Active cases per supporter (every supporter when `supporterIds` is undefined), optionally not counting one intake. */
  async activeCaseCounts(
    supporterIds: string[] | undefined,
    excludeIntakeId?: string,
    manager?: EntityManager,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>((supporterIds ?? []).map((id) => [id, 0]));
    if (supporterIds && !supporterIds.length) return out;
    const rows: { supporter_id: string; n: string }[] = await this.m(manager).query(
      `SELECT supporter_id, count(*) AS n FROM intakes
        WHERE ($1::uuid[] IS NULL OR supporter_id = ANY($1)) AND supporter_id IS NOT NULL AND status = ANY($2)
          AND ($3::uuid IS NULL OR id <> $3)
        GROUP BY supporter_id`,
      [supporterIds ?? null, ACTIVE_STATUSES, excludeIntakeId ?? null],
    );
    for (const r of rows) out.set(r.supporter_id, Number(r.n));
    return out;
  }
}
