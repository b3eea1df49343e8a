import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@app/common';
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
  @ApiProblems(
    400,
    {
      401: { codes: ['unauthorized'], when: 'wrong e-mail or password, or a deactivated account' },
      429: {
        codes: ['rate_limited'],
        when: 'with Retry-After: the 11th failed attempt within a minute from one address, or at one account from one address, or at one account from addresses it has not signed in from (then blocks of 1, 2, 4, … minutes)',
      },
    },
    503,
  )
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResponse> {
    return this.auth.login(dto, ip);
  }
}
