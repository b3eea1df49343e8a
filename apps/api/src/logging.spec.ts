import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { AppLogger, createRootLogger, RequestContext } from '@app/common';
import { requestLogger, safeUrl } from './logging';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, root: createRootLogger({ level, service: 'api', stream }) };
}

function fakeExchange(url: string, headers: Record<string, string> = {}) {
  const req = { method: 'GET', url, headers } as unknown as IncomingMessage & { id?: string };
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    writableFinished: false,
  }) as unknown as ServerResponse & EventEmitter;
  const finish = (status: number) => {
    (res as { statusCode: number }).statusCode = status;
    (res as { writableFinished: boolean }).writableFinished = true;
    res.emit('finish');
    res.emit('close');
  };
  return { req, res, finish };
}

describe('request log lines', () => {
  it('one line per response: method, masked path without query, status, time, request id; nothing else of the request', () => {
    const { lines, root } = capture();
    const { req, res, finish } = fakeExchange('/api/v1/manage/abcdefSECRET?phone=07700900123', {
      'x-request-id': 'req-12345678',
      authorization: 'Bearer xyz.abc.def',
    });
    let called = 0;
    requestLogger(root)(req, res, () => called++);
    expect(called).toBe(1);
    expect(req.id).toBe('req-12345678');
    finish(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      service: 'api',
      msg: 'GET /api/v1/manage/:token 200',
      req: { id: 'req-12345678', method: 'GET', url: '/api/v1/manage/:token' },
      res: { statusCode: 200 },
    });
    expect(typeof lines[0].responseTime).toBe('number');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('07700900123');
    expect(text).not.toContain('xyz.abc');
  });

  it('5xx at error level, aborted responses at warn, /health not at all, nothing below the level', () => {
    const { lines, root } = capture();
    const a = fakeExchange('/api/v1/bookings');
    requestLogger(root)(a.req, a.res, () => undefined);
    a.finish(503);
    const b = fakeExchange('/api/v1/bookings');
    requestLogger(root)(b.req, b.res, () => undefined);
    b.res.emit('close'); // the client went away before the response was sent
    const h = fakeExchange('/health');
    requestLogger(root)(h.req, h.res, () => undefined);
    h.finish(200);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'GET /api/v1/bookings 503'],
      [40, 'GET /api/v1/bookings aborted'],
    ]);

    const quiet = capture('warn');
    const q = fakeExchange('/api/v1/bookings');
    requestLogger(quiet.root)(q.req, q.res, () => undefined);
    q.finish(201);
    expect(quiet.lines).toEqual([]);
    expect(q.req.id).toMatch(/^[0-9a-f-]{36}$/); // every request still gets an id
  });

  it('a caller-supplied request id that does not look harmless is replaced', () => {
    const { root } = capture();
    const { req, res } = fakeExchange('/api/v1/x', { 'x-request-id': '<script>' });
    requestLogger(root)(req, res, () => undefined);
    expect(req.id).not.toBe('<script>');
  });

  it('safeUrl masks manage and feedback tokens and drops the query', () => {
    expect(safeUrl('/api/v1/feedback/tok123/x?a=b')).toBe('/api/v1/feedback/:token/x');
    expect(safeUrl(undefined)).toBe('');
  });

  it('safeUrl masks the private calendar feed token', () => {
    expect(safeUrl('/calendar/3q2SECRETtoken.ics')).toBe('/calendar/:token');
    expect(safeUrl('/api/v1/supporters/abc/calendar/sync')).toBe('/api/v1/supporters/abc/calendar/sync');
  });
});

describe('AppLogger (Nest LoggerService over the root logger)', () => {
  it('context last, objects merged, errors kept, request id inside a request, redaction applied', () => {
    const { lines, root } = capture('debug');
    const log = new AppLogger(root);
    log.log('started', 'Boot');
    RequestContext.run({ requestId: 'req-abcdefgh', actor: null }, () =>
      log.warn({ phone: '+447700900123', count: 2 }, 'odd', 'Intake'),
    );
    log.error('failed', 'Error: x\n    at y (z.js:1:1)', 'ExceptionsHandler');
    log.error(new Error('boom'), 'Worker');
    log.verbose('not at debug');
    expect(lines.map((l) => [l.level, l.msg, l.context])).toEqual([
      [30, 'started', 'Boot'],
      [40, 'odd', 'Intake'],
      [50, 'failed', 'ExceptionsHandler'],
      [50, 'boom', 'Worker'],
    ]);
    expect(lines[1]).toMatchObject({ reqId: 'req-abcdefgh', count: 2, phone: '[redacted]' });
    expect(lines[0].reqId).toBeUndefined();
    expect((lines[2].err as { stack: string }).stack).toContain('at y (z.js:1:1)');
    // an error's own message may quote data (a constraint's key, say): the line's msg says what happened
    expect(lines[3].err).toMatchObject({ type: 'Error', message: '[redacted]' });
  });
});
