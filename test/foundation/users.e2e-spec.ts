import { PASSWORD, startTestApp, TestApp } from '../support/test-app';
import { bearer, createSupporter, expectProblem, expectValidation, uniqueEmail } from '../support/factories';

const USERS = '/api/v1/users';

describe('POST /api/v1/users', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(['admin', 'intake'] as const)('creates a %s user: 201 {id, email, role, supporterId: null}', async (role) => {
    const email = uniqueEmail(role);
    const res = await t.http().post(USERS).set(bearer(admin)).send({ email, password: PASSWORD, role });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), email, role, supporterId: null, active: true });
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
  });

  it('creates a supporter user linked to one supporter', async () => {
    const s = await createSupporter(t, admin);
    const email = uniqueEmail('sup');
    const res = await t
      .http()
      .post(USERS)
      .set(bearer(admin))
      .send({ email, password: PASSWORD, role: 'supporter', supporterId: s.id });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), email, role: 'supporter', supporterId: s.id, active: true });
    // the new user can sign in and sees its own supporter record
    const login = await t.http().post('/api/v1/auth/login').send({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual({ id: res.body.id, email, role: 'supporter' });
    const own = await t.http().get(`/api/v1/supporters/${s.id}`).set(bearer(login.body.accessToken));
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(s.id);
  });

  it('the created user signs in with that password', async () => {
    const email = uniqueEmail('login');
    const created = await t.http().post(USERS).set(bearer(admin)).send({ email, password: PASSWORD, role: 'intake' });
    expect(created.status).toBe(201);
    const login = await t.http().post('/api/v1/auth/login').send({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual({ id: created.body.id, email, role: 'intake' });
  });

  it('stores the password only as an argon2 hash', async () => {
    const email = uniqueEmail('hash');
    const created = await t.http().post(USERS).set(bearer(admin)).send({ email, password: PASSWORD, role: 'intake' });
    expect(created.status).toBe(201);
    const rows: { password_hash: string }[] = await t.ds.query('SELECT password_hash FROM users WHERE id = $1', [
      created.body.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].password_hash).toMatch(/^\$argon2(id|i|d)\$/);
    expect(rows[0].password_hash).not.toContain(PASSWORD);
    const anywhere: { n: string }[] = await t.ds.query(
      `SELECT count(*) AS n FROM users u WHERE row_to_json(u)::text LIKE $1`,
      [`%${PASSWORD}%`],
    );
    expect(Number(anywhere[0].n)).toBe(0);
  });

  it.each([
    ['the same e-mail', (e: string) => e],
    ['the e-mail in upper case', (e: string) => e.toUpperCase()],
    ['the e-mail in mixed case', (e: string) => e.replace(/^./, (c) => c.toUpperCase())],
  ])('a duplicate e-mail (%s) is 409 email_taken', async (_label, spell) => {
    const email = uniqueEmail('dup');
    const first = await t.http().post(USERS).set(bearer(admin)).send({ email, password: PASSWORD, role: 'intake' });
    expect(first.status).toBe(201);
    const again = await t
      .http()
      .post(USERS)
      .set(bearer(admin))
      .send({ email: spell(email), password: PASSWORD, role: 'admin' });
    expectProblem(again, 409, 'email_taken');
  });

  it('a duplicate first created in upper case collides with the lower-case spelling', async () => {
    const email = uniqueEmail('DUP').toUpperCase();
    expect(
      (await t.http().post(USERS).set(bearer(admin)).send({ email, password: PASSWORD, role: 'intake' })).status,
    ).toBe(201);
    const again = await t
      .http()
      .post(USERS)
      .set(bearer(admin))
      .send({ email: email.toLowerCase(), password: PASSWORD, role: 'intake' });
    expectProblem(again, 409, 'email_taken');
  });

  it('a password of 11 characters is 400; 12 characters is enough', async () => {
    const short = await t
      .http()
      .post(USERS)
      .set(bearer(admin))
      .send({ email: uniqueEmail('pw'), password: '12345678901', role: 'intake' });
    expectValidation(short, ['password']);
    const ok = await t
      .http()
      .post(USERS)
      .set(bearer(admin))
      .send({ email: uniqueEmail('pw'), password: '123456789012', role: 'intake' });
    expect(ok.status).toBe(201);
  });

  it('a bad e-mail, short password and unknown role give one error entry each', async () => {
    const res = await t
      .http()
      .post(USERS)
      .set(bearer(admin))
      .send({ email: 'not-an-email', password: 'short', role: 'superuser' });
    expectValidation(res, ['email', 'password', 'role']);
  });

  it('missing fields are 400, one entry per field', async () => {
    const res = await t.http().post(USERS).set(bearer(admin)).send({});
    expectValidation(res, ['email', 'password', 'role']);
  });

  it('an unknown field is rejected with 400', async () => {
    const res = await t
      .http()
      .post(USERS)
      .set(bearer(admin))
      .send({ email: uniqueEmail(), password: PASSWORD, role: 'intake', isRoot: true });
    expectValidation(res, ['isRoot']);
  });

  it('a supporter user without a supporterId is 400', async () => {
    const res = await t
      .http()
      .post(USERS)
      .set(bearer(admin))
      .send({ email: uniqueEmail(), password: PASSWORD, role: 'supporter' });
    expectValidation(res, ['supporterId']);
  });

  it('a supporterId that names no supporter is 400, not a server error', async () => {
    const res = await t.http().post(USERS).set(bearer(admin)).send({
      email: uniqueEmail(),
      password: PASSWORD,
      role: 'supporter',
      supporterId: '6f1c1f7e-2c1b-4a8e-9a59-000000000000',
    });
    expectValidation(res, ['supporterId']);
  });

  it('nothing is stored when the request is refused', async () => {
    const email = uniqueEmail('refused');
    const res = await t.http().post(USERS).set(bearer(admin)).send({ email, password: 'short', role: 'intake' });
    expect(res.status).toBe(400);
    const rows = await t.ds.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [email]);
    expect(rows).toHaveLength(0);
  });

  it('only an admin may create users: intake and supporter are 403, anonymous 401', async () => {
    const body = () => ({ email: uniqueEmail(), password: PASSWORD, role: 'admin' });
    const intake = await t.signIn('intake');
    expectProblem(await t.http().post(USERS).set(bearer(intake.token)).send(body()), 403, 'forbidden');
    const s = await createSupporter(t, admin);
    const sup = await t.signIn('supporter', s.id);
    expectProblem(await t.http().post(USERS).set(bearer(sup.token)).send(body()), 403, 'forbidden');
    expectProblem(await t.http().post(USERS).send(body()), 401, 'unauthorized');
  });
});
