import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError, RequestContext } from '@app/common';
import type { AuthUser } from './auth-user';
import { IS_PUBLIC, ROLES_KEY } from './decorators';
import { ROLES, Role } from './user.entity';
import { UserAccess } from './user-access';

interface TokenClaims {
  sub: string;
  email: string;
  role: Role;
  sid: string | null;
  /** Expiry, seconds since the epoch (set by JwtService.sign). */
  exp?: number;
}

const MAX_REMEMBERED_TOKENS = 10_000;

/**
 * Global guard: every route needs a valid bearer token unless marked @Public();
 * @Roles() lists the roles allowed besides admin. Missing or bad token → 401,
 * wrong role → 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly access: UserAccess,
  ) {}

  /**
   * Tokens whose signature has already been checked, with their claims, until
   * they expire: checking HS256 and parsing the claims again on every request
   * cost more than the rest of the guard. Whether the user may still sign in
   * is not the signature's business and is asked on every request (UserAccess).
   */
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAt: number }>();

  private async verify(token: string): Promise<TokenClaims> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > now) return known.claims;
      this.verified.delete(token);
    }
    const claims = await this.jwt.verifyAsync<TokenClaims>(token);
    if (typeof claims.exp === 'number') {
      if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.clear();
      this.verified.set(token, { claims, expiresAt: claims.exp * 1000 });
    }
    return claims;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined>; user?: AuthUser }>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header) : null;
    if (!match)
      throw new DomainError('unauthorized', 'Sign in and send the access token as "Authorization: Bearer <token>".');
    let claims: TokenClaims;
    try {
      claims = await this.verify(match[1]);
    } catch {
      throw new DomainError('unauthorized', 'The access token is not valid or has expired. Sign in again.');
    }
    if (!ROLES.includes(claims.role)) throw new DomainError('unauthorized', 'The access token is not valid.');
    if (!(await this.access.isActive(claims.sub))) {
      throw new DomainError(
        'unauthorized',
        'This sign-in is no longer active. Ask an administrator if you still need access.',
      );
    }
    const user: AuthUser = { id: claims.sub, email: claims.email, role: claims.role, supporterId: claims.sid ?? null };
    req.user = user;
    RequestContext.identify({ id: user.id, role: user.role });
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && user.role !== 'admin' && !allowed.includes(user.role)) {
      throw DomainError.forbidden();
    }
    return true;
  }
}

export function signClaims(user: AuthUser): TokenClaims {
  return { sub: user.id, email: user.email, role: user.role, sid: user.supporterId };
}

/** A supporter may act only on itself; admin (and the roles a route allows) on anyone. */
export function assertSupporterScope(user: AuthUser, supporterId: string): void {
  if (user.role === 'supporter' && user.supporterId !== supporterId) {
    throw DomainError.forbidden('A supporter may only see and change its own record.');
  }
}
