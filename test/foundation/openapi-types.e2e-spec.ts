import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const committed = join(root, 'apps', 'web', 'src', 'api', 'schema.d.ts');

/**
 * The console's API types (apps/web/src/api/schema.d.ts) are generated from
 * the OpenAPI document by `npm run openapi`. This regenerates them, with the
 * same script, from the document the app serves now, into a temporary file:
 * any difference means someone changed the API and forgot to regenerate.
 */
describe('apps/web/src/api/schema.d.ts', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'dsl-openapi-types-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is what `npm run openapi` generates from the running document', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const out = join(dir, 'schema.d.ts');
    await run(process.execPath, [join(root, 'apps', 'web', 'scripts', 'openapi.mjs')], {
      cwd: root,
      env: { ...process.env, OPENAPI_URL: `http://127.0.0.1:${port}/api/docs-json`, OPENAPI_OUT: out },
    });
    const fresh = readFileSync(out, 'utf8');
    const current = readFileSync(committed, 'utf8');
    if (fresh !== current) {
      const a = current.split('\n');
      const b = fresh.split('\n');
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      process.stdout.write(
        `schema.d.ts is out of date (first difference at line ${i + 1}):\n- ${a[i] ?? '(end)'}\n+ ${b[i] ?? '(end)'}\n` +
          'Start the API and run `npm run openapi`, then commit apps/web/src/api/schema.d.ts.\n',
      );
    }
    expect(fresh.length).toBeGreaterThan(1000);
    expect(fresh === current).toBe(true);
  });
});
