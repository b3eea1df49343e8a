/**
 * Rate limits counted in PostgreSQL (issue 15.6) and the sign-in throttle
 * (issue 16.1, 16.2): two AppModule instances on one database share every
 * count; attempts sent at once are reserved before the password is verified;
 * rotating addresses cannot keep an account's owner out; blocks grow; a
 * failing store answers 503, never 500; expired rows are deleted.
 *
 * Requests come from 127.0.0.1 and the API trusts X-Forwarded-For from
 * loopback, so each test speaks from made-up documentation addresses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request, { Response } from 'supertest';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/configure-app';
import { loadConfig } from '../../libs/common/src';
import { RateLimits } from '../../libs/database/src';
import { bearer, expectProblem, uniqueEmail } from '../support/factories';
import { PASSWORD, startTestApp, TestApp } from '../support/test-app';

const LOGIN = '/api/v1/auth/login';

let ipSeq = 0;
/** A documentation-range address (TEST-NET-2) no other test of this file uses. */
function freshIp(): string {
  const n = ++ipSeq;
  return `198.51.${100 + Math.floor(n / 250)}.${(n % 250) + 1}`;
}

interface Twin {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A second API process: the same AppModule, booted again on the first one's database. */
async function startTwin(t: TestApp): Promise<Twin> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dsl-twin-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
    WORKER: 'off',
  });
  const url = (t.ds.options as PostgresConnectionOptions).url!;
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ config, databaseUrl: url })],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureApp(app);
  await app.init();
  return {
    app,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Listens on an ephemeral port, so that a hundred requests can really be in flight at once. */
async function listening(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

function tally(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

function expectRetryAfter(res: Response, min: number, max: number): number {
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(min);
  expect(seconds).toBeLessThanOrEqual(max);
  return seconds;
}

describe('rate limits shared by API processes, and the sign-in throttle', () => {
  let t: TestApp;
  let twin: Twin;
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    t = await startTestApp();
    twin = await startTwin(t);
    urlA = await listening(t.app);
    urlB = await listening(twin.app);
  });
  afterAll(async () => {
    await twin?.close();
    await t?.close();
  });

  async function createUser(): Promise<string> {
    const { token } = await t.signIn('admin');
    const email = uniqueEmail('owner');
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(token))
      .send({ email, password: PASSWORD, role: 'intake' });
    expect(res.status).toBe(201);
    return email;
  }

  const login = (url: string, ip: string, email: string, password: string) =>
    request(url).post(LOGIN).set('X-Forwarded-For', ip).send({ email, password });

  /** Ends the current window and block of one limit for every key (as if its time had passed), keeping the block counts. */
  async function expireWindows(limit: string): Promise<void> {
    await t.ds.query(`UPDATE rate_limits SET expire = $1 WHERE starts_with(key, $2)`, [Date.now() - 1, `${limit}:`]);
  }

  describe('two API processes on one database count together', () => {
    it('failed sign-ins: 5 on one process and 5 on the other, the 11th on either is 429', async () => {
      const email = await createUser();
      const ip = freshIp();
      for (let i = 0; i < 10; i++) {
        const res = await login(i % 2 ? urlA : urlB, ip, email, `wrong password ${i}`);
        expectProblem(res, 401, 'unauthorized');
      }
      const res = await login(urlA, ip, email, 'wrong password 11');
      expectProblem(res, 429, 'rate_limited');
      expectRetryAfter(res, 1, 60);
      expectProblem(await login(urlB, ip, email, 'wrong password 12'), 429, 'rate_limited');
    });

    it('manage links: 30 requests a minute per address across both processes, the 31st is 429', async () => {
      const ip = freshIp();
      const token = 'C'.repeat(43);
      for (let i = 0; i < 30; i++) {
        const res = await (i % 2 ? t.http() : twin.http()).get(`/api/v1/manage/${token}`).set('X-Forwarded-For', ip);
        expect(res.status).toBe(404);
      }
      const res = await t.http().get(`/api/v1/manage/${token}`).set('X-Forwarded-For', ip);
      expectProblem(res, 429, 'rate_limited');
      expectRetryAfter(res, 1, 60);
      expectProblem(
        await twin.http().post(`/api/v1/manage/${token}/cancel`).set('X-Forwarded-For', ip),
        429,
        'rate_limited',
      );
      // another address is not held back
      expect((await twin.http().get(`/api/v1/manage/${token}`).set('X-Forwarded-For', freshIp())).status).toBe(404);
    });

    it('feedback links: 30 a minute per address across both processes', async () => {
      const ip = freshIp();
      const token = 'D'.repeat(43);
      for (let i = 0; i < 30; i++) {
        const res = await (i % 2 ? t.http() : twin.http()).get(`/api/v1/feedback/${token}`).set('X-Forwarded-For', ip);
        expect(res.status).toBe(404);
      }
      const res = await twin
        .http()
        .post(`/api/v1/feedback/${token}`)
        .set('X-Forwarded-For', ip)
        .send({ helpful: 5, wouldRecommend: true });
      expectProblem(res, 429, 'rate_limited');
      expectRetryAfter(res, 1, 60);
    });

    it('self-referrals: 5 an hour per address across both processes (invalid ones count), the 6th is 429', async () => {
      const ip = freshIp();
      for (let i = 0; i < 5; i++) {
        const res = await (i % 2 ? t.http() : twin.http())
          .post('/api/v1/requests')
          .set('X-Forwarded-For', ip)
          .send({ nonsense: true });
        expect(res.status).toBe(400);
      }
      const res = await t.http().post('/api/v1/requests').set('X-Forwarded-For', ip).send({ nonsense: true });
      expectProblem(res, 429, 'rate_limited');
      expectRetryAfter(res, 3000, 3600);
    });
  });

  describe('attempts sent at once are reserved before the password is verified', () => {
    it('100 wrong passwords for one account from one address at once: 10 evaluated (401), 90 refused (429 with Retry-After)', async () => {
      const email = await createUser();
      const ip = freshIp();
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => login(urlA, ip, email, `wrong password ${i}`)),
      );
      expect(tally(responses)).toEqual({ 401: 10, 429: 90 });
      for (const res of responses.filter((r) => r.status === 429)) {
        expectProblem(res, 429, 'rate_limited');
        expectRetryAfter(res, 1, 60);
      }
      // and the window holds: one more, even with the right password, is refused from there
      expectProblem(await login(urlB, ip, email, PASSWORD), 429, 'rate_limited');
    });

    it('the same across two processes: 50 on each at once, still 10 evaluated', async () => {
      const email = await createUser();
      const ip = freshIp();
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => login(i % 2 ? urlA : urlB, ip, email, `wrong password ${i}`)),
      );
      expect(tally(responses)).toEqual({ 401: 10, 429: 90 });
    });

    it('100 wrong passwords at once from 100 addresses: 10 evaluated, the rest 429', async () => {
      const email = await createUser();
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => login(i % 2 ? urlA : urlB, freshIp(), email, `wrong password ${i}`)),
      );
      expect(tally(responses)).toEqual({ 401: 10, 429: 90 });
    });

    it('successful sign-ins do not count: 15 in a row from one address all succeed', async () => {
      const email = await createUser();
      const ip = freshIp();
      for (let i = 0; i < 15; i++) expect((await login(i % 2 ? urlA : urlB, ip, email, PASSWORD)).status).toBe(200);
    });
  });

  describe('nobody can lock an account out (OWASP: tight per address and account, loose per account, growing blocks)', () => {
    it('failures from rotating addresses do not keep the owner out at an address it signed in from', async () => {
      const email = await createUser();
      const home = freshIp();
      expect((await login(urlA, home, email, PASSWORD)).status).toBe(200);

      const attack = await Promise.all(
        Array.from({ length: 40 }, (_, i) => login(i % 2 ? urlA : urlB, freshIp(), email, `guess ${i}`)),
      );
      expect(tally(attack)).toEqual({ 401: 10, 429: 30 });

      // the owner, at its own address, on either process
      const owner = await login(urlB, home, email, PASSWORD);
      expect(owner.status).toBe(200);
      expect(owner.body.accessToken).toEqual(expect.any(String));
      // a slip of the owner's is an ordinary 401 there, not a lock-out
      expectProblem(await login(urlA, home, email, 'a typo'), 401, 'unauthorized');
      expect((await login(urlA, home, email, PASSWORD)).status).toBe(200);

      // while the account is blocked a new address gets no guess evaluated, not even the right password: no oracle
      const stranger = await login(urlA, freshIp(), email, PASSWORD);
      expectProblem(stranger, 429, 'rate_limited');
      expectRetryAfter(stranger, 1, 60);
    });

    it('blocks of the account from unknown addresses grow: 1, 2, 4 minutes', async () => {
      const email = await createUser();
      const home = freshIp();
      expect((await login(urlA, home, email, PASSWORD)).status).toBe(200);
      const waits: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 10; i++)
          expectProblem(await login(urlB, freshIp(), email, `guess ${round}.${i}`), 401, 'unauthorized');
        const refused = await login(urlA, freshIp(), email, `guess ${round}.x`);
        expectProblem(refused, 429, 'rate_limited');
        waits.push(Number(refused.headers['retry-after']));
        // the owner is let in all along
        expect((await login(urlB, home, email, PASSWORD)).status).toBe(200);
        await expireWindows('login_account');
      }
      expect(waits[0]).toBeGreaterThanOrEqual(59);
      expect(waits[0]).toBeLessThanOrEqual(60);
      expect(waits[1]).toBeGreaterThanOrEqual(119);
      expect(waits[1]).toBeLessThanOrEqual(120);
      expect(waits[2]).toBeGreaterThanOrEqual(239);
      expect(waits[2]).toBeLessThanOrEqual(240);
    });

    it("one address failing at one account is held tightly, with growing blocks, even at the owner's address", async () => {
      const email = await createUser();
      const home = freshIp();
      expect((await login(urlA, home, email, PASSWORD)).status).toBe(200);
      const waits: number[] = [];
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 10; i++)
          expectProblem(await login(urlB, home, email, `guess ${round}.${i}`), 401, 'unauthorized');
        const refused = await login(urlA, home, email, PASSWORD);
        expectProblem(refused, 429, 'rate_limited');
        waits.push(Number(refused.headers['retry-after']));
        await expireWindows('login_ip_account');
        await expireWindows('login_ip');
      }
      expect(waits[0]).toBeLessThanOrEqual(60);
      expect(waits[1]).toBeGreaterThanOrEqual(119);
      expect(waits[1]).toBeLessThanOrEqual(120);
      // a block of the pair is not a block of the account: the owner elsewhere (a known address) is unaffected
      expect((await login(urlB, freshIp(), email, PASSWORD)).status).toBe(200);
    });
  });

  describe('the store', () => {
    it('holds no address or e-mail in clear', async () => {
      const email = await createUser();
      const ip = freshIp();
      expectProblem(await login(urlA, ip, email, 'wrong'), 401, 'unauthorized');
      const rows: { key: string }[] = await t.ds.query(`SELECT key FROM rate_limits`);
      expect(rows.length).toBeGreaterThan(0);
      const all = rows.map((r) => r.key).join('\n');
      expect(all).not.toContain(email);
      expect(all).not.toContain(email.toLowerCase());
      expect(all).not.toContain(ip);
      expect(all).not.toContain('@');
    });

    it('deletes rows an hour past their expiry and keeps the others', async () => {
      const now = Date.now();
      await t.ds.query(
        `INSERT INTO rate_limits (key, points, expire) VALUES ('test:old', 3, $1), ('test:recent', 3, $2), ('test:live', 3, $3)`,
        [now - 2 * 3_600_000, now - 60_000, now + 60_000],
      );
      const deleted = await t.app.get(RateLimits).deleteExpired(now);
      expect(deleted).toBeGreaterThanOrEqual(1);
      const left: { key: string }[] = await t.ds.query(
        `SELECT key FROM rate_limits WHERE starts_with(key, 'test:') ORDER BY key`,
      );
      expect(left.map((r) => r.key)).toEqual(['test:live', 'test:recent']);
    });

    it('when the store cannot answer, limited endpoints answer 503 service_unavailable with Retry-After (never 500, nothing let through), and recover', async () => {
      const email = await createUser();
      const ip = freshIp();
      await t.ds.query(`ALTER TABLE rate_limits RENAME TO rate_limits_away`);
      try {
        const signIn = await login(urlA, ip, email, PASSWORD);
        expectProblem(signIn, 503, 'service_unavailable');
        expect(signIn.body.accessToken).toBeUndefined();
        expectRetryAfter(signIn, 1, 60);
        expectProblem(
          await twin
            .http()
            .get(`/api/v1/manage/${'E'.repeat(43)}`)
            .set('X-Forwarded-For', ip),
          503,
          'service_unavailable',
        );
        expectProblem(
          await t
            .http()
            .get(`/api/v1/feedback/${'E'.repeat(43)}`)
            .set('X-Forwarded-For', ip),
          503,
          'service_unavailable',
        );
        expectProblem(
          await t.http().post('/api/v1/requests').set('X-Forwarded-For', ip).send({ nonsense: true }),
          503,
          'service_unavailable',
        );
      } finally {
        await t.ds.query(`ALTER TABLE rate_limits_away RENAME TO rate_limits`);
      }
      expect((await login(urlB, ip, email, PASSWORD)).status).toBe(200);
      expect(
        (
          await t
            .http()
            .get(`/api/v1/manage/${'E'.repeat(43)}`)
            .set('X-Forwarded-For', ip)
        ).status,
      ).toBe(404);
    });
  });
});
