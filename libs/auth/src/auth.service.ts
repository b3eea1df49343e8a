import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@app/common';
import { signClaims } from './auth.guard';
import { LoginDto, LoginResponse } from './dto/login.dto';
import { LoginThrottle } from './login-throttle';
import { dummyHash, verifyPassword } from './password';
import { UsersRepository } from './users.repository';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(dto: LoginDto, ip: string): Promise<LoginResponse> {
    const emailKey = dto.email.trim().toLowerCase();
    // Reserved before the (slow) verification: attempts sent at once cannot all be evaluated.
    const attempt = await this.throttle.reserve(ip, emailKey);

    const user = await this.users.findByEmail(emailKey);
    const ok = user
      ? await verifyPassword(user.passwordHash, dto.password)
      : (await verifyPassword(await dummyHash(), dto.password)) && false;
    // A deactivated user is told nothing more than a wrong password would tell it.
    if (!user || !ok || user.deactivatedAt) {
      // The reservation stays: it is this failure's count.
      throw new DomainError('unauthorized', 'The e-mail address or password is not right.');
    }
    await attempt.succeeded();
    const view = { id: user.id, email: user.email, role: user.role, supporterId: user.supporterId };
    const accessToken = await this.jwt.signAsync(signClaims(view));
    return { accessToken, user: { id: user.id, email: user.email, role: user.role } };
  }
}
