import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, IsInstant, parseInstant, RequestContext } from '@app/common';
import { AuditEvent } from './audit-event.entity';

/** What was done to a caller's personal data. Stable words, for filtering and reports. */
export type AuditAction =
  | 'caller.create'
  | 'caller.update'
  | 'caller.read'
  | 'caller.lookup'
  | 'caller.search'
  | 'caller.export'
  | 'caller.erase'
  | 'caller.retention_erase'
  | 'intake.create'
  | 'intake.read'
  | 'intake.list'
  | 'intake.update'
  | 'matches.read'
  | 'bookings.read_by_caller'
  | 'booking.read'
  | 'escalation.create'
  | 'escalation.read'
  | 'request.create'
  | 'notification.resend'
  | 'booking.undo'
  | 'booking.reassign';

export class AuditQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') callerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') userId?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() to?: string;
  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) cursor?: string;
}

export class AuditEventView {
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String }) userId: string | null;
  @ApiProperty({ nullable: true, type: String }) role: string | null;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: String }) callerId: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what was read or changed, never the values',
  })
  details: Record<string, unknown>;
}

export class AuditList {
  @ApiProperty({ type: [AuditEventView] }) events: AuditEventView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/**
 * Writes one audit event per read or change of a caller's personal data: who
 * (from the request context), role, action, caller, when, request id. Pass the
 * use case's EntityManager so a change and its audit row commit together.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(
    action: AuditAction,
    callerIds: string | string[] | null,
    details: AuditEvent['details'] = {},
    manager?: EntityManager,
  ): Promise<void> {
    const ctx = RequestContext.current();
    const ids = callerIds === null ? [null] : Array.isArray(callerIds) ? [...new Set(callerIds)] : [callerIds];
    if (!ids.length) return;
    const rows = ids.map((callerId) => ({
      userId: ctx?.actor?.id ?? null,
      role: ctx?.actor?.role ?? (ctx ? 'public' : 'system'),
      action,
      callerId,
      requestId: ctx?.requestId ?? null,
      details,
    }));
    await (manager ?? this.ds.manager).getRepository(AuditEvent).insert(rows);
  }

  async list(q: AuditQuery): Promise<AuditList> {
    const limit = q.limit ?? 100;
    const qb = this.ds.getRepository(AuditEvent).createQueryBuilder('a');
    if (q.callerId) qb.andWhere('a.caller_id = :cid', { cid: q.callerId });
    if (q.userId) qb.andWhere('a.user_id = :uid', { uid: q.userId });
    if (q.from) qb.andWhere('a.at >= :from', { from: parseInstant(q.from)!.toJSDate() });
    if (q.to) qb.andWhere('a.at < :to', { to: parseInstant(q.to)!.toJSDate() });
    if (q.cursor) {
      if (!/^\d{1,18}$/.test(q.cursor))
        throw DomainError.validation([{ field: 'cursor', message: 'is not a cursor this service gave out' }]);
      qb.andWhere('a.id < :cursor', { cursor: q.cursor });
    }
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    return {
      events: page.map((e) => ({
        id: String(e.id),
        at: e.at.toISOString(),
        userId: e.userId,
        role: e.role,
        action: e.action,
        callerId: e.callerId,
        requestId: e.requestId,
        details: e.details,
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    };
  }
}
