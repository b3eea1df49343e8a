import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { FreeText } from '@app/common';
import { BookingView } from '@app/booking';
import { IntakeView } from '@app/intake';
import type { EscalationKind } from '../escalation.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CallerLookupQuery {
  @ApiProperty({ example: '07700 900123', description: 'any spelling of the number' })
  @IsString({ message: 'is required: the phone number to look up' })
  @MaxLength(40)
  phone: string;
}

export class LastSupporterView {
  @ApiProperty({ format: 'uuid' }) supporterId: string;
  @ApiProperty() displayName: string;
}

export class CallerSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiPropertyOptional({ type: LastSupporterView }) lastSupporter?: LastSupporterView;
}

export class CallerLookupResponse {
  @ApiProperty({ type: [CallerSummaryView] }) callers: CallerSummaryView[];
}

export class CreateEscalationDto {
  @ApiProperty({ enum: ['risk_to_patients', 'risk_to_self'] })
  @IsIn(['risk_to_patients', 'risk_to_self'], { message: 'must be risk_to_patients or risk_to_self' })
  kind: EscalationKind;

  @ApiProperty({ maxLength: 4000 })
  @FreeText()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  summary: string;

  @ApiProperty({ maxLength: 4000 })
  @FreeText()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  actionTaken: string;
}

export class EscalationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) intakeId: string;
  @ApiProperty({ format: 'uuid' }) callerId: string;
  @ApiProperty({ enum: ['risk_to_patients', 'risk_to_self'] }) kind: EscalationKind;
  @ApiProperty() summary: string;
  @ApiProperty() actionTaken: string;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty() createdByRole: string;
  @ApiProperty() createdAt: string;
}

export class EscalationList {
  @ApiProperty({ type: [EscalationView] }) escalations: EscalationView[];
}

/** What is held about a caller (GET /callers/:id, and `caller` in the export). */
export class CallerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() role: string;
  @ApiProperty({ nullable: true, type: String }) specialty: string | null;
  @ApiProperty({ nullable: true, type: String }) workplace: string | null;
  @ApiProperty({ example: 'Europe/London' }) timeZone: string;
  @ApiProperty({ nullable: true, type: String }) gender: string | null;
  @ApiProperty({ nullable: true, type: String }) ethnicity: string | null;
  @ApiProperty({ nullable: true, type: Number }) age: number | null;
  @ApiProperty({ nullable: true, type: String }) language: string | null;
  @ApiProperty() lastContactAt: string;
  @ApiProperty({ nullable: true, type: String }) erasedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class SupporterSeenView {
  @ApiProperty({ format: 'uuid' }) supporterId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ description: 'confirmed and completed sessions' }) sessions: number;
  @ApiProperty() lastSession: string;
}

export class CallerRecordView extends CallerView {
  @ApiProperty({ type: [IntakeView] }) intakes: IntakeView[];
  @ApiProperty({ type: [BookingView] }) bookings: BookingView[];
  @ApiProperty({ type: [SupporterSeenView] }) supportersSeen: SupporterSeenView[];
}

export class ErasureView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2027-03-20T10:00:00.000Z' }) erasedAt: string;
}
