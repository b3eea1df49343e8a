import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  ValidateBy,
  IsEmail,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsPossiblePhone, isHttpsUrl, IsTimeZone, Nullable, Omittable } from '@app/common';
import type { Modality, SupporterKind } from '../supporter.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;
const trimEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

export class CreateSupporterDto {
  @ApiProperty({ enum: ['peer', 'counsellor'] })
  @IsIn(['peer', 'counsellor'], { message: 'must be peer or counsellor' })
  kind: SupporterKind;

  @ApiProperty({ example: 'Dr Asha Patel' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @ApiProperty({ example: 'asha.patel@example.org' })
  @Transform(trim)
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ example: '07700 900456' })
  @Nullable()
  @IsPossiblePhone()
  phone?: string;

  @ApiPropertyOptional({ example: 'General practice' })
  @Nullable()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  specialty?: string;

  @ApiPropertyOptional({ example: 'female' })
  @Nullable()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  gender?: string;

  @ApiPropertyOptional({ type: [String], example: ['en', 'hi'], description: 'ISO 639-1 codes' })
  @Omittable()
  @Transform(lowerEach)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[a-z]{2}$/, { each: true, message: 'each language must be an ISO 639-1 code such as en' })
  languages?: string[];

  @ApiProperty({ example: 'Europe/London' })
  @IsTimeZone()
  timeZone: string;

  @ApiPropertyOptional({ type: [String], example: ['St Elsewhere NHS Trust'] })
  @Omittable()
  @Transform(trimEach)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  workplaces?: string[];

  @ApiProperty({ example: 6, minimum: 1 })
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(500)
  maxActiveCases: number;

  @ApiPropertyOptional({ type: [String], enum: ['phone', 'video'], isArray: true, example: ['phone', 'video'] })
  @Omittable()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(['phone', 'video'], { each: true, message: 'each modality must be phone or video' })
  modalities?: Modality[];

  @ApiPropertyOptional({ default: true })
  @Omittable()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    description:
      'an e-mail with a calendar invite for each change to this supporter’s bookings (no caller details in it); true when left out',
  })
  @Omittable()
  @IsBoolean()
  notifyByEmail?: boolean;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://meet.example.org/dr-patel',
    description:
      'the supporter’s own meeting link (https), used for their video sessions instead of a room under VIDEO_ROOM_BASE_URL; null clears it',
  })
  @Nullable()
  @Transform(trim)
  @ValidateBy({
    name: 'isHttpsUrl',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && isHttpsUrl(v),
      defaultMessage: () => 'must be an https URL',
    },
  })
  meetingUrl?: string;
}

/** Every field may be left out; only phone, specialty and gender may be null (it clears them). */
export class UpdateSupporterDto extends PartialType(CreateSupporterDto, { skipNullProperties: false }) {}

export class SupporterView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['peer', 'counsellor'] }) kind: SupporterKind;
  @ApiProperty() displayName: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) specialty: string | null;
  @ApiProperty({ nullable: true, type: String }) gender: string | null;
  @ApiProperty({ type: [String] }) languages: string[];
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [String] }) workplaces: string[];
  @ApiProperty() maxActiveCases: number;
  @ApiProperty({ enum: ['phone', 'video'], isArray: true }) modalities: Modality[];
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'e-mails with a calendar invite for each change to this supporter’s bookings' })
  notifyByEmail: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'own meeting link for video sessions' }) meetingUrl:
    string | null;
}

export class SupporterList {
  @ApiProperty({ type: [SupporterView] }) supporters: SupporterView[];
}
