import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SlotView } from '@app/booking';
import type { MatchesView } from '../matching.service';

export class MatchReasonView {
  @ApiProperty({
    example: 'earliest_slot',
    description: 'a hard rule (an exclusion) or why a candidate ranks where it does',
  })
  code: string;

  @ApiProperty({
    example: 'Free on Tuesday 18:00 (your time)',
    description: 'plain words for intake staff to read out',
  })
  text: string;
}

export class MatchCandidateView {
  @ApiProperty({ format: 'uuid' }) supporterId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ description: 'out of 100; best first' }) score: number;
  @ApiProperty({ description: 'the caller has seen this supporter before' }) continuity: boolean;
  @ApiProperty({ type: [MatchReasonView], description: 'never empty' }) reasons: MatchReasonView[];
  @ApiProperty({ type: [SlotView], description: 'the next mutual slots, earliest first' }) nextSlots: SlotView[];
}

export class MatchExclusionView {
  @ApiProperty({ format: 'uuid' }) supporterId: string;
  @ApiProperty() displayName: string;
  @ApiPropertyOptional() continuity?: boolean;
  @ApiProperty({ type: [MatchReasonView], description: 'every hard rule that excludes the supporter; never empty' })
  reasons: MatchReasonView[];
}

/** GET /intakes/:id/matches, in the OpenAPI document (the service answers MatchesView). */
export class MatchesResponse implements MatchesView {
  @ApiProperty({ type: [MatchCandidateView] }) candidates: MatchCandidateView[];
  @ApiProperty({ type: [MatchExclusionView] }) excluded: MatchExclusionView[];
}
