import { PASSWORD, startTestApp, TestApp } from '../support/test-app';
import {
  bearer,
  createSupporter,
  DEFAULT_POLICIES,
  expectProblem,
  supporterBody,
  uniqueEmail,
} from '../support/factories';

type Who = 'admin' | 'intake' | 'own' | 'other' | 'anonymous';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Ctx {
  /** The supporter every request is about; "own" is its user, "other" the user of another supporter. */
  supporterId: string;
  /** A fresh time off of that supporter (for DELETE). */
  newTimeOff(): Promise<string>;
}

interface Endpoint {
  name: string;
  method: Method;
  path(c: Ctx): Promise<string> | string;
  body?: () => object;
  query?: Record<string, string>;
  /** Expected status per caller; anything else is refused. */
  allowed: Partial<Record<Who, number>>;
}

const S = (c: Ctx) => `/api/v1/supporters/${c.supporterId}`;

const ENDPOINTS: Endpoint[] = [
  {
    name: 'POST /users',
    method: 'post',
    path: () => '/api/v1/users',
    body: () => ({ email: uniqueEmail('matrix'), password: PASSWORD, role: 'intake' }),
    allowed: { admin: 201 },
  },
  { name: 'GET /users', method: 'get', path: () => '/api/v1/users', allowed: { admin: 200 } },
  {
    name: 'POST /supporters',
    method: 'post',
    path: () => '/api/v1/supporters',
    body: () => supporterBody(),
    allowed: { admin: 201 },
  },
  { name: 'GET /supporters', method: 'get', path: () => '/api/v1/supporters', allowed: { admin: 200, intake: 200 } },
  { name: 'GET /supporters/:id', method: 'get', path: S, allowed: { admin: 200, own: 200 } },
  {
    name: 'PATCH /supporters/:id',
    method: 'patch',
    path: S,
    body: () => ({ displayName: 'Dr Matrix' }),
    allowed: { admin: 200, own: 200 },
  },
  {
    name: 'PUT /supporters/:id/availability',
    method: 'put',
    path: (c) => `${S(c)}/availability`,
    body: () => ({ weekly: [{ weekday: 7, start: '18:00', end: '20:00' }] }),
    allowed: { admin: 200, own: 200 },
  },
  {
    name: 'GET /supporters/:id/time-off',
    method: 'get',
    path: (c) => `${S(c)}/time-off`,
    allowed: { admin: 200, own: 200 },
  },
  {
    name: 'POST /supporters/:id/time-off',
    method: 'post',
    path: (c) => `${S(c)}/time-off`,
    body: () => ({ start: '2031-05-01T00:00:00Z', end: '2031-05-02T00:00:00Z', reason: 'matrix' }),
    allowed: { admin: 201, own: 201 },
  },
  {
    name: 'DELETE /supporters/:id/time-off/:timeOffId',
    method: 'delete',
    path: async (c) => `${S(c)}/time-off/${await c.newTimeOff()}`,
    allowed: { admin: 204, own: 204 },
  },
  {
    name: 'GET /supporters/:id/slots',
    method: 'get',
    path: (c) => `${S(c)}/slots`,
    allowed: { admin: 200, intake: 200, own: 200 },
  },
  {
    name: 'GET /policies',
    method: 'get',
    path: () => '/api/v1/policies',
    allowed: { admin: 200, intake: 200, own: 200, other: 200 },
  },
  {
    name: 'PUT /policies',
    method: 'put',
    path: () => '/api/v1/policies',
    body: () => DEFAULT_POLICIES,
    allowed: { admin: 200 },
  },
];

const WHO: Who[] = ['admin', 'intake', 'own', 'other', 'anonymous'];

function expected(e: Endpoint, who: Who): number {
  if (e.allowed[who] !== undefined) return e.allowed[who];
  return who === 'anonymous' ? 401 : 403;
}

const CASES = ENDPOINTS.flatMap((e) => WHO.map((who) => [e.name, who, expected(e, who), e] as const));

describe('role matrix: admin / intake / supporter (own) / supporter (other) / anonymous × endpoint', () => {
  let t: TestApp;
  const tokens: Partial<Record<Who, string>> = {};
  let ctx: Ctx;

  beforeAll(async () => {
    t = await startTestApp();
    tokens.admin = (await t.signIn('admin')).token;
    tokens.intake = (await t.signIn('intake')).token;
    const own = await createSupporter(t, tokens.admin, { kind: 'peer' });
    const other = await createSupporter(t, tokens.admin, { kind: 'peer' });
    tokens.own = (await t.signIn('supporter', own.id)).token;
    tokens.other = (await t.signIn('supporter', other.id)).token;
    ctx = {
      supporterId: own.id,
      newTimeOff: async () => {
        const res = await t
          .http()
          .post(`/api/v1/supporters/${own.id}/time-off`)
          .set(bearer(tokens.admin!))
          .send({ start: '2031-06-01T00:00:00Z', end: '2031-06-02T00:00:00Z' });
        if (res.status !== 201) throw new Error(`time off: ${res.status} ${res.text}`);
        return res.body.id as string;
      },
    };
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(CASES)('%s as %s → %i', async (_name, who, status, endpoint) => {
    const path = await endpoint.path(ctx);
    let req = t.http()[endpoint.method](path);
    if (who !== 'anonymous') req = req.set(bearer(tokens[who]!));
    if (endpoint.query) req = req.query(endpoint.query);
    const res = endpoint.body ? await req.send(endpoint.body()) : await req;
    if (status === 401) expectProblem(res, 401, 'unauthorized');
    else if (status === 403) expectProblem(res, 403, 'forbidden');
    else expect(res.status).toBe(status);
  });

  it('the matrix covers every endpoint for every kind of caller', () => {
    expect(CASES).toHaveLength(ENDPOINTS.length * WHO.length);
    // every endpoint refuses anonymous callers and at least one role
    for (const e of ENDPOINTS) expect(expected(e, 'anonymous')).toBe(401);
  });
});
