import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { PoliciesDto } from './dto/policies.dto';
import { PolicyRow } from './policy.entity';

const CACHE_MS = 1000;

export type Policies = PoliciesDto & {
  callbackWorkingHours: number;
  supportLinePhone: string | null;
  emergencyNumbers: { label: string; number: string }[];
  workingHours: { timeZone: string; weekdays: number[]; start: string; end: string };
};

function toPolicies(row: PolicyRow): Policies {
  return {
    sociableHours: {
      start: row.sociableStart,
      end: row.sociableEnd,
      weekdays: [...row.sociableWeekdays].sort((a, b) => a - b),
    },
    defaultDurationMinutes: row.defaultDurationMinutes,
    bufferMinutes: row.bufferMinutes,
    minimumNoticeMinutes: row.minimumNoticeMinutes,
    bookingHorizonDays: row.bookingHorizonDays,
    callbackWorkingHours: row.callbackWorkingHours,
    supportLinePhone: row.supportLinePhone,
    emergencyNumbers: row.emergencyNumbers.map((e) => ({ label: e.label, number: e.number })),
    workingHours: {
      timeZone: row.workingHours.timeZone,
      weekdays: [...row.workingHours.weekdays],
      start: row.workingHours.start,
      end: row.workingHours.end,
    },
  };
}

/**
 * Service-wide policy, one row in PostgreSQL. Each process keeps it for at
 * most a second, so a change reaches every API process within that.
 */
@Injectable()
export class PoliciesService {
  /** Read on nearly every request: kept for a second, dropped at once when this process changes it. */
  private cached?: { row: PolicyRow; until: number };

  constructor(@InjectRepository(PolicyRow) private readonly repo: Repository<PolicyRow>) {}

  /** A fresh object on every call (toPolicies copies what it reads), so no caller can change another's. */
  async get(manager?: EntityManager): Promise<Policies> {
    const now = Date.now();
    if (this.cached && this.cached.until > now) return toPolicies(this.cached.row);
    const repo = manager ? manager.getRepository(PolicyRow) : this.repo;
    const row = await repo.findOneByOrFail({ id: 1 });
    this.cached = { row, until: now + CACHE_MS };
    return toPolicies(row);
  }

  async replace(dto: PoliciesDto): Promise<Policies> {
    const errors = [];
    if (dto.sociableHours.end <= dto.sociableHours.start)
      errors.push({ field: 'sociableHours.end', message: 'must be later than sociableHours.start' });
    if (dto.workingHours && dto.workingHours.end <= dto.workingHours.start)
      errors.push({ field: 'workingHours.end', message: 'must be later than workingHours.start' });
    if (errors.length) throw DomainError.validation(errors);
    this.cached = undefined;
    await this.repo.update(
      { id: 1 },
      {
        sociableStart: dto.sociableHours.start,
        sociableEnd: dto.sociableHours.end,
        sociableWeekdays: [...dto.sociableHours.weekdays].sort((a, b) => a - b),
        defaultDurationMinutes: dto.defaultDurationMinutes,
        bufferMinutes: dto.bufferMinutes,
        minimumNoticeMinutes: dto.minimumNoticeMinutes,
        bookingHorizonDays: dto.bookingHorizonDays,
        ...(dto.callbackWorkingHours !== undefined ? { callbackWorkingHours: dto.callbackWorkingHours } : {}),
        ...(dto.supportLinePhone !== undefined ? { supportLinePhone: dto.supportLinePhone } : {}),
        ...(dto.emergencyNumbers !== undefined
          ? { emergencyNumbers: dto.emergencyNumbers.map((e) => ({ label: e.label, number: e.number })) }
          : {}),
        ...(dto.workingHours !== undefined
          ? {
              workingHours: {
                timeZone: dto.workingHours.timeZone,
                weekdays: [...dto.workingHours.weekdays].sort((a, b) => a - b),
                start: dto.workingHours.start,
                end: dto.workingHours.end,
              },
            }
          : {}),
      },
    );
    this.cached = undefined;
    return this.get();
  }
}
