import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { json } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppConfig, DomainError, ErrorCode, FieldError, hostileTextProblems, problemFor } from '@app/common';

/**
 * What every request meets before routing, sign-in or validation: the body is
 * JSON in UTF-8 or it is refused (415/400), never silently ignored or turned
 * into U+FFFD; it nests at most 32 levels and holds no control characters or
 * lone surrogates (400, naming the field); a request line or headers too
 * large for Node's parser get a problem document instead of Node's empty
 * answer. Nothing here needs a database or a token, so none of it can be
 * turned into a 500 by a client.
 */

/** API paths: JSON only, no caching, nosniff. The console's files have their own headers (configure-app.ts). */
export const isApiPath = (path: string): boolean =>
  path === '/api' || path.startsWith('/api/') || path === '/health' || path.startsWith('/health/');

const isDocsPage = (path: string): boolean => path === '/api/docs' || path.startsWith('/api/docs/');

/**
 * The Swagger page's own policy: its scripts are files of its own (no inline
 * script), so script-src stays 'self'. Its HTML template carries two inline
 * <style> blocks, hence 'unsafe-inline' for styles only (styles cannot run code).
 */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** One year, the usual value; only when the service is published over https (a browser ignores it over http anyway). */
const HSTS = 'max-age=31536000';

export function securityHeaders(config: Pick<AppConfig, 'publicUrl'>): RequestHandler {
  const https = config.publicUrl.startsWith('https:');
  return (req: Request, res: Response, next: NextFunction) => {
    if (https) res.setHeader('Strict-Transport-Security', HSTS);
    if (isApiPath(req.path)) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (isDocsPage(req.path)) {
        res.setHeader('Content-Security-Policy', DOCS_CSP);
        res.setHeader('X-Frame-Options', 'DENY');
        res.setHeader('Referrer-Policy', 'no-referrer');
      }
    }
    next();
  };
}

const JSON_TYPE = /^application\/(json|[a-z0-9.+-]+\+json)$/;
const ENCODINGS = new Set(['identity', 'gzip', 'deflate', 'br']);

/** Is there a body to read? A POST with `Content-Length: 0` (a bodiless action such as /close) has none. */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const unsupported = (detail: string) => new DomainError('unsupported_media_type', detail);
/** The body as a whole is wrong (no field to name, so no `errors`). */
const badBody = (detail: string) => new DomainError('validation_failed', detail);

/** 415 unless the body is JSON in UTF-8 with an encoding we can undo; checked before a byte of it is read. */
function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!isApiPath(req.path) || !hasBody(req)) return next();
  const [type, ...params] = (req.headers['content-type'] ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (!JSON_TYPE.test(type)) {
    return next(unsupported('Send the request body as JSON, with "Content-Type: application/json".'));
  }
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return next(unsupported('JSON bodies are UTF-8: send "Content-Type: application/json" (or charset=utf-8).'));
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (!ENCODINGS.has(encoding)) {
    return next(unsupported('The only content encodings accepted are gzip, deflate and br.'));
  }
  next();
}

const INVALID_UTF8 = Symbol('invalid utf-8');

/** body-parser's JSON reader, its errors turned into problem codes (they would otherwise reach the filter as bare errors). */
function jsonParser(limit: string): RequestHandler {
  const parse = json({
    limit,
    // requireJson has decided already; body-parser would skip (and so silently ignore) anything else
    type: () => true,
    verify: (_req, _res, buf) => {
      // body-parser would decode bad bytes as U+FFFD, silently changing what was sent
      if (!isUtf8(buf)) throw Object.assign(new Error('invalid utf-8'), { status: 400, type: INVALID_UTF8 });
    },
  });
  return (req, res, next) => {
    if (!isApiPath(req.path)) return next();
    parse(req, res, (err?: unknown) => (err ? next(bodyProblem(err)) : next()));
  };
}

/** body-parser errors carry a status and a `type`; each becomes the matching problem. */
export function bodyProblem(err: unknown): DomainError {
  const e = (err ?? {}) as { status?: unknown; type?: unknown };
  if (e.type === INVALID_UTF8) return badBody('The request body is not valid UTF-8.');
  if (e.status === 413 || e.type === 'entity.too.large')
    return new DomainError('payload_too_large', 'The request body is too large (at most 64 KB).');
  if (e.status === 415)
    return unsupported(
      "The body's charset or content encoding is not supported: send UTF-8 JSON, optionally gzip, deflate or br.",
    );
  if (e.type === 'entity.parse.failed') return badBody('The request body is not valid JSON (an object or an array).');
  // a body that says gzip and is not, a truncated or aborted upload
  return badBody('The request body could not be read (is its Content-Encoding right?).');
}

/** Every string of the body and the query: no control characters, no lone surrogates, nothing nested too deep. */
function rejectHostileText(req: Request, _res: Response, next: NextFunction): void {
  if (!isApiPath(req.path)) return next();
  const problems: FieldError[] = [];
  if (req.body !== null && typeof req.body === 'object') problems.push(...hostileTextProblems(req.body));
  // req.query is a getter that parses the query string on every read
  const query: unknown = req.query;
  if (query && typeof query === 'object' && Object.keys(query).length) problems.push(...hostileTextProblems(query));
  if (problems.length) return next(DomainError.validation(problems, 'The request holds text that is not accepted.'));
  next();
}

/** The body pipeline, in order: content type, reading and parsing, the text check. */
export function jsonBodies(limit = '64kb'): RequestHandler[] {
  return [requireJson, jsonParser(limit), rejectHostileText];
}

/** Which answer Node's own clientError handler would give, as a problem code. */
function clientErrorCode(code: string | undefined): { status: number; code: ErrorCode; detail: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'headers_too_large',
        detail: 'The request line and headers must stay under 16 KB: send long input in a JSON body.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'payload_too_large', detail: 'The chunk extensions are too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', detail: 'The request did not arrive in time.' };
    default:
      return { status: 400, code: 'validation_failed', detail: 'The request is not valid HTTP.' };
  }
}

/**
 * Node answers requests its parser refuses (a 100 KB query string, bad
 * framing) with an empty 431 or 400 written straight to the socket; this does
 * the same with a problem document. (Like Node's own answer it could land
 * after a half-sent response to an earlier request pipelined on the same
 * socket: only the client that sent the broken request would see that.)
 */
export function problemsForClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, code, detail } = clientErrorCode(err.code);
    const body = JSON.stringify(problemFor(code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
        body,
    );
  });
}
