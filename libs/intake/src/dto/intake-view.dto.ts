import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { FreeText, IsInstant, Omittable } from '@app/common';
import type { Channel, IntakePreferences, IntakeStatus, Service } from '../intake.entity';
import { PreferencesDto, RiskDto } from './create-intake.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** POST /intakes/:id/close and /withdraw: the reason is optional (a bodiless request still ends the intake). */
export class EndIntakeDto {
  @ApiPropertyOptional({ maxLength: 500, example: 'Caller found support through their trust' })
  @FreeText()
  @Transform(trim)
  @Omittable()
  @IsString()
  @MinLength(1, { message: 'must not be empty when given' })
  @MaxLength(500)
  reason?: string;
}

export class SignpostingView {
  @ApiPropertyOptional() immediateDanger?: string;
  @ApiPropertyOptional() gmcInvestigation?: string;
  @ApiProperty() text: string;
}

export class CreateIntakeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) callerId: string;
  @ApiProperty({ enum: ['open', 'signposted'] }) status: IntakeStatus;
  @ApiPropertyOptional({ type: SignpostingView }) signposting?: SignpostingView;
}

export class IntakeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) callerId: string;
  @ApiProperty({ example: 'Dr Sam Example', nullable: true, type: String }) callerName: string | null;
  @ApiProperty({
    example: 'Asia/Singapore',
    nullable: true,
    type: String,
    description: "the caller's IANA time zone: their local time for slots and call-backs",
  })
  callerTimeZone: string | null;
  @ApiProperty({ enum: ['peer_support', 'counselling'] }) service: Service;
  @ApiProperty({ enum: ['phone', 'web'] }) channel: Channel;
  @ApiProperty({ enum: ['open', 'assigned', 'booked', 'closed', 'signposted', 'withdrawn'] }) status: IntakeStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supporterId: string | null;
  @ApiProperty({ type: PreferencesDto }) preferences: IntakePreferences;
  @ApiProperty({ type: RiskDto }) risk: { immediateDanger: boolean };
  @ApiProperty() gmcInvestigation: boolean;
  @ApiPropertyOptional({ type: SignpostingView }) signposting?: SignpostingView;
  @ApiPropertyOptional({ nullable: true, type: String }) preferredTimes?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) message?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'web requests: the reference the person was given',
  })
  reference?: string | null;
  @ApiPropertyOptional({
    example: '2027-03-20T10:00:00.000Z',
    description: 'when the caller consented to the privacy notice',
  })
  consentedAt?: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'when it was closed, withdrawn or signposted' }) endedAt:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'why it was closed or withdrawn, as staff wrote it' })
  endReason: string | null;
  @ApiPropertyOptional({
    description:
      'web requests (in the queue and one intake): when the promised call-back is due (callbackWorkingHours working hours)',
  })
  callbackDueAt?: string;
  @ApiPropertyOptional({ description: 'web requests: still open (nobody has it yet) after callbackDueAt' })
  callbackOverdue?: boolean;
}

export class IntakeList {
  @ApiProperty({ type: [IntakeView] }) intakes: IntakeView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class IntakeListQuery {
  @ApiPropertyOptional({ enum: ['open', 'assigned', 'booked', 'closed', 'signposted', 'withdrawn'] })
  @IsOptional()
  @IsIn(['open', 'assigned', 'booked', 'closed', 'signposted', 'withdrawn'])
  status?: IntakeStatus;

  @ApiPropertyOptional({ enum: ['peer_support', 'counselling'] })
  @IsOptional()
  @IsIn(['peer_support', 'counselling'])
  service?: Service;

  @ApiPropertyOptional({ enum: ['phone', 'web'] })
  @IsOptional()
  @IsIn(['phone', 'web'])
  channel?: Channel;

  @ApiPropertyOptional({ description: 'created at or after' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'created before' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    enum: ['true'],
    description:
      'only web requests still open whose call-back (callbackWorkingHours working hours, Mon–Fri 09:00–17:00 London) is overdue',
  })
  @IsOptional()
  @IsIn(['true'], { message: 'must be true when given' })
  callbackOverdue?: 'true';

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
