import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsPossiblePhone, IsTimeZone } from '@app/common';
import { ConsentDto, RiskDto } from './create-intake.dto';
import { SignpostingView } from './intake-view.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RequestCallerDto {
  @ApiProperty({ example: 'Dr Sam Example' })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(200)
  name: string;

  @ApiProperty({ example: '07700 900123' })
  @IsPossiblePhone()
  phone: string;

  @ApiPropertyOptional({ example: 'sam@example.org' })
  @IsOptional() @Transform(trim) @IsEmail({}, { message: 'must be an e-mail address' }) @MaxLength(254)
  email?: string;

  @ApiProperty({ enum: ['doctor', 'medical_student'] })
  @IsIn(['doctor', 'medical_student'], { message: 'must be doctor or medical_student' })
  role: 'doctor' | 'medical_student';

  @ApiPropertyOptional({ example: 'Europe/London' })
  @IsOptional() @IsTimeZone()
  timeZone?: string;
}

/** The public "Ask for support" form. As strict as intake: unknown fields are refused. */
export class SupportRequestDto {
  @ApiProperty({ enum: ['peer_support', 'counselling'] })
  @IsIn(['peer_support', 'counselling'], { message: 'must be peer_support or counselling' })
  service: 'peer_support' | 'counselling';

  @ApiProperty({ type: RequestCallerDto })
  @IsDefined() @ValidateNested() @Type(() => RequestCallerDto)
  caller: RequestCallerDto;

  @ApiPropertyOptional({ maxLength: 500, example: 'Weekday evenings after 6pm' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(500)
  preferredTimes?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(2000)
  message?: string;

  @ApiProperty({ type: RiskDto })
  @IsDefined() @ValidateNested() @Type(() => RiskDto)
  risk: RiskDto;

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean({ message: 'must be true or false' })
  gmcInvestigation?: boolean;

  @ApiProperty({ type: ConsentDto })
  @IsDefined() @ValidateNested() @Type(() => ConsentDto)
  consent: ConsentDto;

  @ApiPropertyOptional({ description: 'Leave empty. (A field people never see: only robots fill it in.)' })
  @IsOptional() @IsString() @MaxLength(500)
  website?: string;
}

export class SupportRequestResponse {
  @ApiProperty({ example: 'RQ-7K3Q-9D' }) reference: string;
  @ApiProperty({ enum: ['open', 'signposted'] }) status: 'open' | 'signposted';
  @ApiPropertyOptional({ type: SignpostingView }) signposting?: SignpostingView;
}

