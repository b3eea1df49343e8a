import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Roles } from '@app/auth';
import { ApiProblems, UuidPipe } from '@app/common';
import { IntakeView } from '@app/intake';
import { MatchesResponse } from './dto/matches.dto';
import { MatchingService } from './matching.service';

export class MatchesQuery {
  @ApiPropertyOptional({ default: 5, maximum: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

export class AssignDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  supporterId: string;
}

@ApiTags('intakes')
@ApiBearerAuth()
@Roles('intake')
@Controller('intakes')
export class MatchingController {
  constructor(private readonly matching: MatchingService) {}

  @Get(':id/matches')
  @ApiOperation({
    summary: 'Candidates best first (continuity first), with reasons and next mutual slots; excluded ones with why',
  })
  @ApiOkResponse({ type: MatchesResponse })
  @ApiProblems(400, 401, 403, 404, { 422: ['intake_not_bookable'] })
  matches(@Param('id', UuidPipe) id: string, @Query() q: MatchesQuery): Promise<MatchesResponse> {
    return this.matching.matches(id, q.limit ?? 5);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a supporter; every hard rule is re-checked, capacity under a row lock' })
  @ApiOkResponse({ type: IntakeView })
  @ApiProblems(400, 401, 403, 404, {
    409: ['assigned_elsewhere'],
    422: {
      codes: [
        'wrong_service',
        'inactive',
        'conflict_of_interest',
        'at_capacity',
        'gender_preference',
        'language',
        'no_availability',
        'intake_not_bookable',
      ],
      when: 'the first broken hard rule as the code, every one in `reasons`',
    },
  })
  assign(@Param('id', UuidPipe) id: string, @Body() dto: AssignDto): Promise<IntakeView> {
    return this.matching.assign(id, dto.supporterId);
  }
}
