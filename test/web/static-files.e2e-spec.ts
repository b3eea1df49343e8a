import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app';
import { ensureWebBuilt } from './support/browser';

/** The console's files and pages beside the API, over HTTP (no browser). */
describe('web console files beside the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('serves the app shell and hashed assets with their headers', async () => {
    const shell = await t.http().get('/');
    expect(shell.status).toBe(200);
    expect(shell.headers['content-type']).toMatch(/text\/html/);
    expect(shell.headers['cache-control']).toBe('no-cache');
    expect(shell.headers['content-security-policy']).toContain("default-src 'self'");
    expect(shell.headers['x-frame-options']).toBe('DENY');

    const asset = readdirSync(join(__dirname, '..', '..', 'dist', 'web', 'assets')).find((f) => f.endsWith('.js'));
    expect(asset).toBeDefined();
    const js = await t.http().get(`/assets/${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['referrer-policy']).toBe('no-referrer');
  });

  it('client routes get the app shell; API paths never do, whatever the method', async () => {
    const page = await t.http().get('/manage/some-token-value');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    for (const path of ['/api/v1/no-such-thing', '/api/v1/assets/index.html', '/api/index.html']) {
      const res = await t.http().get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['content-security-policy']).toBeUndefined();
    }
    expect((await t.http().get('/health')).headers['content-type']).toMatch(/json/);
    expect((await t.http().get('/assets/no-such-file.js')).status).toBe(404);
  });

  it("API answers are never stored (personal data) and carry no ETag; the console's files can be revalidated", async () => {
    for (const path of ['/api/v1/policies', '/api/v1/no-such-thing', '/health']) {
      const res = await t.http().get(path);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.etag).toBeUndefined();
    }
    const shell = await t.http().get('/');
    expect(shell.headers['last-modified']).toBeDefined();
    expect((await t.http().get('/').set('If-Modified-Since', shell.headers['last-modified'])).status).toBe(304);
    const asset = readdirSync(join(__dirname, '..', '..', 'dist', 'web', 'assets')).find((f) => f.endsWith('.js'));
    const js = await t.http().get(`/assets/${asset}`);
    expect(js.headers.etag).toBeDefined();
    expect((await t.http().get(`/assets/${asset}`).set('If-None-Match', js.headers.etag)).status).toBe(304);
  });
});
