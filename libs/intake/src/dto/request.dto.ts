import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { FreeText, Nullable } from '@app/common';
import { IntakeCallerDto, SupportRequestBaseDto } from './create-intake.dto';
import { SignpostingView } from './intake-view.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** On the web form a person gives only their contact details and role; the rest is asked on the call back. */
export class RequestCallerDto extends PickType(IntakeCallerDto, [
  'name',
  'phone',
  'email',
  'role',
  'timeZone',
] as const) {}

/** The public "Ask for support" form. As strict as intake: unknown fields are refused. */
export class SupportRequestDto extends SupportRequestBaseDto {
  @ApiProperty({ type: RequestCallerDto })
  @IsDefined()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => RequestCallerDto)
  caller: RequestCallerDto;

  @ApiPropertyOptional({ maxLength: 500, example: 'Weekday evenings after 6pm' })
  @Nullable()
  @FreeText()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  preferredTimes?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Nullable()
  @FreeText()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  message?: string;

  @ApiPropertyOptional({ description: 'Leave empty. (A field people never see: only robots fill it in.)' })
  @Nullable()
  @IsString()
  @MaxLength(500)
  website?: string;
}

export class SupportRequestResponse {
  @ApiProperty({ example: 'RQ-7K3Q-9D' }) reference: string;
  @ApiProperty({ enum: ['open', 'signposted'] }) status: 'open' | 'signposted';
  @ApiPropertyOptional({
    example: 24,
    description:
      'open requests: "we will call you within N working hours" (the policy the acknowledgement also states)',
  })
  callbackWorkingHours?: number;
  @ApiPropertyOptional({ type: SignpostingView }) signposting?: SignpostingView;
}
