import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AvailabilityRule } from './availability-rule.entity';
import { Supporter } from './supporter.entity';
import { TimeOff } from './time-off.entity';
import { hydrateEntity, inTransaction, queryPrepared } from '@app/database';

/** A supporter as matching needs it; rules as [weekday, startMinute, endMinute]. */
export interface SupporterProfile {
  id: string;
  displayName: string;
  kind: 'peer' | 'counsellor';
  active: boolean;
  gender: string | null;
  languages: string[];
  specialty: string | null;
  workplaces: string[];
  maxActiveCases: number;
  modalities: ('phone' | 'video')[];
  timeZone: string;
  rules: [number, number, number][];
}

@Injectable()
export class SupportersRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.ds, work);
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  insert(values: Partial<Supporter>): Promise<Supporter> {
    const repo = this.ds.getRepository(Supporter);
    return repo.save(repo.create(values));
  }

  save(supporter: Supporter, manager?: EntityManager): Promise<Supporter> {
    return this.m(manager).getRepository(Supporter).save(supporter);
  }

  findById(id: string, manager?: EntityManager): Promise<Supporter | null> {
    return this.m(manager).getRepository(Supporter).findOneBy({ id });
  }

  /** Locks the supporter row: availability changes and assignments of one supporter queue behind each other. */
  lockById(id: string, manager: EntityManager): Promise<Supporter | null> {
    return manager
      .getRepository(Supporter)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id })
      .getOne();
  }

  /**
   * Locks the supporter and reads its weekly rules and its time off (with the
   * busy time from its own calendar: the view supporter_unavailability)
   * overlapping [from, to) (epoch ms) with it, in one statement (booking's
   * second read). Rules and time off are those of the statement's snapshot:
   * a change committed while it waited for the lock counts as coming just
   * after. Null when there is no such supporter.
   */
  async lockWithSchedule(
    id: string,
    from: Date,
    to: Date,
    m: EntityManager,
  ): Promise<{ supporter: Supporter; rules: [number, number, number][]; timeOff: [number, number][] } | null> {
    const rows = await queryPrepared<{
      s: Record<string, unknown>;
      rules: [number, number, number][];
      time_off: [number, number][];
    }>(
      m,
      `SELECT to_json(s) AS s,
              (SELECT coalesce(json_agg(json_build_array(r.weekday, r.start_minute, r.end_minute) ORDER BY r.weekday, r.start_minute), '[]')
                 FROM availability_rules r WHERE r.supporter_id = s.id) AS rules,
              (SELECT coalesce(json_agg(json_build_array(date_part('epoch', t.starts_at) * 1000, date_part('epoch', t.ends_at) * 1000) ORDER BY t.starts_at), '[]')
                 FROM supporter_unavailability t WHERE t.supporter_id = s.id AND t.starts_at < $3 AND t.ends_at > $2) AS time_off
         FROM supporters s WHERE s.id = $1
          FOR UPDATE OF s`,
      [id, from, to],
    );
    if (!rows.length) return null;
    return { supporter: hydrateEntity(this.ds, Supporter, rows[0].s), rules: rows[0].rules, timeOff: rows[0].time_off };
  }

  list(filter: { kind?: string; active?: boolean } = {}): Promise<Supporter[]> {
    const where: Record<string, unknown> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.active !== undefined) where.active = filter.active;
    return this.ds.getRepository(Supporter).find({ where, order: { displayName: 'ASC', id: 'ASC' } });
  }

  rulesOf(supporterIds: string[], manager?: EntityManager): Promise<AvailabilityRule[]> {
    if (!supporterIds.length) return Promise.resolve([]);
    return this.m(manager)
      .getRepository(AvailabilityRule)
      .find({ where: { supporterId: In(supporterIds) }, order: { weekday: 'ASC', startMinute: 'ASC' } });
  }

  async replaceRules(
    supporterId: string,
    rules: Omit<AvailabilityRule, 'id' | 'supporterId'>[],
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(AvailabilityRule).delete({ supporterId });
    if (rules.length) await manager.getRepository(AvailabilityRule).insert(rules.map((r) => ({ ...r, supporterId })));
  }

  /** Raised by triggers on any change to supporters or availability_rules. */
  async directoryVersion(): Promise<string> {
    const [{ version }]: { version: string }[] = await this.ds.query(
      'SELECT version FROM directory_version WHERE id = 1',
    );
    return String(version);
  }

  /** Raised by triggers on any change to time_off or calendar_busy_blocks (what supporter_unavailability reads). */
  async unavailabilityVersion(): Promise<string> {
    const [{ version }]: { version: string }[] = await this.ds.query(
      'SELECT version FROM unavailability_version WHERE id = 1',
    );
    return String(version);
  }

  /**
   * Every supporter with its weekly rules, as one JSON document built by
   * PostgreSQL: one row to read and one JSON.parse, instead of thousands of
   * rows to hydrate (the matching hot path).
   */
  async profilesWithRules(): Promise<(SupporterProfile & { meetingUrl: string | null })[]> {
    const [{ j }]: { j: string }[] = await this.ds.query(
      `SELECT coalesce(json_agg(json_build_object(
                'id', s.id, 'displayName', s.display_name, 'kind', s.kind, 'active', s.active, 'gender', s.gender,
                'languages', s.languages, 'specialty', s.specialty, 'workplaces', s.workplaces,
                'maxActiveCases', s.max_active_cases, 'modalities', s.modalities, 'timeZone', s.time_zone, 'meetingUrl', s.meeting_url,
                'rules', (SELECT coalesce(json_agg(json_build_array(r.weekday, r.start_minute, r.end_minute)
                                                   ORDER BY r.weekday, r.start_minute), '[]')
                            FROM availability_rules r WHERE r.supporter_id = s.id))
              ORDER BY s.display_name, s.id), '[]')::text AS j
         FROM supporters s`,
    );
    return JSON.parse(j) as (SupporterProfile & { meetingUrl: string | null })[];
  }

  /** Rules as plain rows (no entity hydration): the bulk path for slots and matching. */
  rulesRaw(
    supporterIds: string[],
    manager?: EntityManager,
  ): Promise<{ supporter_id: string; weekday: number; start_minute: number; end_minute: number }[]> {
    if (!supporterIds.length) return Promise.resolve([]);
    return this.m(manager).query(
      `SELECT supporter_id, weekday, start_minute, end_minute FROM availability_rules
        WHERE supporter_id = ANY($1) ORDER BY supporter_id, weekday, start_minute`,
      [supporterIds],
    );
  }

  /**
   * Time off and busy time from the supporter's own calendar (the view
   * supporter_unavailability) overlapping [from, to), epoch ms; every
   * supporter's when `supporterIds` is undefined. Slots and matching treat both alike.
   */
  timeOffRaw(
    supporterIds: string[] | undefined,
    from: Date,
    to: Date,
    manager?: EntityManager,
  ): Promise<{ supporter_id: string; s: number; e: number }[]> {
    if (supporterIds && !supporterIds.length) return Promise.resolve([]);
    return this.m(manager).query(
      `SELECT supporter_id, date_part('epoch', starts_at) * 1000 AS s, date_part('epoch', ends_at) * 1000 AS e
         FROM supporter_unavailability WHERE ($1::uuid[] IS NULL OR supporter_id = ANY($1)) AND starts_at < $3 AND ends_at > $2
        ORDER BY starts_at`,
      [supporterIds ?? null, from, to],
    );
  }

  /** Time off overlapping [from, to) for these supporters. */
  timeOffOf(supporterIds: string[], from: Date, to: Date, manager?: EntityManager): Promise<TimeOff[]> {
    if (!supporterIds.length) return Promise.resolve([]);
    return this.m(manager)
      .getRepository(TimeOff)
      .createQueryBuilder('t')
      .where('t.supporter_id = ANY(:ids)', { ids: supporterIds })
      .andWhere('tstzrange(t.starts_at, t.ends_at) && tstzrange(:from, :to)', { from, to })
      .orderBy('t.starts_at', 'ASC')
      .getMany();
  }

  listTimeOff(supporterId: string): Promise<TimeOff[]> {
    return this.ds.getRepository(TimeOff).find({ where: { supporterId }, order: { startsAt: 'ASC' } });
  }

  insertTimeOff(values: Pick<TimeOff, 'supporterId' | 'startsAt' | 'endsAt' | 'reason'>): Promise<TimeOff> {
    const repo = this.ds.getRepository(TimeOff);
    return repo.save(repo.create(values));
  }

  async deleteTimeOff(supporterId: string, id: string): Promise<boolean> {
    const res = await this.ds.getRepository(TimeOff).delete({ supporterId, id });
    return (res.affected ?? 0) > 0;
  }
}
