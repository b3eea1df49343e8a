import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsDefined, IsString, MaxLength, ValidateNested } from 'class-validator';
import { FreeText, IsInstant, Nullable } from '@app/common';
import { WALL_TIME_END_PATTERN, WALL_TIME_PATTERN } from '@app/scheduling';

/**
 * Only the shape (no unknown fields) is checked here; weekday, start and end
 * are checked by validateWeeklyRules in the service, so that every bad field
 * of every rule is reported at once (one `errors` entry per bad field).
 */
export class WeeklyRuleDto {
  @ApiProperty({ example: 7, description: 'ISO weekday, 1 = Monday … 7 = Sunday' })
  @Allow()
  weekday: number;

  @ApiProperty({
    example: '18:00',
    pattern: WALL_TIME_PATTERN,
    description: "wall-clock HH:mm in the supporter's time zone",
  })
  @Allow()
  start: string;

  @ApiProperty({
    example: '20:00',
    pattern: WALL_TIME_END_PATTERN,
    description: 'wall-clock HH:mm (24:00 = end of the day)',
  })
  @Allow()
  end: string;
}

export class AvailabilityDto {
  @ApiProperty({ type: [WeeklyRuleDto] })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WeeklyRuleDto)
  weekly: WeeklyRuleDto[];
}

export class TimeOffDto {
  @ApiProperty({ example: '2027-01-04T00:00:00Z' })
  @IsInstant()
  start: string;

  @ApiProperty({ example: '2027-01-11T00:00:00Z' })
  @IsInstant()
  end: string;

  @ApiPropertyOptional({ example: 'Annual leave' })
  @Nullable()
  @FreeText()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class TimeOffView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

export class TimeOffList {
  @ApiProperty({ type: [TimeOffView] }) timeOff: TimeOffView[];
}
