import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsInstant, IsTimeZone } from '@app/common';

export class SlotsQueryDto {
  @ApiPropertyOptional({ example: '2027-03-22T00:00:00Z', description: 'default: now' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-04-05T00:00:00Z',
    description: 'default: from + 14 days; at most 92 days after from',
  })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ example: 50, description: 'default: the policy defaultDurationMinutes' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(5)
  @Max(480)
  durationMinutes?: number;

  @ApiPropertyOptional({
    example: 'Asia/Kolkata',
    description:
      "the caller's IANA zone: a peer's slots are then only those inside sociable hours in both the peer's and the caller's local time (the rule booking and matching apply)",
  })
  @IsOptional()
  @IsTimeZone()
  callerTimeZone?: string;
}

export class SlotView {
  @ApiProperty({ example: '2027-03-28T17:00:00.000Z' }) start: string;
  @ApiProperty({ example: '2027-03-28T17:50:00.000Z' }) end: string;
}

export class SlotList {
  @ApiProperty({ type: [SlotView] }) slots: SlotView[];
}
