import { startTestApp, TestApp } from '../support/test-app';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 200 with the database up, without auth or prefix', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up' });
  });

  it('answers 503 when the database is down', async () => {
    const query = jest.spyOn(t.ds, 'query').mockRejectedValueOnce(new Error('connection refused'));
    const res = await t.http().get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', db: 'down' });
    query.mockRestore();
  });
});
