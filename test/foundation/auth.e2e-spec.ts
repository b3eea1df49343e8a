import { JwtService } from '@nestjs/jwt';
import { PASSWORD, startTestApp, TestApp } from '../support/test-app';
import { bearer, expectProblem, expectValidation, uniqueEmail } from '../support/factories';

const JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
const LOGIN = '/api/v1/auth/login';

describe('POST /api/v1/auth/login and bearer tokens', () => {
  let t: TestApp;
  let ipSeq = 0;
  /** Each test logs in from its own (forwarded) address so the per-IP limit never leaks between tests. */
  const freshIp = () => `203.0.113.${++ipSeq}`;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function createUser(role: 'admin' | 'intake' = 'intake'): Promise<{ email: string; id: string }> {
    const { token } = await t.signIn('admin');
    const email = uniqueEmail(role);
    const res = await t.http().post('/api/v1/users').set(bearer(token)).send({ email, password: PASSWORD, role });
    expect(res.status).toBe(201);
    return { email, id: res.body.id };
  }

  it('answers 200 with an access token and the user (id, email, role)', async () => {
    const { email, id } = await createUser('intake');
    const res = await t.http().post(LOGIN).set('X-Forwarded-For', freshIp()).send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), user: { id, email, role: 'intake' } });
    expect(res.body.accessToken.length).toBeGreaterThan(20);
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
  });

  it('the token it returns opens the API', async () => {
    const { email } = await createUser('admin');
    const login = await t.http().post(LOGIN).set('X-Forwarded-For', freshIp()).send({ email, password: PASSWORD });
    const res = await t.http().get('/api/v1/policies').set(bearer(login.body.accessToken));
    expect(res.status).toBe(200);
  });

  it('a wrong password is 401 unauthorized', async () => {
    const { email } = await createUser();
    const res = await t
      .http()
      .post(LOGIN)
      .set('X-Forwarded-For', freshIp())
      .send({ email, password: 'not the right password' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.body.accessToken).toBeUndefined();
  });

  it('an unknown e-mail is 401 unauthorized', async () => {
    const res = await t
      .http()
      .post(LOGIN)
      .set('X-Forwarded-For', freshIp())
      .send({ email: uniqueEmail('nobody'), password: PASSWORD });
    expectProblem(res, 401, 'unauthorized');
  });

  it('a malformed body is 400 with one entry per bad field', async () => {
    const res = await t
      .http()
      .post(LOGIN)
      .set('X-Forwarded-For', freshIp())
      .send({ email: 'not-an-email', password: 42 });
    expectValidation(res, ['email', 'password']);
  });

  it('an unknown field in the login body is 400', async () => {
    const { email } = await createUser();
    const res = await t
      .http()
      .post(LOGIN)
      .set('X-Forwarded-For', freshIp())
      .send({ email, password: PASSWORD, remember: true });
    expectValidation(res, ['remember']);
  });

  describe('rate limiting', () => {
    it('the 11th failed attempt within a minute for one e-mail is 429 with Retry-After, whatever the IP', async () => {
      const { email } = await createUser();
      for (let i = 0; i < 10; i++) {
        const res = await t
          .http()
          .post(LOGIN)
          .set('X-Forwarded-For', freshIp())
          .send({ email, password: `wrong password ${i}` });
        expectProblem(res, 401, 'unauthorized');
      }
      const res = await t
        .http()
        .post(LOGIN)
        .set('X-Forwarded-For', freshIp())
        .send({ email, password: 'wrong password 11' });
      expectProblem(res, 429, 'rate_limited');
      const retryAfter = Number(res.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    it('counts the e-mail without regard to letter case', async () => {
      const { email } = await createUser();
      for (let i = 0; i < 10; i++) {
        const spelled = i % 2 ? email.toUpperCase() : email;
        const res = await t
          .http()
          .post(LOGIN)
          .set('X-Forwarded-For', freshIp())
          .send({ email: spelled, password: `wrong password ${i}` });
        expectProblem(res, 401, 'unauthorized');
      }
      const res = await t
        .http()
        .post(LOGIN)
        .set('X-Forwarded-For', freshIp())
        .send({ email: email.toUpperCase(), password: 'wrong' });
      expectProblem(res, 429, 'rate_limited');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    });

    it('the 11th failed attempt within a minute from one IP is 429 with Retry-After, whatever the e-mail', async () => {
      const ip = freshIp();
      for (let i = 0; i < 10; i++) {
        const res = await t
          .http()
          .post(LOGIN)
          .set('X-Forwarded-For', ip)
          .send({ email: uniqueEmail('guess'), password: 'wrong password' });
        expectProblem(res, 401, 'unauthorized');
      }
      const res = await t
        .http()
        .post(LOGIN)
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail('guess'), password: 'wrong password' });
      expectProblem(res, 429, 'rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    });

    it('ten failed attempts are not yet limited, and a blocked IP or e-mail does not block others', async () => {
      const ip = freshIp();
      for (let i = 0; i < 10; i++) {
        const res = await t
          .http()
          .post(LOGIN)
          .set('X-Forwarded-For', ip)
          .send({ email: uniqueEmail('guess'), password: 'wrong password' });
        expectProblem(res, 401, 'unauthorized');
      }
      const blocked = await t
        .http()
        .post(LOGIN)
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail('guess'), password: 'x' });
      expectProblem(blocked, 429, 'rate_limited');
      // another address and another e-mail still sign in
      const { email } = await createUser();
      const ok = await t.http().post(LOGIN).set('X-Forwarded-For', freshIp()).send({ email, password: PASSWORD });
      expect(ok.status).toBe(200);
    });
  });

  describe('bearer tokens', () => {
    const path = '/api/v1/policies';
    const jwt = new JwtService({ secret: JWT_SECRET });

    it('no Authorization header is 401', async () => {
      expectProblem(await t.http().get(path), 401, 'unauthorized');
    });

    it.each([
      ['a garbage token', 'Bearer not-a-token'],
      ['an empty bearer', 'Bearer '],
      ['another scheme', 'Basic YWRtaW46cGFzc3dvcmQ='],
      ['a token without the scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.x'],
    ])('%s is 401', async (_label, header) => {
      const res = await t.http().get(path).set('Authorization', header);
      expectProblem(res, 401, 'unauthorized');
    });

    it('a token signed with another secret is 401', async () => {
      const forged = new JwtService({ secret: 'some-other-secret-some-other-secret-0000' }).sign({
        sub: '00000000-0000-4000-8000-000000000000',
        email: 'x@test.local',
        role: 'admin',
        sid: null,
      });
      expectProblem(await t.http().get(path).set(bearer(forged)), 401, 'unauthorized');
    });

    it('an unsigned (alg none) token is 401', async () => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const token = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'x', email: 'x@test.local', role: 'admin', sid: null })}.`;
      expectProblem(await t.http().get(path).set(bearer(token)), 401, 'unauthorized');
    });

    it('an expired token is 401', async () => {
      const { userId, email } = await t.signIn('admin');
      const now = Math.floor(Date.now() / 1000);
      const expired = jwt.sign({ sub: userId, email, role: 'admin', sid: null, iat: now - 7200, exp: now - 60 });
      expectProblem(await t.http().get(path).set(bearer(expired)), 401, 'unauthorized');
      // the same claims, not expired, are accepted: it is the expiry that is refused
      const fresh = jwt.sign({ sub: userId, email, role: 'admin', sid: null, iat: now, exp: now + 600 });
      expect((await t.http().get(path).set(bearer(fresh))).status).toBe(200);
    });

    it('a token whose body was tampered with is 401', async () => {
      const { token } = await t.signIn('intake');
      const [h, p, s] = token.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
      expectProblem(await t.http().put(path).set(bearer(tampered)).send({}), 401, 'unauthorized');
    });
  });
});
