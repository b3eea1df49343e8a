import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { EntityManager } from 'typeorm';
import { DomainError, FreeText, Nullable } from '@app/common';
import { FeedbackRepository, Service } from './feedback.repository';

export type { Service };

const INVITATION_DAYS = 60;

export class FeedbackDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'How helpful was the conversation? 1 = not at all, 5 = very' })
  @IsInt({ message: 'must be a whole number from 1 to 5' })
  @Min(1)
  @Max(5)
  helpful: number;

  @ApiProperty()
  @IsBoolean({ message: 'must be true or false' })
  wouldRecommend: boolean;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Nullable()
  @FreeText()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(2000)
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
  constructor(private readonly repo: FeedbackRepository) {}

  /** Creates a one-use invitation inside the caller's transaction; returns the raw token for the link. */
  async invite(service: Service, m: EntityManager): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.repo.insertInvitation(hash(token), service, INVITATION_DAYS, m);
    return token;
  }

  async form(token: string): Promise<FeedbackFormView> {
    const invitation = await this.repo.liveInvitation(hash(token));
    if (!invitation) throw DomainError.notFound('Feedback link');
    return { service: invitation.service, answered: invitation.used };
  }

  /** Uses the invitation and stores the answer in one transaction: a second answer finds it used. */
  async answer(token: string, dto: FeedbackDto): Promise<{ status: 'received' }> {
    return this.repo.transaction(async (m) => {
      const service = await this.repo.useInvitation(hash(token), m);
      if (!service) {
        if (!(await this.repo.liveInvitation(hash(token), m))) throw DomainError.notFound('Feedback link');
        throw new DomainError('invalid_transition', 'This feedback link has already been used. Thank you.');
      }
      await this.repo.insertResponse(service, dto.helpful, dto.wouldRecommend, dto.comment || null, m);
      return { status: 'received' as const };
    });
  }

  async summary(): Promise<FeedbackSummary> {
    const rows = await this.repo.summary();
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
