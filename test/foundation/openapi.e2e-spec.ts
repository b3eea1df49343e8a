import { startTestApp, TestApp } from '../support/test-app';

/** Contract "General": every endpoint appears in the OpenAPI document at /api/docs-json. */
describe('OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is served at /api/docs-json and lists every foundation endpoint', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/json/);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const has = (path: string, method: string) =>
      `${method.toUpperCase()} ${path}: ${paths[path]?.[method] ? 'present' : 'missing'}`;
    const expected: [string, string][] = [
      ['/health', 'get'],
      ['/api/v1/auth/login', 'post'],
      ['/api/v1/users', 'post'],
      ['/api/v1/supporters', 'post'],
      ['/api/v1/supporters', 'get'],
      ['/api/v1/supporters/{id}', 'get'],
      ['/api/v1/supporters/{id}', 'patch'],
      ['/api/v1/supporters/{id}/availability', 'put'],
      ['/api/v1/supporters/{id}/time-off', 'post'],
      ['/api/v1/supporters/{id}/time-off/{timeOffId}', 'delete'],
      ['/api/v1/supporters/{id}/slots', 'get'],
      ['/api/v1/policies', 'get'],
      ['/api/v1/policies', 'put'],
    ];
    expect(expected.map(([p, m]) => has(p, m))).toEqual(expected.map(([p, m]) => `${m.toUpperCase()} ${p}: present`));
  });

  it('the browsable page is served at /api/docs', async () => {
    const res = await t.http().get('/api/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger/i);
  });

  it('successful API responses are JSON', async () => {
    const res = await t.http().get('/health');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});
