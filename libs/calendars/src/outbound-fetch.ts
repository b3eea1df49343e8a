import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Why a server-side fetch of a user-supplied URL was not made or not
 * finished, in words staff can act on. Never carries the URL or credentials.
 */
export type OutboundFailure =
  'url_not_allowed' | 'address_not_allowed' | 'unreachable' | 'timeout' | 'response_too_large';

export class OutboundError extends Error {
  constructor(
    readonly reason: OutboundFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

export interface OutboundOptions {
  /** Host names that may resolve to loopback or private addresses (CALENDAR_ALLOWED_HOSTS), lower case. */
  allowedHosts: readonly string[];
  /** The whole exchange, connection to last byte. */
  timeoutMs?: number;
  /** Bytes of response body at most. */
  maxResponseBytes?: number;
}

// Addresses a server-side fetch must not reach unless the operator allows the host: loopback,
// private, link-local (cloud metadata at 169.254.169.254), shared, multicast and reserved ranges.
const refused = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  refused.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  refused.addSubnet(net, prefix, 'ipv6');
}

/** True when a fetch may not reach `address` (an IPv4 or IPv6 literal) without the host being allowed. */
export function isRefusedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return refused.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family === 6) return refused.check(address, 'ipv6');
  return true;
}

/** Checks a URL before any request: http(s), no credentials in it, a host name. Returns the parsed URL. */
export function checkOutboundUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('url_not_allowed', 'The calendar URL is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundError('url_not_allowed', 'The calendar URL must start with http:// or https://.');
  if (url.username || url.password)
    throw new OutboundError('url_not_allowed', 'Put the user name and password in their own fields, not in the URL.');
  if (!url.hostname) throw new OutboundError('url_not_allowed', 'The calendar URL has no host.');
  return url;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` for user-supplied URLs (given to tsdav as its fetch override).
 * The address check runs inside the connection's own DNS look-up, so the
 * address we connect to is the one we checked (no DNS rebinding between
 * check and connect). Redirects are not followed (a 3xx comes back as it
 * is). The whole exchange has a deadline and the body a size limit.
 */
export function guardedFetch(opts: OutboundOptions): typeof fetch {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxResponseBytes ?? 5 * 1024 * 1024;
  const allowed = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));

  const fetchImpl: typeof fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = checkOutboundUrl(href);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const hostAllowed = allowed.has(host);
    if (isIP(host) && !hostAllowed && isRefusedAddress(host)) {
      throw new OutboundError(
        'address_not_allowed',
        'The calendar server is on a private or local address that is not allowed (CALENDAR_ALLOWED_HOSTS).',
      );
    }
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const body =
      init.body == null
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : Buffer.from(await new Response(init.body).arrayBuffer());
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      const lookup = (
        hostname: string,
        options: object,
        callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
      ) => {
        dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
          if (err) return callback(err, []);
          const usable = hostAllowed ? addresses : addresses.filter((a) => !isRefusedAddress(a.address));
          if (!usable.length) {
            const refusedErr = new OutboundError(
              'address_not_allowed',
              'The calendar server is on a private or local address that is not allowed (CALENDAR_ALLOWED_HOSTS).',
            );
            fail(refusedErr);
            return callback(refusedErr, []);
          }
          if ((options as { all?: boolean }).all) return callback(null, usable);
          callback(null, usable[0].address, usable[0].family);
        });
      };
      const requester = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = requester(
        url,
        { method: init.method ?? 'GET', headers, lookup, agent: false },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes)
              return fail(
                new OutboundError('response_too_large', `The calendar server sent more than ${maxBytes} bytes.`),
              );
            chunks.push(chunk);
          });
          res.on('error', (err) =>
            fail(new OutboundError('unreachable', `The calendar server's answer broke off (${err.message}).`)),
          );
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const status = res.statusCode ?? 502;
            const responseHeaders = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (v === undefined) continue;
              for (const one of Array.isArray(v) ? v : [v]) responseHeaders.append(k, one);
            }
            resolve(
              new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage,
                headers: responseHeaders,
              }),
            );
          });
        },
      );
      const timer = setTimeout(
        () => fail(new OutboundError('timeout', `The calendar server did not answer within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
      req.on('error', (err) =>
        fail(
          err instanceof OutboundError
            ? err
            : new OutboundError(
                'unreachable',
                `The calendar server could not be reached (${(err as NodeJS.ErrnoException).code ?? err.message}).`,
              ),
        ),
      );
      if (init.signal) {
        if (init.signal.aborted) return fail(new OutboundError('timeout', 'The request was aborted.'));
        init.signal.addEventListener('abort', () => fail(new OutboundError('timeout', 'The request was aborted.')), {
          once: true,
        });
      }
      req.end(body);
    });
  };
  return fetchImpl;
}
