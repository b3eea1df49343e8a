import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOutboundUrl, guardedFetch, isRefusedAddress, OutboundError } from './outbound-fetch';

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OutboundError) return err.reason;
    throw err;
  }
  return 'ok';
}

describe('isRefusedAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['::1', true],
    ['::', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::7f00:1', true],
    ['64:ff9b::7f00:1', true],
    ['not an address', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['93.184.216.34', false],
    ['2a00:1450:4009:81f::200e', false],
    ['::ffff:8.8.8.8', false],
  ])('%s → %p', (address, expected) => {
    expect(isRefusedAddress(address)).toBe(expected);
  });
});

describe('checkOutboundUrl', () => {
  it.each([
    'ftp://cal.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'gopher://x/',
    'not a url',
    'https://jo:secret@cal.example/',
  ])('refuses %s', (url) => {
    expect(() => checkOutboundUrl(url)).toThrow(OutboundError);
  });
  it('takes http and https', () => {
    expect(checkOutboundUrl('https://cal.example/dav/').hostname).toBe('cal.example');
    expect(checkOutboundUrl('http://cal.example:8080/').port).toBe('8080');
  });
});

describe('guardedFetch against a loopback server', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 10_000).unref();
      if (req.url === '/big') {
        res.write(Buffer.alloc(40_000, 'x'));
        return void res.end(Buffer.alloc(40_000, 'x'));
      }
      if (req.url === '/redirect') {
        res.statusCode = 302;
        res.setHeader('location', 'http://169.254.169.254/latest/meta-data/');
        return void res.end();
      }
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        res.statusCode = 207;
        res.setHeader('content-type', 'application/xml');
        res.setHeader('x-method', req.method ?? '');
        res.end(`echo:${body}:${req.headers.depth ?? ''}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });

  it('refuses 127.0.0.1 and localhost unless the host is allowed', async () => {
    const f = guardedFetch({ allowedHosts: [] });
    expect(await reason(f(`http://127.0.0.1:${port}/`))).toBe('address_not_allowed');
    expect(await reason(f(`http://localhost:${port}/`))).toBe('address_not_allowed');
    expect(await reason(f(`http://[::1]:${port}/`))).toBe('address_not_allowed');
    expect(await reason(guardedFetch({ allowedHosts: ['localhost'] })(`http://127.0.0.1:${port}/`))).toBe(
      'address_not_allowed',
    );
  });

  it('an allowed host is fetched: method, headers and body go through, status and headers come back', async () => {
    const f = guardedFetch({ allowedHosts: ['127.0.0.1'] });
    const res = await f(`http://127.0.0.1:${port}/dav/`, { method: 'PROPFIND', headers: { depth: '0' }, body: '<x/>' });
    expect(res.status).toBe(207);
    expect(res.headers.get('x-method')).toBe('PROPFIND');
    expect(await res.text()).toBe('echo:<x/>:0');
    const byName = await guardedFetch({ allowedHosts: ['localhost'] })(`http://localhost:${port}/`);
    expect(byName.status).toBe(207);
  });

  it('does not follow redirects', async () => {
    const res = await guardedFetch({ allowedHosts: ['127.0.0.1'] })(`http://127.0.0.1:${port}/redirect`);
    expect(res.status).toBe(302);
  });

  it('gives up after the timeout', async () => {
    const started = Date.now();
    expect(
      await reason(guardedFetch({ allowedHosts: ['127.0.0.1'], timeoutMs: 300 })(`http://127.0.0.1:${port}/slow`)),
    ).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(8000); // the server would answer after 10 s
  });

  it('stops reading past the size limit', async () => {
    expect(
      await reason(
        guardedFetch({ allowedHosts: ['127.0.0.1'], maxResponseBytes: 50_000 })(`http://127.0.0.1:${port}/big`),
      ),
    ).toBe('response_too_large');
    const ok = await guardedFetch({ allowedHosts: ['127.0.0.1'], maxResponseBytes: 100_000 })(
      `http://127.0.0.1:${port}/big`,
    );
    expect((await ok.arrayBuffer()).byteLength).toBe(80_000);
  });

  it('a closed port is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const p = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await reason(guardedFetch({ allowedHosts: ['127.0.0.1'] })(`http://127.0.0.1:${p}/`))).toBe('unreachable');
  });
});
