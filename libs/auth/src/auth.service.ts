import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError, RateLimiter } from '@app/common';
import { signClaims } from './auth.guard';
import { LoginDto, LoginResponse } from './dto/login.dto';
import { dummyHash, verifyPassword } from './password';
import { UsersRepository } from './users.repository';

/** Ten failed attempts a minute per IP and per e-mail; the 11th gets 429. */
const FAILED_LOGINS_PER_MINUTE = 10;

@Injectable()
export class AuthService {
  private readonly failuresByIp = new RateLimiter(FAILED_LOGINS_PER_MINUTE, 60_000);
  private readonly failuresByEmail = new RateLimiter(FAILED_LOGINS_PER_MINUTE, 60_000);

  constructor(
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
  ) {}

  async login(dto: LoginDto, ip: string): Promise<LoginResponse> {
    const emailKey = dto.email.trim().toLowerCase();
    const detail = 'Too many failed sign-in attempts. Wait a minute and try again.';
    this.failuresByIp.assertAllowed(ip, detail);
    this.failuresByEmail.assertAllowed(emailKey, detail);

    const user = await this.users.findByEmail(emailKey);
    const ok = user ? await verifyPassword(user.passwordHash, dto.password) : await verifyPassword(await dummyHash(), dto.password) && false;
    // A deactivated user is told nothing more than a wrong password would tell it.
    if (!user || !ok || user.deactivatedAt) {
      this.failuresByIp.record(ip);
      this.failuresByEmail.record(emailKey);
      throw new DomainError('unauthorized', 'The e-mail address or password is not right.');
    }
    const view = { id: user.id, email: user.email, role: user.role, supporterId: user.supporterId };
    const accessToken = await this.jwt.signAsync(signClaims(view));
    return { accessToken, user: { id: user.id, email: user.email, role: user.role } };
  }
}
