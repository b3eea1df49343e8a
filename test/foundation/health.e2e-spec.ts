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

  it('/health/live and /health/ready answer 200 too, without auth or prefix (a real outage is in test/faults)', async () => {
    const live = await t.http().get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({
      status: 'ok',
      uptimeSeconds: expect.any(Number),
      unhandledRejections: expect.any(Number),
    });
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', db: 'up', pool: 'ok' });
    expect((await t.http().get('/api/v1/health/ready')).status).toBe(404);
  });
});
