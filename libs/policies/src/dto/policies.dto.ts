import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsPossiblePhone, IsTimeZone, Nullable, Omittable } from '@app/common';
import { WALL_TIME, WALL_TIME_END, WALL_TIME_END_PATTERN, WALL_TIME_PATTERN } from '@app/scheduling';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const EMERGENCY_NUMBER_PATTERN = '^\\+?[0-9][0-9 ]{1,19}$';

export class SociableHoursDto {
  @ApiProperty({ example: '08:00', pattern: WALL_TIME_PATTERN, description: 'wall-clock HH:mm, 00:00..23:59' })
  @Matches(WALL_TIME, { message: 'must be a time as HH:mm' })
  start: string;

  @ApiProperty({
    example: '20:00',
    pattern: WALL_TIME_END_PATTERN,
    description: 'wall-clock HH:mm, or 24:00 for the end of the day',
  })
  @Matches(WALL_TIME_END, { message: 'must be a time as HH:mm' })
  end: string;

  @ApiProperty({ example: [1, 2, 3, 4, 5, 6, 7], type: [Number], description: 'ISO weekdays, 1 = Monday … 7 = Sunday' })
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true, message: 'each weekday must be a whole number 1..7' })
  @Min(1, { each: true, message: 'each weekday must be 1..7' })
  @Max(7, { each: true, message: 'each weekday must be 1..7' })
  weekdays: number[];
}

export class WorkingHoursDto extends SociableHoursDto {
  @ApiProperty({ example: 'Europe/London', description: 'the IANA zone of these wall-clock hours' })
  @IsTimeZone()
  timeZone: string;
}

export class EmergencyNumberDto {
  @ApiProperty({ example: 'Emergency services', maxLength: 60 })
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(60)
  label: string;

  @ApiProperty({
    example: '999',
    pattern: EMERGENCY_NUMBER_PATTERN,
    description: 'digits (a leading + and spaces allowed), as dialled',
  })
  @IsString()
  @Transform(trim)
  @Matches(new RegExp(EMERGENCY_NUMBER_PATTERN), { message: 'must be a number to dial: digits, spaces, a leading +' })
  number: string;
}

export class PoliciesDto {
  @ApiProperty({ type: SociableHoursDto })
  @IsDefined()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => SociableHoursDto)
  sociableHours: SociableHoursDto;

  @ApiProperty({ example: 50 })
  @IsInt()
  @Min(5)
  @Max(480)
  defaultDurationMinutes: number;

  @ApiProperty({ example: 10 })
  @IsInt()
  @Min(0)
  @Max(240)
  bufferMinutes: number;

  @ApiProperty({ example: 120 })
  @IsInt()
  @Min(0)
  @Max(20160)
  minimumNoticeMinutes: number;

  @ApiProperty({ example: 92 })
  @IsInt()
  @Min(1)
  @Max(366)
  bookingHorizonDays: number;

  @ApiPropertyOptional({
    example: 24,
    description: 'web self-referrals: "we will call you within N working hours" (unchanged when left out)',
  })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(168)
  callbackWorkingHours?: number;

  @ApiPropertyOptional({
    type: WorkingHoursDto,
    description:
      'the days and hours staff answer, in which call-back promises are counted; default Monday–Friday 09:00–17:00 Europe/London (unchanged when left out)',
  })
  @Omittable()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => WorkingHoursDto)
  workingHours?: WorkingHoursDto;

  @ApiPropertyOptional({
    example: '0800 123 4567',
    nullable: true,
    type: String,
    description:
      "the line's own number, shown to callers (manage page, ask-for-support page, messages) as a tel: link; null: not shown (unchanged when left out)",
  })
  @Nullable()
  @IsString()
  @Transform(trim)
  @IsPossiblePhone({ message: 'must be a phone number, e.g. 0800 123 4567 or +44 20 7946 0000' })
  supportLinePhone?: string | null;

  @ApiPropertyOptional({
    type: [EmergencyNumberDto],
    maxItems: 5,
    description: 'shown beside it, e.g. 999 and NHS 111 (unchanged when left out)',
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => EmergencyNumberDto)
  emergencyNumbers?: EmergencyNumberDto[];
}

/** What the public pages show: the line's number and the emergency numbers (GET /contact, no sign-in). */
export class SupportLineView {
  @ApiProperty({ nullable: true, type: String, example: '0800 123 4567' }) supportLinePhone: string | null;
  @ApiProperty({ type: [EmergencyNumberDto] }) emergencyNumbers: EmergencyNumberDto[];
}
