import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsDefined, IsInt, IsObject, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Omittable } from '@app/common';
import { WALL_TIME, WALL_TIME_END, WALL_TIME_END_PATTERN, WALL_TIME_PATTERN } from '@app/scheduling';


export class SociableHoursDto {
  @ApiProperty({ example: '08:00', pattern: WALL_TIME_PATTERN, description: 'wall-clock HH:mm, 00:00..23:59' })
  @Matches(WALL_TIME, { message: 'must be a time as HH:mm' })
  start: string;

  @ApiProperty({ example: '20:00', pattern: WALL_TIME_END_PATTERN, description: 'wall-clock HH:mm, or 24:00 for the end of the day' })
  @Matches(WALL_TIME_END, { message: 'must be a time as HH:mm' })
  end: string;

  @ApiProperty({ example: [1, 2, 3, 4, 5, 6, 7], type: [Number], description: 'ISO weekdays, 1 = Monday … 7 = Sunday' })
  @ArrayMinSize(1) @ArrayMaxSize(7) @ArrayUnique()
  @IsInt({ each: true, message: 'each weekday must be a whole number 1..7' })
  @Min(1, { each: true, message: 'each weekday must be 1..7' })
  @Max(7, { each: true, message: 'each weekday must be 1..7' })
  weekdays: number[];
}

export class PoliciesDto {
  @ApiProperty({ type: SociableHoursDto })
  @IsDefined() @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => SociableHoursDto)
  sociableHours: SociableHoursDto;

  @ApiProperty({ example: 50 })
  @IsInt() @Min(5) @Max(480)
  defaultDurationMinutes: number;

  @ApiProperty({ example: 10 })
  @IsInt() @Min(0) @Max(240)
  bufferMinutes: number;

  @ApiProperty({ example: 120 })
  @IsInt() @Min(0) @Max(20160)
  minimumNoticeMinutes: number;

  @ApiProperty({ example: 92 })
  @IsInt() @Min(1) @Max(366)
  bookingHorizonDays: number;

  @ApiPropertyOptional({ example: 24, description: 'web self-referrals: "we will call you within N working hours" (unchanged when left out)' })
  @Omittable() @IsInt() @Min(1) @Max(168)
  callbackWorkingHours?: number;
}
