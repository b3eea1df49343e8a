import { startTestApp, TestApp } from '../support/test-app';
import { bearer, expectProblem } from '../support/factories';

const ADMIN_EMAIL = 'first.admin@test.local';
const ADMIN_PASSWORD = 'bootstrap admin passphrase';

describe('first start: BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates that admin on an empty database, and only that user', async () => {
    const rows: { email: string; role: string }[] = await t.ds.query('SELECT email, role FROM users');
    expect(rows).toEqual([{ email: ADMIN_EMAIL, role: 'admin' }]);
  });

  it('the bootstrap admin signs in and may do admin things', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual({ id: expect.any(String), email: ADMIN_EMAIL, role: 'admin' });
    const res = await t.http().get('/api/v1/users').set(bearer(login.body.accessToken));
    expect(res.status).toBe(200);
  });

  it('stores its password only as an argon2 hash', async () => {
    const rows: { password_hash: string }[] = await t.ds.query('SELECT password_hash FROM users WHERE email = $1', [
      ADMIN_EMAIL,
    ]);
    expect(rows[0].password_hash).toMatch(/^\$argon2/);
    expect(rows[0].password_hash).not.toContain(ADMIN_PASSWORD);
  });

  it('a wrong password for the bootstrap admin is refused', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_EMAIL, password: 'not the bootstrap password' });
    expectProblem(res, 401, 'unauthorized');
  });
});
