import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { Public } from './decorators';
import { LoginDto, LoginResponse } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: returns a bearer token' })
  @ApiOkResponse({ type: LoginResponse })
  @ApiTooManyRequestsResponse({
    description:
      'rate_limited, with Retry-After: the 11th failed attempt within a minute from one address, or at one account from one address, or at one account from addresses it has not signed in from (then blocks of 1, 2, 4, … minutes)',
  })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResponse> {
    return this.auth.login(dto, ip);
  }
}
