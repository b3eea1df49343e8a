import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { PoliciesDto } from './dto/policies.dto';
import { PolicyRow } from './policy.entity';

export type Policies = PoliciesDto & { callbackWorkingHours: number };

function toPolicies(row: PolicyRow): Policies {
  return {
    sociableHours: { start: row.sociableStart, end: row.sociableEnd, weekdays: [...row.sociableWeekdays].sort((a, b) => a - b) },
    defaultDurationMinutes: row.defaultDurationMinutes,
    bufferMinutes: row.bufferMinutes,
    minimumNoticeMinutes: row.minimumNoticeMinutes,
    bookingHorizonDays: row.bookingHorizonDays,
    callbackWorkingHours: row.callbackWorkingHours,
  };
}

/**
 * Service-wide policy, one row in PostgreSQL. Read on each use (one indexed
 * row) so every API process sees a change at once.
 */
@Injectable()
export class PoliciesService {
  constructor(@InjectRepository(PolicyRow) private readonly repo: Repository<PolicyRow>) {}

  async get(manager?: EntityManager): Promise<Policies> {
    const repo = manager ? manager.getRepository(PolicyRow) : this.repo;
    const row = await repo.findOneByOrFail({ id: 1 });
    return toPolicies(row);
  }

  async replace(dto: PoliciesDto): Promise<Policies> {
    if (dto.sociableHours.end <= dto.sociableHours.start) {
      throw DomainError.validation([{ field: 'sociableHours.end', message: 'must be later than sociableHours.start' }]);
    }
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
      },
    );
    return this.get();
  }
}
