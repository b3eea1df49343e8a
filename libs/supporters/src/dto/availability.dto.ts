import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsInstant } from '@app/common';

export class WeeklyRuleDto {
  @ApiProperty({ example: 7, description: 'ISO weekday, 1 = Monday … 7 = Sunday' })
  @IsInt({ message: 'must be a whole number 1..7' }) @Min(1, { message: 'must be 1..7' }) @Max(7, { message: 'must be 1..7' })
  weekday: number;

  @ApiProperty({ example: '18:00', description: "wall-clock HH:mm in the supporter's time zone" })
  @IsString()
  start: string;

  @ApiProperty({ example: '20:00', description: 'wall-clock HH:mm (24:00 = end of the day)' })
  @IsString()
  end: string;
}

export class AvailabilityDto {
  @ApiProperty({ type: [WeeklyRuleDto] })
  @IsDefined() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => WeeklyRuleDto)
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
  @IsOptional() @IsString() @MaxLength(500)
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
