/**
 * Issue 16: every hostile or broken request gets a clear 4xx problem document
 * and changes nothing. One regression test per finding (consent, the seven
 * former 500s, non-JSON bodies, workplaces, headers). Requests without a
 * token come from their own made-up addresses (the API trusts X-Forwarded-For
 * from loopback), so no rate limit is met by accident.
 */
import { gzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { IntakeService } from '../../libs/intake/src';
import { PoliciesService } from '../../libs/policies/src';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, createSupporter, expectProblem } from '../support/factories';

let ipSeq = 0;
const freshIp = () => `198.18.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

let phoneSeq = 0;
const dramaPhone = () => `07700 900${String(500 + ++phoneSeq).padStart(3, '0')}`;

function intakeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service: 'counselling',
    caller: { name: 'Dr Hostile Example', phone: dramaPhone(), role: 'doctor' },
    risk: { immediateDanger: false },
    consent: { privacyNotice: true },
    ...overrides,
  };
}

function requestBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service: 'peer_support',
    caller: { name: 'Dr Web Example', phone: dramaPhone(), role: 'doctor' },
    risk: { immediateDanger: false },
    consent: { privacyNotice: true },
    ...overrides,
  };
}

/** A 400 validation_failed whose errors name exactly these fields. */
function expectFields(res: Response, fields: string[]): void {
  expectProblem(res, 400, 'validation_failed');
  expect([...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort()).toEqual([...fields].sort());
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('hostile input (issue 16)', () => {
  let t: TestApp;
  let admin: string;
  let intake: string;
  let supporterId: string;
  let supporterToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
    intake = (await t.signIn('intake')).token;
    supporterId = (
      await createSupporter(t, admin, { kind: 'peer', workplaces: ['Northgate NHS Trust'], phone: '07700 900001' })
    ).id;
    supporterToken = (await t.signIn('supporter', supporterId)).token;
  });
  afterAll(async () => {
    await t.close();
  });

  /** The server's address (listening once, as supertest would). */
  async function port(): Promise<number> {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** Sends these exact bytes (supertest would re-encode a Buffer with a JSON type as JSON). */
  async function raw(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): Promise<{ status: number; headers: Record<string, unknown>; text: string; body: any }> {
    const p = await port();
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: p,
          method,
          path,
          headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers,
        },
        (r) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (c) => (text += c));
          r.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            resolve({ status: r.statusCode!, headers: r.headers, text, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  const asResponse = (r: Awaited<ReturnType<typeof raw>>) => r as unknown as Response;

  const count = async (table: string): Promise<number> =>
    (await t.ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const supporterRow = async () => (await t.http().get(`/api/v1/supporters/${supporterId}`).set(bearer(admin))).body;

  describe('3. consent is a literal true inside {"privacyNotice"}', () => {
    const notConsent: [string, unknown][] = [
      ['[]', []],
      ['"yes"', 'yes'],
      ['1', 1],
      ['{}', {}],
      ["true (not the contract's shape)", true],
      ['[{"privacyNotice":true}]', [{ privacyNotice: true }]],
      ['{"privacyNotice":"true"}', { privacyNotice: 'true' }],
      ['{"privacyNotice":1}', { privacyNotice: 1 }],
      ['{"privacyNotice":[]}', { privacyNotice: [] }],
      ['null', null],
    ];

    it.each(notConsent)(
      'POST /intakes with consent %s → 400 naming consent, nothing stored',
      async (_label, consent) => {
        const before = await count('intakes');
        const res = await t.http().post('/api/v1/intakes').set(bearer(intake)).send(intakeBody({ consent }));
        expectProblem(res, 400, 'validation_failed');
        expect(
          (res.body.errors as { field: string }[]).every(
            (e) => e.field === 'consent' || e.field === 'consent.privacyNotice',
          ),
        ).toBe(true);
        expect(await count('intakes')).toBe(before);
      },
    );

    it.each(notConsent)(
      'POST /requests with consent %s → 400 naming consent, nothing stored',
      async (_label, consent) => {
        const before = await count('intakes');
        const res = await t
          .http()
          .post('/api/v1/requests')
          .set('X-Forwarded-For', freshIp())
          .send(requestBody({ consent }));
        expectProblem(res, 400, 'validation_failed');
        expect(
          (res.body.errors as { field: string }[]).every(
            (e) => e.field === 'consent' || e.field === 'consent.privacyNotice',
          ),
        ).toBe(true);
        expect(await count('intakes')).toBe(before);
      },
    );

    it('{"privacyNotice":true} is consent on both routes', async () => {
      expect((await t.http().post('/api/v1/intakes').set(bearer(intake)).send(intakeBody())).status).toBe(201);
      expect(
        (await t.http().post('/api/v1/requests').set('X-Forwarded-For', freshIp()).send(requestBody())).status,
      ).toBe(201);
    });
  });

  describe('4a. charset and content encoding are refused before sign-in', () => {
    it('application/json; charset=iso-8859-1 → 415 unsupported_media_type (login, and a signed-in route without a token)', async () => {
      const login = await raw(
        'POST',
        '/api/v1/auth/login',
        { 'X-Forwarded-For': freshIp(), 'Content-Type': 'application/json; charset=iso-8859-1' },
        Buffer.from('{"email":"caf\xe9@example.org","password":"x"}', 'latin1'),
      );
      expectProblem(asResponse(login), 415, 'unsupported_media_type');
      const patch = await raw(
        'PATCH',
        `/api/v1/supporters/${supporterId}`,
        { 'Content-Type': 'application/json; charset=iso-8859-1' },
        Buffer.from('{"displayName":"Dr A"}', 'latin1'),
      );
      expectProblem(asResponse(patch), 415, 'unsupported_media_type');
    });

    it('charset=utf-8 (any case, quoted) is JSON as usual', async () => {
      const res = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(admin))
        .set('Content-Type', 'application/json; charset="UTF-8"')
        .send('{"specialty":"Psychiatry"}');
      expect(res.status).toBe(200);
      expect(res.body.specialty).toBe('Psychiatry');
    });

    it('Content-Encoding: gzip with a body that is not gzip → 400, and the process carries on', async () => {
      for (const [method, path] of [
        ['POST', '/api/v1/auth/login'],
        ['PATCH', `/api/v1/supporters/${supporterId}`],
      ]) {
        const res = await raw(
          method,
          path,
          { 'X-Forwarded-For': freshIp(), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
          Buffer.from('{"email":"a@b.c","password":"x"}'),
        );
        expectProblem(asResponse(res), 400, 'validation_failed');
      }
      expect((await t.http().get('/health')).status).toBe(200);
    });

    it('a real gzip body is read; an encoding we cannot undo → 415', async () => {
      const ok = await raw(
        'PATCH',
        `/api/v1/supporters/${supporterId}`,
        { ...bearer(admin), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        gzipSync(Buffer.from('{"specialty":"General practice"}')),
      );
      expect(ok.status).toBe(200);
      expect(ok.body.specialty).toBe('General practice');
      const res = await raw(
        'PATCH',
        `/api/v1/supporters/${supporterId}`,
        { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' },
        Buffer.from('{"displayName":"x"}'),
      );
      expectProblem(asResponse(res), 415, 'unsupported_media_type');
    });
  });

  describe('4b. nesting is capped at 32 levels before any validator runs', () => {
    it('JSON nested 5,000 deep → 400 on the unauthenticated login', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', freshIp())
        .set('Content-Type', 'application/json')
        .send(`{"email":${nested(5000)},"password":"x"}`);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([
        { field: 'email[0]'.concat('[0]'.repeat(30)), message: 'nests deeper than 32 levels' },
      ]);
    });

    it('the limit edge: 32 levels is judged by the validators, 33 by the cap', async () => {
      const at = await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', freshIp())
        .set('Content-Type', 'application/json')
        .send(`{"email":${nested(31)},"password":"x"}`);
      expectFields(at, ['email']);
      expect(at.body.errors[0].message).not.toContain('nests');
      const over = await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', freshIp())
        .set('Content-Type', 'application/json')
        .send(`{"email":${nested(32)},"password":"x"}`);
      expectProblem(over, 400, 'validation_failed');
      expect(over.body.errors[0].message).toBe('nests deeper than 32 levels');
    });
  });

  describe('4c. control characters in text → 400 naming the field', () => {
    it.each([
      ['NUL', 'Dr \u0000 Null'],
      ['ESC', 'Dr \u001b[31m Red'],
      ['DEL', 'Dr \u007f'],
      ['C1 (NEL)', 'Dr \u0085'],
      ['a line feed in a one-line field', 'Dr Two\nLines'],
      ['a tab in a one-line field', 'Dr\tTab'],
    ])("%s in a supporter's displayName → 400, unchanged", async (_label, displayName) => {
      const before = await supporterRow();
      const res = await t.http().patch(`/api/v1/supporters/${supporterId}`).set(bearer(admin)).send({ displayName });
      expectFields(res, ['displayName']);
      expect(await supporterRow()).toEqual(before);
    });

    it('NUL in a nested intake field, an array item and a query string', async () => {
      const nestedName = await t
        .http()
        .post('/api/v1/intakes')
        .set(bearer(intake))
        .send(intakeBody({ caller: { name: 'A\u0000', phone: dramaPhone(), role: 'doctor' } }));
      expectFields(nestedName, ['caller.name']);
      const item = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(admin))
        .send({ languages: ['en', 'f\u0000'] });
      expectFields(item, ['languages[1]']);
      const query = await t.http().get('/api/v1/callers?phone=07700%00900123').set(bearer(intake));
      expectFields(query, ['phone']);
    });

    it('free text keeps its line breaks and tabs (and still refuses NUL)', async () => {
      const ok = await t
        .http()
        .post('/api/v1/requests')
        .set('X-Forwarded-For', freshIp())
        .send(requestBody({ message: 'Line one\r\nLine two\tindented', preferredTimes: 'Mondays\nor Tuesdays' }));
      expect(ok.status).toBe(201);
      const [row] = await t.ds.query('SELECT message FROM intakes WHERE reference = $1', [ok.body.reference]);
      expect(row.message).toBe('Line one\r\nLine two\tindented');
      const nul = await t
        .http()
        .post('/api/v1/requests')
        .set('X-Forwarded-For', freshIp())
        .send(requestBody({ message: 'a\u0000b' }));
      expectFields(nul, ['message']);
    });

    it('a control character in a field name is refused without being echoed', async () => {
      const res = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(admin))
        .send({ 'display\u0000Name': 'x' });
      expectProblem(res, 400, 'validation_failed');
      expect(res.text).not.toContain('display');
    });
  });

  describe('4d. lone surrogates → 400', () => {
    it('in an e-mail (login, intake) and in any other string', async () => {
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', freshIp())
        .set('Content-Type', 'application/json')
        .send('{"email":"\\ud800@example.org","password":"x"}');
      expectFields(login, ['email']);
      const intakeRes = await t
        .http()
        .post('/api/v1/intakes')
        .set(bearer(intake))
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify(intakeBody()).replace('"role":"doctor"', '"role":"doctor","email":"\\udc00x@example.org"'),
        );
      expectFields(intakeRes, ['caller.email']);
      const name = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(admin))
        .set('Content-Type', 'application/json')
        .send('{"displayName":"Dr \\ud83d"}');
      expectFields(name, ['displayName']);
    });

    it('a whole surrogate pair (an emoji) is fine', async () => {
      const res = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(admin))
        .send({ specialty: 'Paediatrics \u{1F476}' });
      expect(res.status).toBe(200);
      expect(res.body.specialty).toBe('Paediatrics \u{1F476}');
    });
  });

  describe('4e. null for a required field → 400; nullable fields stay nullable', () => {
    it.each([
      'displayName',
      'email',
      'kind',
      'timeZone',
      'maxActiveCases',
      'languages',
      'workplaces',
      'modalities',
      'active',
    ])('PATCH /supporters/:id {"%s": null} → 400, unchanged', async (field) => {
      const before = await supporterRow();
      const res = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(admin))
        .send({ [field]: null });
      expectFields(res, [field]);
      expect(await supporterRow()).toEqual(before);
    });

    it('PATCH phone, specialty or gender to null clears them', async () => {
      const res = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(admin))
        .send({ phone: null, specialty: null, gender: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ phone: null, specialty: null, gender: null }));
    });

    it('caller.timeZone: null (and other nulls in an intake) → 400, nothing stored', async () => {
      const before = await count('intakes');
      const tz = await t
        .http()
        .post('/api/v1/intakes')
        .set(bearer(intake))
        .send(intakeBody({ caller: { name: 'Dr N', phone: dramaPhone(), role: 'doctor', timeZone: null } }));
      expectFields(tz, ['caller.timeZone']);
      const gmc = await t
        .http()
        .post('/api/v1/intakes')
        .set(bearer(intake))
        .send(intakeBody({ gmcInvestigation: null, preferences: null }));
      expectFields(gmc, ['gmcInvestigation', 'preferences']);
      const web = await t
        .http()
        .post('/api/v1/requests')
        .set('X-Forwarded-For', freshIp())
        .send(requestBody({ caller: { name: 'Dr W', phone: dramaPhone(), role: 'doctor', timeZone: null } }));
      expectFields(web, ['caller.timeZone']);
      expect(await count('intakes')).toBe(before);
    });
  });

  describe('4f. an array where an object belongs → 400 naming the field', () => {
    it.each([['caller'], ['risk'], ['preferences']])(
      'POST /intakes {"%s": []} → 400, nothing stored',
      async (field) => {
        const before = await count('intakes');
        const res = await t
          .http()
          .post('/api/v1/intakes')
          .set(bearer(intake))
          .send(intakeBody({ [field]: [] }));
        expectFields(res, [field]);
        expect(await count('intakes')).toBe(before);
      },
    );

    it('POST /requests {"caller": [{…}]} → 400', async () => {
      const res = await t
        .http()
        .post('/api/v1/requests')
        .set('X-Forwarded-For', freshIp())
        .send(requestBody({ caller: [{ name: 'Dr A', phone: dramaPhone(), role: 'doctor' }] }));
      expectFields(res, ['caller']);
    });

    it('PUT /policies {"sociableHours": []} → 400, unchanged', async () => {
      const before = (await t.http().get('/api/v1/policies').set(bearer(admin))).body;
      const res = await t
        .http()
        .put('/api/v1/policies')
        .set(bearer(admin))
        .send({ ...before, sociableHours: [] });
      expectFields(res, ['sociableHours']);
      expect((await t.http().get('/api/v1/policies').set(bearer(admin))).body).toEqual(before);
    });
  });

  describe('4g. a self-referral whose reference is taken gets a new one', () => {
    it('the colliding reference is retried, the request is stored once under a fresh reference', async () => {
      const first = await t.http().post('/api/v1/requests').set('X-Forwarded-For', freshIp()).send(requestBody());
      expect(first.status).toBe(201);
      const service = t.app.get(IntakeService);
      const spy = jest.spyOn(service, 'newRequestReference').mockReturnValueOnce(first.body.reference);
      try {
        const before = await count('intakes');
        const second = await t.http().post('/api/v1/requests').set('X-Forwarded-For', freshIp()).send(requestBody());
        expect(second.status).toBe(201);
        expect(second.body.reference).toMatch(/^RQ-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/);
        expect(second.body.reference).not.toBe(first.body.reference);
        expect(spy).toHaveBeenCalledTimes(2);
        expect(await count('intakes')).toBe(before + 1);
        const rows = await t.ds.query('SELECT count(*)::int AS n FROM intakes WHERE reference = $1', [
          second.body.reference,
        ]);
        expect(rows[0].n).toBe(1);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('4h. a value PostgreSQL refuses, should one slip past the validators', () => {
    // Real errors from PostgreSQL, raised where a service would have met them: what the filter answers with them.
    it.each([
      ['22P02 (bad syntax for uuid)', "SELECT 'not-a-uuid'::uuid"],
      ['22003 (integer out of range)', 'SELECT 99999999999::int'],
      [
        '22001 (too long for its column)',
        "CREATE TEMP TABLE IF NOT EXISTS h16_short (v varchar(2)); INSERT INTO h16_short VALUES ('abc')",
      ],
      ['22021 (a NUL in text)', "SELECT convert_from('\\x00'::bytea, 'UTF8')"],
      ['23502 (a null in a NOT NULL column)', 'INSERT INTO policies (sociable_start) VALUES (NULL)'],
    ])('%s → 400 validation_failed, not 500', async (_label, sql) => {
      const policies = t.app.get(PoliciesService);
      const spy = jest.spyOn(policies, 'get').mockImplementationOnce(() => t.ds.query(sql));
      try {
        const res = await t.http().get('/api/v1/policies').set(bearer(admin));
        expectProblem(res, 400, 'validation_failed');
        expect(res.text).not.toMatch(/uuid|policies|sociable|UTF8/);
      } finally {
        spy.mockRestore();
      }
    });

    it.each([
      ['23514 (a CHECK)', 'UPDATE policies SET buffer_minutes = 999'],
      ['42P01 (a missing table)', 'SELECT * FROM no_such_table'],
    ])('other database errors stay 500: %s', async (_label, sql) => {
      const policies = t.app.get(PoliciesService);
      const spy = jest.spyOn(policies, 'get').mockImplementationOnce(() => t.ds.query(sql));
      try {
        expect((await t.http().get('/api/v1/policies').set(bearer(admin))).status).toBe(500);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('5. bodies that are not JSON → 415; bad UTF-8 → 400', () => {
    it.each([
      ['text/plain', '{"displayName":"Dr Plain"}'],
      ['application/xml', '<supporter><displayName>Dr Xml</displayName></supporter>'],
      ['application/x-www-form-urlencoded', 'displayName=Dr+Form'],
      [
        'multipart/form-data; boundary=XYZ',
        '--XYZ\r\nContent-Disposition: form-data; name="displayName"\r\n\r\nDr Multi\r\n--XYZ--\r\n',
      ],
      ['(none)', '{"displayName":"Dr None"}'],
    ])('PATCH /supporters/:id as %s → 415 unsupported_media_type, unchanged', async (type, body) => {
      const before = await supporterRow();
      const req = t.http().patch(`/api/v1/supporters/${supporterId}`).set(bearer(supporterToken));
      if (type !== '(none)') req.set('Content-Type', type);
      const res = await req.send(Buffer.from(body));
      expectProblem(res, 415, 'unsupported_media_type');
      expect(await supporterRow()).toEqual(before);
    });

    it('an action with no body needs no Content-Type', async () => {
      const res = await t.http().post('/api/v1/intakes').set(bearer(intake)).send(intakeBody());
      const closed = await t
        .http()
        .post(`/api/v1/intakes/${res.body.id}/close`)
        .set(bearer(intake))
        .set('Content-Type', 'text/plain');
      expect(closed.status).toBe(200);
    });

    it('invalid UTF-8 → 400, not a silent U+FFFD', async () => {
      const before = await supporterRow();
      const res = await raw(
        'PATCH',
        `/api/v1/supporters/${supporterId}`,
        { ...bearer(admin), 'Content-Type': 'application/json' },
        Buffer.concat([Buffer.from('{"displayName":"Dr '), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      );
      expectProblem(asResponse(res), 400, 'validation_failed');
      expect(res.body.detail).toContain('UTF-8');
      expect(await supporterRow()).toEqual(before);
    });
  });

  describe('6. workplaces are admin-only, like kind and maxActiveCases', () => {
    it('a supporter clearing its own workplaces → 403 forbidden, unchanged', async () => {
      const res = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(supporterToken))
        .send({ workplaces: [] });
      expectProblem(res, 403, 'forbidden');
      expect((await supporterRow()).workplaces).toEqual(['Northgate NHS Trust']);
    });

    it('a supporter still edits its other fields; an admin edits workplaces', async () => {
      const own = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(supporterToken))
        .send({ displayName: 'Dr Self Edited' });
      expect(own.status).toBe(200);
      const byAdmin = await t
        .http()
        .patch(`/api/v1/supporters/${supporterId}`)
        .set(bearer(admin))
        .send({ workplaces: ['Northgate NHS Trust', 'Southway Hospital'] });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.workplaces).toEqual(['Northgate NHS Trust', 'Southway Hospital']);
    });
  });

  describe('7. headers', () => {
    it('API answers (success, error, health, the OpenAPI JSON) carry X-Content-Type-Options: nosniff', async () => {
      for (const res of [
        await t.http().get('/api/v1/policies').set(bearer(admin)),
        await t.http().get('/api/v1/policies'),
        await t.http().get('/health'),
        await t.http().get('/api/docs-json'),
      ]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
    });

    it('the Swagger page has its own strict CSP: no inline or foreign script, no framing', async () => {
      const page = await t.http().get('/api/docs');
      expect(page.status).toBe(200);
      const csp = page.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      // the page itself must still work under it: its scripts are files of its own, none inline
      const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, inline] of scripts) {
        expect(inline.trim()).toBe('');
        const src = /src="([^"]+)"/.exec(attrs)?.[1];
        expect(src).toBeDefined();
        expect(src).not.toMatch(/^(https?:)?\/\//);
        const js = await t.http().get(new URL(src!, 'http://x/api/docs/').pathname);
        expect(js.status).toBe(200);
      }
    });

    it('no Strict-Transport-Security over http', async () => {
      expect((await t.http().get('/health')).headers['strict-transport-security']).toBeUndefined();
    });

    it('Strict-Transport-Security when PUBLIC_URL is https', async () => {
      const secure = await startTestApp({ PUBLIC_URL: 'https://support.example.org' });
      try {
        const res = await secure.http().get('/api/v1/policies');
        expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
      } finally {
        await secure.close();
      }
    });

    it('a 100 KB query string → 431 headers_too_large as a problem document (not an empty 431)', async () => {
      for (const [path, headers] of [
        [`/api/v1/callers?phone=${'1'.repeat(100_000)}`, {}],
        ['/api/v1/policies', { 'X-Big': 'x'.repeat(20_000) }],
      ] as [string, Record<string, string>][]) {
        const res = await raw('GET', path, headers);
        expectProblem(asResponse(res), 431, 'headers_too_large');
      }
      expect((await t.http().get('/health')).status).toBe(200);
    });
  });
});
