import { startTestApp, TestApp } from '../support/test-app';
import { auth, expectProblem, intakeBody, makeIntake, makeSupporter } from '../support/intake-factories';

type Role = 'admin' | 'intake' | 'supporter';

describe('Role matrix: intakes, matches and assignment', () => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;
  let supporterId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tokens.admin = (await t.signIn('admin')).token;
    tokens.intake = (await t.signIn('intake')).token;
    supporterId = (await makeSupporter(t, tokens.admin, { maxActiveCases: 50 })).id;
    tokens.supporter = (await t.signIn('supporter', supporterId)).token;
  });
  afterAll(async () => {
    await t.close();
  });

  /** Each endpoint on a fresh open intake, so an allowed call always finds a valid state. */
  const endpoints: {
    name: string;
    ok: number;
    call: (token: string | null, intakeId: string) => ReturnType<ReturnType<TestApp['http']>['get']>;
  }[] = [
    {
      name: 'POST /intakes',
      ok: 201,
      call: (tok, _id) => withAuth(t.http().post('/api/v1/intakes'), tok).send(intakeBody()),
    },
    { name: 'GET /intakes', ok: 200, call: (tok, _id) => withAuth(t.http().get('/api/v1/intakes'), tok) },
    { name: 'GET /intakes/:id', ok: 200, call: (tok, id) => withAuth(t.http().get(`/api/v1/intakes/${id}`), tok) },
    {
      name: 'GET /intakes/:id/matches',
      ok: 200,
      call: (tok, id) => withAuth(t.http().get(`/api/v1/intakes/${id}/matches`), tok),
    },
    {
      name: 'POST /intakes/:id/assign',
      ok: 200,
      call: (tok, id) => withAuth(t.http().post(`/api/v1/intakes/${id}/assign`), tok).send({ supporterId }),
    },
    {
      name: 'POST /intakes/:id/close',
      ok: 200,
      call: (tok, id) => withAuth(t.http().post(`/api/v1/intakes/${id}/close`), tok),
    },
    {
      name: 'POST /intakes/:id/withdraw',
      ok: 200,
      call: (tok, id) => withAuth(t.http().post(`/api/v1/intakes/${id}/withdraw`), tok),
    },
  ];

  function withAuth<T extends { set(h: Record<string, string>): T }>(req: T, token: string | null): T {
    return token ? req.set(auth(token)) : req;
  }

  const cases = endpoints.flatMap((e) => (['intake', 'admin'] as Role[]).map((role) => [e.name, role] as const));

  it.each(cases)('%s is allowed to %s', async (name, role) => {
    const e = endpoints.find((x) => x.name === name)!;
    const intake = await makeIntake(t, tokens.intake);
    const res = await e.call(tokens[role], intake.id);
    expect(res.status).toBe(e.ok);
  });

  it.each(endpoints.map((e) => [e.name]))('%s is 403 forbidden for a supporter, and changes nothing', async (name) => {
    const e = endpoints.find((x) => x.name === name)!;
    const intake = await makeIntake(t, tokens.intake);
    const before = await t.ds.query('SELECT count(*)::int AS n FROM intakes');
    const res = await e.call(tokens.supporter, intake.id);
    expectProblem(res, 403, 'forbidden');
    await expect(t.ds.query('SELECT status, supporter_id FROM intakes WHERE id = $1', [intake.id])).resolves.toEqual([
      { status: 'open', supporter_id: null },
    ]);
    await expect(t.ds.query('SELECT count(*)::int AS n FROM intakes')).resolves.toEqual(before);
  });

  it.each(endpoints.map((e) => [e.name]))('%s is 401 without a token', async (name) => {
    const e = endpoints.find((x) => x.name === name)!;
    const intake = await makeIntake(t, tokens.intake);
    const res = await e.call(null, intake.id);
    expectProblem(res, 401, 'unauthorized');
    await expect(t.ds.query('SELECT status FROM intakes WHERE id = $1', [intake.id])).resolves.toEqual([
      { status: 'open' },
    ]);
  });

  it.each(endpoints.map((e) => [e.name]))('%s is 401 with a bad token', async (name) => {
    const e = endpoints.find((x) => x.name === name)!;
    const intake = await makeIntake(t, tokens.intake);
    const res = await e.call('not.a.token', intake.id);
    expectProblem(res, 401, 'unauthorized');
  });
});
