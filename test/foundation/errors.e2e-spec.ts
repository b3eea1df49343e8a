import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { PoliciesService } from '../../libs/policies/src';
import { SupportersService } from '../../libs/supporters/src';
import { PASSWORD, startTestApp, TestApp } from '../support/test-app';
import { bearer, createSupporter, expectProblem, supporterBody, uniqueEmail } from '../support/factories';

/** Every error of the foundation is an RFC 9457 problem document and leaks nothing. */
describe('errors are problem documents', () => {
  let t: TestApp;
  let admin: string;
  let intake: string;
  let supporterToken: string;
  let peerId: string;
  let otherId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
    peerId = (await createSupporter(t, admin, { kind: 'peer' })).id;
    otherId = (await createSupporter(t, admin)).id;
    supporterToken = (await t.signIn('supporter', peerId)).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const cases: [string, number, string, () => Promise<Response>][] = [
    [
      'validation_failed (body)',
      400,
      'validation_failed',
      () => t.http().post('/api/v1/users').set(bearer(admin)).send({ email: 'x', password: 'y', role: 'z' }),
    ],
    [
      'validation_failed (unknown field)',
      400,
      'validation_failed',
      () =>
        t
          .http()
          .post('/api/v1/supporters')
          .set(bearer(admin))
          .send({ ...supporterBody(), x: 1 }),
    ],
    [
      'validation_failed (path id)',
      400,
      'validation_failed',
      () => t.http().get('/api/v1/supporters/1%27%20OR%201%3D1').set(bearer(admin)),
    ],
    [
      'validation_failed (query)',
      400,
      'validation_failed',
      () => t.http().get(`/api/v1/supporters/${peerId}/slots?from=yesterday`).set(bearer(admin)),
    ],
    [
      'validation_failed (malformed JSON)',
      400,
      'validation_failed',
      () =>
        t
          .http()
          .post('/api/v1/users')
          .set(bearer(admin))
          .set('Content-Type', 'application/json')
          .send('{"email": "a@b.c",'),
    ],
    ['unauthorized (no token)', 401, 'unauthorized', () => t.http().get('/api/v1/supporters')],
    [
      'unauthorized (bad token)',
      401,
      'unauthorized',
      () => t.http().get('/api/v1/supporters').set(bearer('abc.def.ghi')),
    ],
    [
      'unauthorized (bad password)',
      401,
      'unauthorized',
      () =>
        t
          .http()
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', '198.51.100.7')
          .send({ email: uniqueEmail(), password: 'wrong-password' }),
    ],
    [
      'forbidden (wrong role)',
      403,
      'forbidden',
      () => t.http().post('/api/v1/supporters').set(bearer(intake)).send(supporterBody()),
    ],
    [
      'forbidden (not its own)',
      403,
      'forbidden',
      () => t.http().get(`/api/v1/supporters/${otherId}`).set(bearer(supporterToken)),
    ],
    [
      'not_found (supporter)',
      404,
      'not_found',
      () => t.http().get(`/api/v1/supporters/${randomUUID()}`).set(bearer(admin)),
    ],
    [
      'not_found (time off)',
      404,
      'not_found',
      () => t.http().delete(`/api/v1/supporters/${peerId}/time-off/${randomUUID()}`).set(bearer(admin)),
    ],
    ['not_found (no such route)', 404, 'not_found', () => t.http().get('/api/v1/no-such-thing').set(bearer(admin))],
    [
      'outside_sociable_hours',
      422,
      'outside_sociable_hours',
      () =>
        t
          .http()
          .put(`/api/v1/supporters/${peerId}/availability`)
          .set(bearer(admin))
          .send({ weekly: [{ weekday: 1, start: '21:00', end: '22:00' }] }),
    ],
  ];

  it.each(cases)('%s → %i with code %s', async (_label, status, code, send) => {
    const res = await send();
    expectProblem(res, status, code);
    // status in the body matches the HTTP status, type is a URI
    expect(res.body.status).toBe(res.status);
    expect(res.body.type).toMatch(/^(https?:\/\/\S+|about:blank)$/);
  });

  it('validation problems carry errors: [{field, message}]', async () => {
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ email: 'x', password: PASSWORD, role: 'intake' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
  });

  it('email_taken is 409', async () => {
    const email = uniqueEmail('taken');
    expect(
      (await t.http().post('/api/v1/users').set(bearer(admin)).send({ email, password: PASSWORD, role: 'intake' }))
        .status,
    ).toBe(201);
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ email: email.toUpperCase(), password: PASSWORD, role: 'intake' });
    expectProblem(res, 409, 'email_taken');
    expect(res.text).not.toContain('uq_users_email');
  });

  it('rate_limited is 429 with Retry-After', async () => {
    const email = uniqueEmail('limited');
    let res: Response | undefined;
    for (let i = 0; i < 11; i++) {
      res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `198.51.100.${20 + i}`)
        .send({ email, password: 'wrong password' });
    }
    expectProblem(res!, 429, 'rate_limited');
    expect(res!.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('an unexpected failure is a 500 problem without stack, SQL or the error message', async () => {
    const policies = t.app.get(PoliciesService);
    const boom = new Error('relation "policies" does not exist: SELECT * FROM "policies" WHERE id = 1');
    const spy = jest.spyOn(policies, 'get').mockRejectedValueOnce(boom);
    try {
      const res = await t.http().get('/api/v1/policies').set(bearer(admin));
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toEqual(
        expect.objectContaining({
          type: expect.any(String),
          title: expect.any(String),
          status: 500,
          detail: expect.any(String),
          code: expect.any(String),
        }),
      );
      expect(res.text).not.toContain('SELECT');
      expect(res.text).not.toContain('relation "policies"');
      expect(res.text).not.toMatch(/\bat .+\(.+:\d+:\d+\)/);
      expect(res.text).not.toContain('.ts');
    } finally {
      spy.mockRestore();
    }
  });

  it('a database error from a write is not shown to the caller', async () => {
    const supporters = t.app.get(SupportersService);
    const pgError = Object.assign(
      new Error('insert or update on table "supporters" violates check constraint "ck_x"'),
      {
        query: 'INSERT INTO "supporters"("kind") VALUES ($1)',
        parameters: ['peer'],
        code: '23514',
      },
    );
    const spy = jest.spyOn(supporters, 'create').mockRejectedValueOnce(pgError);
    try {
      const res = await t.http().post('/api/v1/supporters').set(bearer(admin)).send(supporterBody());
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toContain('INSERT');
      expect(res.text).not.toContain('violates');
      expect(res.text).not.toContain('ck_x');
    } finally {
      spy.mockRestore();
    }
  });

  it('no error body echoes the password or the bearer token that was sent', async () => {
    const secretPassword = 'my-very-secret-password-123';
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ email: 'not-an-email', password: secretPassword, role: 'intake' });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain(secretPassword);
    expect(res.text).not.toContain(admin);
    const forbidden = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(intake))
      .send({ email: uniqueEmail(), password: secretPassword, role: 'admin' });
    expectProblem(forbidden, 403, 'forbidden');
    expect(forbidden.text).not.toContain(secretPassword);
    expect(forbidden.text).not.toContain(intake);
  });
});
