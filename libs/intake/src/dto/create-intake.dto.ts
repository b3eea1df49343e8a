import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
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

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;

export class IntakeCallerDto {
  @ApiProperty({ example: 'Dr Sam Example' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '07700 900123', description: 'any spelling; stored as E.164 (UK by default)' })
  @IsPossiblePhone()
  phone: string;

  @ApiPropertyOptional({ example: 'sam@example.org' })
  @Nullable()
  @Transform(trim)
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiProperty({ enum: ['doctor', 'medical_student'] })
  @IsIn(['doctor', 'medical_student'], { message: 'must be doctor or medical_student' })
  role: 'doctor' | 'medical_student';

  @ApiPropertyOptional({ example: 'Emergency medicine' })
  @Nullable()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  specialty?: string;

  @ApiPropertyOptional({ example: 'Northgate NHS Trust' })
  @Nullable()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  workplace?: string;

  @ApiPropertyOptional({ example: 'Europe/London', default: 'Europe/London' })
  @Omittable()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'female' })
  @Nullable()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  gender?: string;

  @ApiPropertyOptional({ example: 'Prefer not to say' })
  @Nullable()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  ethnicity?: string;

  @ApiPropertyOptional({ example: 34 })
  @Nullable()
  @IsInt({ message: 'must be a whole number' })
  @Min(16)
  @Max(120)
  age?: number;

  @ApiPropertyOptional({ example: 'en', description: 'ISO 639-1' })
  @Nullable()
  @Transform(trim)
  @Matches(/^[a-z]{2}$/, { message: 'must be an ISO 639-1 code such as en' })
  language?: string;
}

export class PreferencesDto {
  @ApiPropertyOptional({ example: 'female' })
  @Omittable()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  supporterGender?: string;

  @ApiPropertyOptional({ type: [String], example: ['en'] })
  @Omittable()
  @Transform(lowerEach)
  @ArrayMaxSize(10)
  @Matches(/^[a-z]{2}$/, { each: true, message: 'each language must be an ISO 639-1 code such as en' })
  languages?: string[];

  @ApiPropertyOptional({ enum: ['phone', 'video'] })
  @Omittable()
  @IsIn(['phone', 'video'], { message: 'must be phone or video' })
  modality?: 'phone' | 'video';

  @ApiPropertyOptional({ enum: ['prefer', 'avoid', 'any'] })
  @Omittable()
  @IsIn(['prefer', 'avoid', 'any'], { message: 'must be prefer, avoid or any' })
  sameSpecialty?: 'prefer' | 'avoid' | 'any';
}

export class RiskDto {
  @ApiProperty({ description: 'Is the caller in immediate danger? Asked first.' })
  @IsBoolean({ message: 'must be true or false' })
  immediateDanger: boolean;
}

export class ConsentDto {
  @ApiProperty({ enum: [true], description: 'The caller consents to the privacy notice: must be true.' })
  @Equals(true, { message: 'must be true: the caller has to consent to the privacy notice' })
  privacyNotice: true;
}

/** What every route into the service asks, in this order: which service, the risk question, GMC, consent. */
export class SupportRequestBaseDto {
  @ApiProperty({ enum: ['peer_support', 'counselling'] })
  @IsIn(['peer_support', 'counselling'], { message: 'must be peer_support or counselling' })
  service: 'peer_support' | 'counselling';

  @ApiProperty({ type: RiskDto })
  @IsDefined()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => RiskDto)
  risk: RiskDto;

  @ApiPropertyOptional()
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  gmcInvestigation?: boolean;

  @ApiProperty({ type: ConsentDto })
  // only {"privacyNotice": true} is consent: not [], "yes", 1, true or an array holding it
  @IsDefined()
  @IsObject({ message: 'must be {"privacyNotice": true}' })
  @ValidateNested()
  @Type(() => ConsentDto)
  consent: ConsentDto;
}

export class CreateIntakeDto extends SupportRequestBaseDto {
  @ApiProperty({ type: IntakeCallerDto })
  @IsDefined()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => IntakeCallerDto)
  caller: IntakeCallerDto;

  @ApiPropertyOptional({ type: PreferencesDto })
  @Omittable()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => PreferencesDto)
  preferences?: PreferencesDto;
}
