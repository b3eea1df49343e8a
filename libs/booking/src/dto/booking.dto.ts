import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { FreeText, IsInstant, Omittable } from '@app/common';
import type { BookingEventKind, BookingStatus, Modality } from '../booking.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateBookingDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'must be a UUID' }) intakeId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'must be a UUID' }) supporterId: string;
  @ApiProperty({ example: '2027-03-28T18:00:00+01:00' }) @IsInstant() start: string;

  @ApiPropertyOptional({ example: 50, description: 'default: the policy defaultDurationMinutes' })
  @Omittable()
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(5)
  @Max(480)
  durationMinutes?: number;

  @ApiPropertyOptional({
    enum: ['phone', 'video'],
    description: "default: the intake's preferred modality if the supporter offers it, else the supporter's first",
  })
  @Omittable()
  @IsIn(['phone', 'video'], { message: 'must be phone or video' })
  modality?: Modality;
}

export class CreateSeriesDto extends CreateBookingDto {
  @ApiProperty({ minimum: 1, maximum: 12 })
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(12)
  count: number;

  @ApiProperty({ minimum: 1, maximum: 4 })
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(4)
  intervalWeeks: number;
}

export class CancelBookingDto {
  @ApiProperty({ example: 'Caller asked to cancel' })
  @FreeText()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class ReassignBookingDto {
  @ApiProperty({ format: 'uuid', description: 'the supporter who takes the session, at the same time' })
  @IsUUID('all', { message: 'must be a UUID' })
  supporterId: string;
  @ApiProperty({ example: 'Booked with the wrong supporter' })
  @FreeText()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class RescheduleBookingDto {
  @ApiProperty({ example: '2027-03-29T18:00:00+01:00' }) @IsInstant() start: string;
}

export class BookingListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') supporterId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') callerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') intakeId?: string;
  @ApiPropertyOptional({ enum: ['confirmed', 'cancelled', 'completed', 'no_show'] })
  @IsOptional()
  @IsIn(['confirmed', 'cancelled', 'completed', 'no_show'])
  status?: BookingStatus;
  @ApiPropertyOptional({ description: 'sessions starting at or after' }) @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional({ description: 'sessions starting before' }) @IsOptional() @IsInstant() to?: string;
  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class CallerContactView {
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

export class BookingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'PS-7K3Q-9D' }) reference: string;
  @ApiProperty({ enum: ['confirmed', 'cancelled', 'completed', 'no_show'] }) status: BookingStatus;
  @ApiProperty({ example: '2027-03-28T17:00:00.000Z' }) start: string;
  @ApiProperty({ example: '2027-03-28T17:50:00.000Z' }) end: string;
  @ApiProperty({ format: 'uuid' }) supporterId: string;
  @ApiProperty({ format: 'uuid' }) callerId: string;
  @ApiProperty({ format: 'uuid' }) intakeId: string;
  @ApiProperty({ enum: ['phone', 'video'] }) modality: Modality;
  @ApiProperty() sequence: number;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) seriesId?: string | null;
  @ApiPropertyOptional({ type: CallerContactView, description: "only for the booking's own supporter" })
  caller?: CallerContactView;
  @ApiPropertyOptional({
    example: '2027-03-20T10:01:00.000Z',
    description:
      'only in the answer that created it (POST /bookings, /bookings/series), with a grace period configured: until then its creator can undo it silently (POST /bookings/:id/undo)',
  })
  undoUntil?: string;
}

export class BookingList {
  @ApiProperty({ type: [BookingView] }) bookings: BookingView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class SeriesResponse {
  @ApiProperty({ type: [BookingView] }) bookings: BookingView[];
}

export class BookingEventView {
  @ApiProperty({ enum: ['created', 'rescheduled', 'cancelled', 'completed', 'no_show'] }) kind: BookingEventKind;
  @ApiProperty({ example: '2027-03-20T10:00:00.000Z' }) at: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'null when the caller acted (manage link) or the system did',
  })
  actorUserId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'intake' }) actorRole: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'a reschedule: the start it had before' }) previousStart:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'a reschedule: the start it has now' }) newStart:
    string | null;
}

export class BookingHistory {
  @ApiProperty({ type: [BookingEventView] }) events: BookingEventView[];
}
