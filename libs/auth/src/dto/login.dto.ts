import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import type { Role } from '../user.entity';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.org' })
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['admin', 'intake', 'supporter'] }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supporterId: string | null;
  @ApiProperty({ description: 'False once an admin has deactivated the user: no sign-in, and its tokens are refused.' })
  active: boolean;
}

export class LoginResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ type: UserView }) user: Omit<UserView, 'supporterId' | 'active'>;
}
