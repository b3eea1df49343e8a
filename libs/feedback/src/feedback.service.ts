import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@app/common';

const INVITATION_DAYS = 60;

export type Service = 'peer_support' | 'counselling';

export class FeedbackDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'How helpful was the conversation? 1 = not at all, 5 = very' })
  @IsInt({ message: 'must be a whole number from 1 to 5' }) @Min(1) @Max(5)
  helpful: number;

  @ApiProperty()
  @IsBoolean({ message: 'must be true or false' })
  wouldRecommend: boolean;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() @MaxLength(2000)
  comment?: string;
}

export class FeedbackFormView {
  @ApiProperty({ enum: ['peer_support', 'counselling'] }) service: Service;
  @ApiProperty() answered: boolean;
}

export class FeedbackSummaryRow {
  @ApiProperty({ enum: ['peer_support', 'counselling'] }) service: Service;
  @ApiProperty({ example: '2027-03' }) month: string;
  @ApiProperty() responses: number;
  @ApiProperty({ example: 4.2 }) averageHelpful: number;
  @ApiProperty({ example: 0.9, description: 'share who would recommend the service' }) wouldRecommendRate: number;
}

export class FeedbackSummary {
  @ApiProperty({ type: [FeedbackSummaryRow] }) summary: FeedbackSummaryRow[];
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Anonymous feedback. An invitation knows only its service; an answer only its
 * service and month. Nothing links either to a caller or a booking, so the
 * answers stay anonymous even to us. One answer per invitation.
 */
@Injectable()
export class FeedbackService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Creates a one-use invitation inside the caller's transaction; returns the raw token for the link. */
  async invite(service: Service, m: EntityManager): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await m.query(
      `INSERT INTO feedback_invitations (token_hash, service, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`,
      [hash(token), service, INVITATION_DAYS],
    );
    return token;
  }

  async form(token: string): Promise<FeedbackFormView> {
    const [row] = await this.ds.query(
      `SELECT service, used_at FROM feedback_invitations WHERE token_hash = $1 AND expires_at > now()`,
      [hash(token)],
    );
    if (!row) throw DomainError.notFound('Feedback link');
    return { service: row.service, answered: row.used_at !== null };
  }

  /** Uses the invitation and stores the answer in one transaction: a second answer finds it used. */
  async answer(token: string, dto: FeedbackDto): Promise<{ status: 'received' }> {
    return this.ds.transaction(async (m) => {
      // Wrapped in a CTE so the driver hands back plain rows (an UPDATE … RETURNING alone comes back as [rows, count]).
      const used: { service: Service }[] = await m.query(
        `WITH used AS (
           UPDATE feedback_invitations SET used_at = now()
            WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING service)
         SELECT service FROM used`,
        [hash(token)],
      );
      if (!used.length) {
        const [exists] = await m.query(`SELECT 1 FROM feedback_invitations WHERE token_hash = $1 AND expires_at > now()`, [hash(token)]);
        if (!exists) throw DomainError.notFound('Feedback link');
        throw new DomainError('invalid_transition', 'This feedback link has already been used. Thank you.');
      }
      await m.query(
        `INSERT INTO feedback_responses (service, month, helpful, would_recommend, comment)
         VALUES ($1, date_trunc('month', now() AT TIME ZONE 'Europe/London')::date, $2, $3, $4)`,
        [used[0].service, dto.helpful, dto.wouldRecommend, dto.comment || null],
      );
      return { status: 'received' as const };
    });
  }

  async summary(): Promise<FeedbackSummary> {
    const rows: { service: Service; month: string; n: string; avg: string; rec: string }[] = await this.ds.query(
      `SELECT service, to_char(month, 'YYYY-MM') AS month, count(*) AS n, avg(helpful) AS avg, avg(would_recommend::int) AS rec
         FROM feedback_responses GROUP BY service, month ORDER BY month DESC, service`,
    );
    return {
      summary: rows.map((r) => ({
        service: r.service,
        month: r.month,
        responses: Number(r.n),
        averageHelpful: Math.round(Number(r.avg) * 100) / 100,
        wouldRecommendRate: Math.round(Number(r.rec) * 100) / 100,
      })),
    };
  }
}
