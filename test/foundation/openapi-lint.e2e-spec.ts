import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ERROR_STATUS } from '../../libs/common/src';
import { startTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
// The pinned devDependency, never a download: the lint must work offline.
const REDOCLY = join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

interface OpenApiOperation {
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  [key: string]: unknown;
}
interface OpenApiDoc {
  security?: unknown[];
  servers?: unknown[];
  paths: Record<string, Partial<Record<string, OpenApiOperation>>>;
  components: { schemas: Record<string, unknown> };
}

function operations(doc: OpenApiDoc): [string, string, OpenApiOperation][] {
  const out: [string, string, OpenApiOperation][] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) if (op) out.push([path, method, op]);
  }
  return out;
}

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

/**
 * Issue 16 item 8: the served OpenAPI document lints clean with Redocly's
 * recommended ruleset (redocly.yaml), so generated clients and the console's
 * types (schema.d.ts) can trust it.
 */
describe('OpenAPI document lint (redocly, recommended)', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'dsl-openapi-lint-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has 0 errors and fewer than 5 warnings', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(res.body, null, 2));
    const problems = await lint(file);
    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems.filter((p) => p.severity === 'warn');
    if (problems.length > 0) {
      // printed so a failing run says what to fix, not only how many
      process.stdout.write(
        `${problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`).join('\n')}\n`,
      );
    }
    expect(errors.map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`)).toEqual([]);
    expect(warnings.length).toBeLessThan(5);
  });

  it('declares who needs a token: bearer by default, `security: []` exactly on the public operations', async () => {
    const doc = (await t.http().get('/api/docs-json')).body as OpenApiDoc;
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.servers?.length).toBeGreaterThan(0);
    const open = operations(doc)
      .filter(([, , op]) => Array.isArray(op.security) && op.security.length === 0)
      .map(([p, m]) => `${m.toUpperCase()} ${p}`);
    expect(open.sort()).toEqual(
      [
        'GET /health',
        'GET /health/live',
        'GET /health/ready',
        'GET /api/v1/contact',
        'POST /api/v1/auth/login',
        'POST /api/v1/requests',
        'GET /api/v1/manage/{token}',
        'POST /api/v1/manage/{token}/cancel',
        'GET /api/v1/feedback/{token}',
        'POST /api/v1/feedback/{token}',
        'GET /calendar/{file}',
      ].sort(),
    );
    // what the document says is what the guard does
    for (const path of ['/api/v1/supporters', '/api/v1/policies', '/api/v1/intakes']) {
      expect((await t.http().get(path)).status).toBe(401);
    }
    expect(operations(doc).some(([, , op]) => 'x-public' in op)).toBe(false);
  });

  it('documents every 4xx as a problem document whose codes are the filter’s own', async () => {
    const doc = (await t.http().get('/api/docs-json')).body as OpenApiDoc;
    const problem = doc.components.schemas.ProblemDocument as { required: string[] };
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']));
    expect((doc.components.schemas.ProblemCode as { enum: string[] }).enum.sort()).toEqual(
      Object.keys(ERROR_STATUS).sort(),
    );
    const bad: string[] = [];
    for (const [path, method, op] of operations(doc)) {
      const statuses = Object.keys(op.responses).filter((s) => /^4/.test(s));
      if (statuses.length === 0) bad.push(`${method} ${path}: no 4xx`);
      for (const s of statuses) {
        const schema = op.responses[s].content?.['application/problem+json']?.schema;
        if (schema?.$ref !== '#/components/schemas/ProblemDocument')
          bad.push(`${method} ${path} ${s}: not a problem document`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('publishes wall-clock patterns that are regular expressions accepting the times the API accepts', async () => {
    const doc = (await t.http().get('/api/docs-json')).body as OpenApiDoc;
    const props = (doc.components.schemas.SociableHoursDto as { properties: Record<string, { pattern: string }> })
      .properties;
    const start = new RegExp(props.start.pattern);
    const end = new RegExp(props.end.pattern);
    expect(['00:00', '08:00', '23:59'].filter((v) => !start.test(v))).toEqual([]);
    expect(['24:00', '7:00', '12:60', 'HH:mm'].filter((v) => start.test(v))).toEqual([]);
    expect(end.test('24:00')).toBe(true);
    expect(end.test('24:01')).toBe(false);
  });

  it('the /matches answer has a schema', async () => {
    const doc = (await t.http().get('/api/docs-json')).body as OpenApiDoc;
    const ok = doc.paths['/api/v1/intakes/{id}/matches'].get!.responses['200'];
    expect(ok.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/MatchesResponse');
    expect(doc.paths['/api/v1/callers'].get!.responses['200'].content?.['application/json']?.schema?.$ref).toBe(
      '#/components/schemas/CallerLookupResponse',
    );
  });

  it('GET /health answers its documented 400 with a problem document (a body that is not JSON)', async () => {
    const res = await t.http().get('/health').set('content-type', 'application/json').send('{not json');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
  });
});

/** Runs `redocly lint` with the repository's redocly.yaml and returns its problems (JSON format). */
async function lint(file: string): Promise<LintProblem[]> {
  const env = {
    ...process.env,
    // no network at run time: no usage data, no update check
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
    NO_COLOR: '1',
  };
  const args = [
    REDOCLY,
    'lint',
    file,
    '--config',
    join(root, 'redocly.yaml'),
    '--format',
    'json',
    '--max-problems',
    '1000',
  ];
  // exit code 1 means "problems found": the JSON on stdout is what counts
  const out = await run(process.execPath, args, { cwd: root, env, maxBuffer: 16 * 1024 * 1024 }).catch(
    (err: { stdout?: string; stderr?: string; code?: number }) => {
      if (err.code === 1 && err.stdout) return { stdout: err.stdout, stderr: err.stderr ?? '' };
      throw new Error(`redocly lint failed to run (exit ${err.code}): ${err.stderr ?? ''}`);
    },
  );
  const report = JSON.parse(out.stdout) as { problems: LintProblem[] };
  return report.problems;
}
