import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import type { Role } from '../user.entity';

export class CreateUserDto {
  @ApiProperty({ example: 'intake@example.org' })
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, example: 'a long passphrase here' })
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: ['admin', 'intake', 'supporter'] })
  @IsIn(['admin', 'intake', 'supporter'], { message: 'must be admin, intake or supporter' })
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for role supporter: the supporter this user is.' })
  @ValidateIf((o: CreateUserDto) => o.role === 'supporter' || o.supporterId !== undefined)
  @IsUUID('all', { message: 'must be the id of a supporter (required for role supporter)' })
  supporterId?: string;
}
