import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@app/common';
import { AuthGuard } from './auth.guard';
import { UserAccess } from './user-access';

function contextFor(token: string): {
  ctx: ExecutionContext;
  req: { headers: Record<string, string>; user?: unknown };
} {
  const req: { headers: Record<string, string>; user?: unknown } = { headers: { authorization: `Bearer ${token}` } };
  const handler = () => undefined;
  class Controller {}
  const ctx = {
    getHandler: () => handler,
    getClass: () => Controller,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

describe('AuthGuard: remembered signatures', () => {
  const jwt = new JwtService({ secret: 'unit-test-secret-unit-test-secret', signOptions: { algorithm: 'HS256' } });
  const active = new Set(['u1']);
  const access = { isActive: async (id: string) => active.has(id) } as unknown as UserAccess;
  const claims = { sub: 'u1', email: 'a@example.test', role: 'intake', sid: null };

  afterEach(() => jest.restoreAllMocks());

  it('checks a token once, then trusts it until it expires, and not a moment longer', async () => {
    const guard = new AuthGuard(new Reflector(), jwt, access);
    const verify = jest.spyOn(jwt, 'verifyAsync');
    const now = Date.now();
    const token = jwt.sign({ ...claims, exp: Math.floor(now / 1000) + 60 });
    for (let i = 0; i < 3; i++) {
      const { ctx, req } = contextFor(token);
      await expect(guard.canActivate(ctx)).resolves.toBe(true);
      expect(req.user).toMatchObject({ id: 'u1', role: 'intake' });
    }
    expect(verify).toHaveBeenCalledTimes(1);

    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    await expect(guard.canActivate(contextFor(token).ctx)).rejects.toBeInstanceOf(DomainError);
  });

  it('a remembered token of a user who is no longer active is refused', async () => {
    const guard = new AuthGuard(new Reflector(), jwt, access);
    const token = jwt.sign({ ...claims, sub: 'u2', exp: Math.floor(Date.now() / 1000) + 60 });
    active.add('u2');
    await expect(guard.canActivate(contextFor(token).ctx)).resolves.toBe(true);
    active.delete('u2');
    await expect(guard.canActivate(contextFor(token).ctx)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('a token with a bad signature is never remembered as good', async () => {
    const guard = new AuthGuard(new Reflector(), jwt, access);
    const token = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 });
    const forged = `${token.slice(0, token.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
    await expect(guard.canActivate(contextFor(forged).ctx)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(guard.canActivate(contextFor(forged).ctx)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(guard.canActivate(contextFor(token).ctx)).resolves.toBe(true);
  });
});
