/**
 * Schema-driven fuzzing (issue 16): every operation of /api/docs-json, with
 * every role's token and none, gets seeded random and hostile requests —
 * plausible bodies with a few fields broken (wrong types, nulls, huge or
 * control-character strings, arrays for objects, deep nesting, unknown or
 * missing fields), broken path and query parameters, and bodies in the
 * wrong media type, charset or encoding. No answer may be a 5xx, and every
 * error must be an RFC 9457 problem document with a code.
 *
 * FUZZ_SEED replays a run (the seed is printed); FUZZ_REQUESTS (10,000) and
 * FUZZ_SECONDS (120, a bound for slow machines) size it.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import { book, makeIntake, makeSupporter } from '../support/booking-factories';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 120);
const IN_FLIGHT = 8;

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  example?: unknown;
  allOf?: Schema[];
  nullable?: boolean;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}
interface Outcome {
  status: number;
  contentType: string;
  text: string;
}

describe('OpenAPI fuzz: no 5xx, every error a problem document', () => {
  let t: TestApp;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const tokens: Record<string, string | null> = { anonymous: null };
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.signIn('admin');
    const supporter = await makeSupporter(t, admin.token, { kind: 'counsellor' });
    const intakeUser = await t.signIn('intake');
    const intake = await makeIntake(t, intakeUser.token);
    const booking = await book(
      t,
      intakeUser.token,
      intake.id,
      supporter.id,
      DateTime.now().setZone('Europe/London').plus({ days: 3 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }),
    );
    const victim = await t.signIn('intake');
    tokens.admin = admin.token;
    tokens.intake = intakeUser.token;
    tokens.supporter = (await t.signIn('supporter', supporter.id)).token;
    // real ids, so that some requests get past the look-up; not the fuzzing users' own (deactivating them would end the run)
    ids.push(supporter.id, intake.id, intake.callerId, booking.id, victim.userId);
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent.destroy();
    await t.close();
  });

  function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              contentType: String(res.headers['content-type'] ?? ''),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it(
    `sends ${REQUESTS} seeded hostile requests across every operation and role`,
    async () => {
      console.log(`openapi fuzz: FUZZ_SEED=${SEED} (set it to replay this run)`);
      // each request draws from its own generator, so request i is the same whatever order answers arrive in
      let rnd = prng(SEED);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
      const chance = (p: number) => rnd() < p;
      const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

      const doc = JSON.parse((await send('GET', '/api/docs-json', {})).text);
      const schemas: Record<string, Schema> = doc.components.schemas;
      const deref = (s: Schema | undefined): Schema => {
        let cur = s ?? {};
        for (let i = 0; cur.$ref && i < 10; i++) cur = schemas[cur.$ref.split('/').pop()!];
        if (cur.allOf?.length) cur = cur.allOf.reduce<Schema>((acc, x) => ({ ...acc, ...deref(x) }), {});
        return cur;
      };
      const operations: Operation[] = [];
      for (const [path, methods] of Object.entries<
        Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>
      >(doc.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          operations.push({
            method: method.toUpperCase(),
            path,
            parameters: op.parameters ?? [],
            body: op.requestBody?.content?.['application/json']?.schema,
          });
        }
      }
      expect(operations.length).toBeGreaterThan(40);

      const future = () => DateTime.now().plus({ days: int(-30, 400), minutes: int(0, 1440) });
      const instant = () => (chance(0.5) ? future().toUTC().toISO() : future().setZone('Europe/London').toISO()!);
      const hostileStrings = [
        '',
        ' ',
        'a'.repeat(int(201, 5000)),
        'x'.repeat(70_000),
        '\u0000',
        'Dr \u0000 Null',
        '\ud800',
        '\udfff@example.org',
        'a\nb',
        'a\tb',
        '\u001b[31mred',
        '\u202eevil',
        '\u{1F600}',
        "'; DROP TABLE callers; --",
        '" OR 1=1 --',
        '../../etc/passwd',
        '%00',
        '<script>alert(1)</script>',
        '{{7*7}}',
        '${jndi:ldap://x}',
        'null',
        'true',
        '12345',
        '-1',
        '1e309',
        'NaN',
        'Infinity',
        '2027-02-30T25:61:00Z',
        '99:99',
        '24:00',
        '00:00',
        'Europe/Nowhere',
        'UTC',
        '+99999999999999999999',
        'ÄÖÜ ñ 中文 עברית',
        '\uFEFFbom',
        'a@b',
        'a@b.c',
        '__proto__',
        'constructor',
      ];
      const hostileValues = (): unknown =>
        pick<() => unknown>([
          () => null,
          () => [],
          () => ({}),
          () => pick(hostileStrings),
          () => int(-(2 ** 31), 2 ** 31),
          () => -1,
          () => 0,
          () => 1.5,
          () => 2 ** 53 + 1,
          () => 1e308,
          () => -0,
          () => true,
          () => false,
          () => [null],
          () => [[]],
          () => [{}],
          () => ({ a: 1 }),
          () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
          () => {
            let v: unknown = 'deep';
            for (let i = 0, n = int(10, 60); i < n; i++) v = chance(0.5) ? [v] : { a: v };
            return v;
          },
          () => Array.from({ length: int(50, 3000) }, () => 'en'),
          () => Array.from({ length: int(2, 20) }, hostileScalar),
        ])();
      const hostileScalar = (): unknown =>
        pick<unknown>([null, '', '\u0000', 'x'.repeat(300), -1, 0, 1.5, true, 'phone', 'peer', '08:00', 7, 8]);

      /** A plausible value for the schema (what a careful client would send), used as the base that mutations break. */
      const plausible = (s0: Schema | undefined, key: string, depth = 0): unknown => {
        const s = deref(s0);
        if (s.enum?.length) return pick(s.enum);
        if (depth > 6) return null;
        if (s.type === 'object' || s.properties) {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(s.properties ?? {})) {
            if ((s.required ?? []).includes(k) || chance(0.5)) out[k] = plausible(v, k, depth + 1);
          }
          return out;
        }
        if (s.type === 'array') {
          return Array.from({ length: int(0, 3) }, () => plausible(s.items, key, depth + 1));
        }
        if (s.type === 'integer' || s.type === 'number') {
          const lo = s.minimum ?? 0;
          const hi = s.maximum ?? Math.max(lo + 100, 100);
          return chance(0.8) ? int(lo, hi) : int(lo - 5, hi + 5);
        }
        if (s.type === 'boolean') return key === 'privacyNotice' ? true : chance(0.5);
        if (s.format === 'uuid' || /Id$/.test(key))
          return chance(0.7) ? pick(ids) : '00000000-0000-4000-8000-000000000000';
        if (/email/i.test(key)) return `fuzz-${int(1, 1e6)}@example.org`;
        if (/phone/i.test(key)) return `07700 900${String(int(0, 999)).padStart(3, '0')}`;
        if (/^(start|end|from|to)$/.test(key))
          return chance(0.5) ? instant() : `${String(int(0, 23)).padStart(2, '0')}:${pick(['00', '30'])}`;
        if (/timeZone/.test(key)) return pick(['Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC']);
        if (/password/i.test(key)) return 'fuzz password 123456';
        if (typeof s.example === 'string') return s.example;
        return pick(['Dr Fuzz', 'Some text', 'en', 'phone', 'a']);
      };

      /** Breaks one to three places of a plausible body: a value, a missing required field, an unknown one. */
      const mutate = (body: unknown): unknown => {
        if (chance(0.08)) return hostileValues();
        for (let n = int(1, 3); n > 0; n--) {
          const holders: { obj: Record<string, unknown> | unknown[]; key: string | number }[] = [];
          const collect = (v: unknown) => {
            if (Array.isArray(v))
              v.forEach((x, i) => {
                holders.push({ obj: v, key: i });
                collect(x);
              });
            else if (v && typeof v === 'object')
              Object.entries(v).forEach(([k, x]) => {
                holders.push({ obj: v as Record<string, unknown>, key: k });
                collect(x);
              });
          };
          collect(body);
          if (!holders.length || chance(0.1)) {
            if (body && typeof body === 'object' && !Array.isArray(body))
              (body as Record<string, unknown>)[pick(['x', 'isAdmin', 'role', '__proto__', 'id'])] = hostileValues();
            continue;
          }
          const h = pick(holders);
          if (chance(0.15) && !Array.isArray(h.obj)) delete h.obj[h.key];
          else (h.obj as Record<string | number, unknown>)[h.key] = hostileValues();
        }
        return body;
      };

      const pathValue = (name: string): string =>
        pick<() => string>([
          () => pick(ids),
          () => pick(ids),
          () => '00000000-0000-4000-8000-000000000000',
          () => 'not-a-uuid',
          () => '%00',
          () => '%ff%fe',
          () => '..%2F..%2Fetc',
          () => 'a'.repeat(int(100, 4000)),
          () => "1'%20OR%20'1'%3D'1",
          () => encodeURIComponent('\ud83d\ude00'),
          () => (name === 'token' ? 'A'.repeat(43) : pick(ids).toUpperCase()),
        ])();
      const queryValue = (p: Parameter): string =>
        chance(0.6)
          ? encodeURIComponent(String(plausible(p.schema, p.name)))
          : pick([
              '%00',
              '%ff',
              'a%0Ab',
              '%ED%A0%80',
              'x'.repeat(int(100, 3000)),
              '-1',
              '0',
              '99999999999999999999',
              '1.5',
              'null',
              '',
              encodeURIComponent(instant()),
              '2027-13-45',
              `${encodeURIComponent(pick(ids))}&${p.name}=${encodeURIComponent(pick(ids))}`,
              '%E2%80%AE',
            ]);

      const failures = new Map<string, string>();
      const statuses = new Map<number, number>();
      const reached = new Set<string>();
      let sent = 0;
      const deadline = Date.now() + SECONDS * 1000;

      const one = async (i: number): Promise<void> => {
        rnd = prng(Math.imul(SEED ^ 0x9e3779b9, 0x85ebca6b) + i);
        const op = operations[i % operations.length];
        const role = pick(Object.keys(tokens));
        let method = op.method;
        if (chance(0.03)) method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
        const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => pathValue(name));
        const query = op.parameters
          .filter((p) => p.in === 'query' && (p.required || chance(0.5)))
          .map((p) => `${p.name}=${queryValue(p)}`);
        if (chance(0.05)) query.push(`${pick(['unknown', 'phone', 'limit', '__proto__'])}=${pick(['1', '%00', 'x'])}`);
        const headers: Record<string, string> = {
          // every request from its own address, so rate limits do not end the exploration early
          'X-Forwarded-For': `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
        };
        if (tokens[role]) headers.Authorization = `Bearer ${tokens[role]}`;
        if (chance(0.05)) {
          // tampered or odd credentials and headers: they must be refused (401) or ignored, never crash
          const token = tokens.admin!;
          const [h, p] = token.split('.');
          headers[
            pick(['Authorization', 'X-Forwarded-For', 'X-Request-Id', 'Accept', 'Accept-Encoding', 'Idempotency-Key'])
          ] = pick([
            `Bearer ${h}.${p}.`,
            `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`,
            `Bearer ${token}x`,
            `Bearer ${token.slice(0, -3)}`,
            'Bearer',
            'Bearer ',
            `Basic ${Buffer.from('admin:admin').toString('base64')}`,
            'x'.repeat(int(1, 8000)),
            'not-an-ip, 999.1.1.1, ::ffff:zz',
            '10.0.0.1, 10.0.0.2, 10.0.0.3',
            '*/*;q=x',
            'gzip;q=1e309',
            '%00',
            '\u00ff\u00fe',
          ]);
        }
        if (op.parameters.some((p) => p.in === 'header') && chance(0.5))
          headers['Idempotency-Key'] = pick(['k-' + int(1, 50), 'x'.repeat(int(1, 400)), '']);
        let body: Buffer | undefined;
        if (op.body || chance(0.1)) {
          // a quarter plausible as they are (to get past validation into the services), most broken somewhere
          const value = !op.body
            ? hostileValues()
            : chance(0.25)
              ? plausible(op.body, '')
              : chance(0.93)
                ? mutate(plausible(op.body, ''))
                : hostileValues();
          let bytes = Buffer.from(JSON.stringify(value) ?? 'null');
          headers['Content-Type'] = 'application/json';
          if (chance(0.12)) {
            const transport = pick([
              'text',
              'form',
              'xml',
              'multipart',
              'latin1',
              'utf16',
              'gzip-junk',
              'gzip',
              'bad-utf8',
              'deep',
              'truncated',
              'empty',
              'no-type',
              'br-junk',
            ]);
            if (transport === 'text') headers['Content-Type'] = 'text/plain';
            if (transport === 'form') {
              headers['Content-Type'] = 'application/x-www-form-urlencoded';
              bytes = Buffer.from('a=1&b=2');
            }
            if (transport === 'xml') {
              headers['Content-Type'] = 'application/xml';
              bytes = Buffer.from('<a><b>1</b></a>');
            }
            if (transport === 'multipart') {
              headers['Content-Type'] = 'multipart/form-data; boundary=Z';
              bytes = Buffer.from('--Z\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--Z--\r\n');
            }
            if (transport === 'latin1') headers['Content-Type'] = 'application/json; charset=iso-8859-1';
            if (transport === 'utf16') {
              headers['Content-Type'] = 'application/json; charset=utf-16';
              bytes = Buffer.from(bytes.toString(), 'utf16le');
            }
            if (transport === 'gzip-junk') headers['Content-Encoding'] = 'gzip';
            if (transport === 'br-junk') headers['Content-Encoding'] = 'br';
            if (transport === 'gzip') {
              headers['Content-Encoding'] = 'gzip';
              bytes = gzipSync(bytes);
            }
            if (transport === 'bad-utf8')
              bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
            if (transport === 'deep') bytes = Buffer.from('['.repeat(5000) + ']'.repeat(5000));
            if (transport === 'truncated') bytes = bytes.subarray(0, Math.max(1, bytes.length - 2));
            if (transport === 'empty') bytes = Buffer.alloc(0);
            if (transport === 'no-type') delete headers['Content-Type'];
          }
          body = bytes;
        }
        const url = `${path}${query.length ? `?${query.join('&')}` : ''}`;
        let res: Outcome;
        try {
          res = await send(method, url, headers, body);
        } catch (err) {
          failures.set(
            `${method} ${op.path} transport error`,
            `${(err as Error).message} (role ${role}, ${url.slice(0, 120)})`,
          );
          return;
        }
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status < 300) reached.add(`${op.method} ${op.path}`);
        const key = `${method} ${op.path} → ${res.status}`;
        if (res.status >= 500) {
          failures.set(
            key,
            `role ${role}; ${url.slice(0, 160)}; body ${body?.toString('utf8').slice(0, 300)}; answer ${res.text.slice(0, 200)}`,
          );
        } else if (res.status >= 400) {
          let problem: { code?: unknown; status?: unknown } | undefined;
          try {
            problem = JSON.parse(res.text);
          } catch {
            problem = undefined;
          }
          // a HEAD answer has the headers of the GET answer and no body
          const bodyOk =
            method === 'HEAD' ? res.text === '' : typeof problem?.code === 'string' && problem.status === res.status;
          if (!/^application\/problem\+json/.test(res.contentType) || !bodyOk) {
            failures.set(
              `${key} not a problem document`,
              `role ${role}; ${url.slice(0, 160)}; ${res.contentType}; ${res.text.slice(0, 200)}`,
            );
          }
        }
      };

      let next = 0;
      const worker = async () => {
        while (next < REQUESTS && Date.now() < deadline) await one(next++);
      };
      const started = Date.now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      console.log(
        `openapi fuzz: ${sent} requests over ${operations.length} operations × ${Object.keys(tokens).length} roles in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED}); answers ${[
          ...statuses,
        ]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}; ${reached.size} operations answered 2xx at least once`,
      );
      expect([...failures].map(([k, v]) => `${k}: ${v}`)).toEqual([]);
      // the bound is for slow machines; a run that stops far short explored too little to mean much
      expect(sent).toBeGreaterThanOrEqual(Math.min(REQUESTS, 2000));
      // and the service still answers
      expect((await send('GET', '/health', {})).status).toBe(200);
    },
    (SECONDS + 60) * 1000,
  );
});
