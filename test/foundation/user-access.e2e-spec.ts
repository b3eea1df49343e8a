import { PASSWORD, startTestApp, TestApp } from '../support/test-app';
import { bearer, expectProblem, expectValidation } from '../support/factories';

const USERS = '/api/v1/users';
const login = (t: TestApp, email: string) => t.http().post('/api/v1/auth/login').send({ email, password: PASSWORD });
const me = (t: TestApp, token: string) => t.http().get('/api/v1/intakes').set(bearer(token));

describe("Taking a user's access away: POST /users/:id/deactivate and /reactivate (admin)", () => {
  let t: TestApp;
  let admin: { token: string; userId: string; email: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.signIn('admin');
  });
  afterAll(async () => {
    await t.close();
  });

  it("a deactivated user's token is refused from the next request, and it cannot sign in; reactivated, it signs in again", async () => {
    const staff = await t.signIn('intake');
    expect((await me(t, staff.token)).status).toBe(200);

    const off = await t.http().post(`${USERS}/${staff.userId}/deactivate`).set(bearer(admin.token));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: staff.userId, email: staff.email, role: 'intake', active: false });

    expectProblem(await me(t, staff.token), 401, 'unauthorized');
    const refused = await login(t, staff.email);
    expectProblem(refused, 401, 'unauthorized');
    // nothing more than a wrong password would say
    const wrong = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: staff.email, password: 'not the password at all' });
    expect(refused.body.detail).toBe(wrong.body.detail);

    const list = await t.http().get(USERS).set(bearer(admin.token));
    expect(list.body.users.find((u: { id: string }) => u.id === staff.userId).active).toBe(false);

    const on = await t.http().post(`${USERS}/${staff.userId}/reactivate`).set(bearer(admin.token));
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    const again = await login(t, staff.email);
    expect(again.status).toBe(200);
    expect((await me(t, again.body.accessToken)).status).toBe(200);
  });

  it('deactivating twice changes nothing the second time', async () => {
    const staff = await t.signIn('intake');
    const first = await t.http().post(`${USERS}/${staff.userId}/deactivate`).set(bearer(admin.token));
    const second = await t.http().post(`${USERS}/${staff.userId}/deactivate`).set(bearer(admin.token));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.active).toBe(false);
    const [row] = await t.ds.query(`SELECT deactivated_at FROM users WHERE id = $1`, [staff.userId]);
    expect(row.deactivated_at).toBeInstanceOf(Date);
  });

  it('the last active admin cannot be deactivated (409 invalid_transition); with another admin, it can', async () => {
    // Only one active admin: every other is deactivated first.
    const others: { id: string }[] = await t.ds.query(
      `SELECT id FROM users WHERE role = 'admin' AND id <> $1 AND deactivated_at IS NULL`,
      [admin.userId],
    );
    for (const o of others)
      expect((await t.http().post(`${USERS}/${o.id}/deactivate`).set(bearer(admin.token))).status).toBe(200);
    const last = await t.http().post(`${USERS}/${admin.userId}/deactivate`).set(bearer(admin.token));
    expectProblem(last, 409, 'invalid_transition');
    expect((await me(t, admin.token)).status).toBe(200);

    const second = await t.signIn('admin');
    const res = await t.http().post(`${USERS}/${admin.userId}/deactivate`).set(bearer(second.token));
    expect(res.status).toBe(200);
    expectProblem(await me(t, admin.token), 401, 'unauthorized');
    await t.http().post(`${USERS}/${admin.userId}/reactivate`).set(bearer(second.token));
    admin = { ...admin, token: (await login(t, admin.email)).body.accessToken };
    expect((await me(t, admin.token)).status).toBe(200);
  });

  it('two admins deactivating each other at the same moment leave one of them active', async () => {
    await t.ds.query(`UPDATE users SET deactivated_at = now() WHERE role = 'admin' AND id <> $1`, [admin.userId]);
    const b = await t.signIn('admin');
    const [ab, ba] = await Promise.all([
      t.http().post(`${USERS}/${b.userId}/deactivate`).set(bearer(admin.token)),
      t.http().post(`${USERS}/${admin.userId}/deactivate`).set(bearer(b.token)),
    ]);
    // The loser is refused either by the last-admin rule (409) or, if the winner committed before its
    // request passed the guard, as no longer active (401); never are both admins deactivated.
    expect([ab.status, ba.status].filter((s) => s === 200)).toHaveLength(1);
    expect([ab.status, ba.status].filter((s) => s !== 200).every((s) => s === 409 || s === 401)).toBe(true);
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND deactivated_at IS NULL`,
    );
    expect(n).toBe(1);
    // whoever is left gives the other its access back
    const survivor = ab.status === 200 ? admin : b;
    const gone = ab.status === 200 ? b : admin;
    expect((await t.http().post(`${USERS}/${gone.userId}/reactivate`).set(bearer(survivor.token))).status).toBe(200);
  });

  it('only an admin: an intake user gets 403, and nothing changes', async () => {
    const staff = await t.signIn('intake');
    const target = await t.signIn('intake');
    expectProblem(
      await t.http().post(`${USERS}/${target.userId}/deactivate`).set(bearer(staff.token)),
      403,
      'forbidden',
    );
    expect((await me(t, target.token)).status).toBe(200);
  });

  it('an unknown id → 404; a malformed id → 400', async () => {
    expectProblem(
      await t.http().post(`${USERS}/6f1c1f7e-2c1b-4a8e-9a59-000000000000/deactivate`).set(bearer(admin.token)),
      404,
      'not_found',
    );
    expectValidation(await t.http().post(`${USERS}/not-a-uuid/reactivate`).set(bearer(admin.token)), ['id']);
  });
});
