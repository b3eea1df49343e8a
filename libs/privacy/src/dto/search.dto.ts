import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { BookingView } from '@app/booking';
import { IntakeView } from '@app/intake';
import { CallerSummaryView } from './privacy.dto';

export class SearchQuery {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    example: '07700 900123',
    description:
      'a reference (`PS-7K3Q-9D`, `RQ-…`, any case, spaces or dashes), a phone number in any spelling, or a name (at least 3 letters)',
  })
  @IsString({ message: 'is required: a reference, a phone number or a name' })
  @MinLength(1, { message: 'is required: a reference, a phone number or a name' })
  @MaxLength(100)
  q: string;
}

export type SearchKind = 'reference' | 'phone' | 'name';

export class SearchHitView {
  @ApiProperty({ type: CallerSummaryView }) caller: CallerSummaryView;
  @ApiProperty({
    type: [IntakeView],
    description: 'the caller’s intakes still in progress (open, assigned, booked), newest first',
  })
  openIntakes: IntakeView[];
  @ApiProperty({
    type: [BookingView],
    description: 'the caller’s confirmed sessions that have not started, soonest first',
  })
  upcomingSessions: BookingView[];
  @ApiPropertyOptional({ format: 'uuid', description: 'the intake whose reference (RQ-…) was searched' })
  matchedIntakeId?: string;
  @ApiPropertyOptional({
    type: BookingView,
    description: 'the booking whose reference (PS-…) was searched, whatever its status',
  })
  matchedBooking?: BookingView;
}

export class SearchResponse {
  @ApiProperty({ enum: ['reference', 'phone', 'name'], description: 'how the query was read' }) kind: SearchKind;
  @ApiProperty({ type: [SearchHitView], description: 'at most 20 callers, most recent contact first' })
  results: SearchHitView[];
}
