import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { genRequestId } from '@app/common';

/** Path segments that are secrets (manage and feedback tokens) are replaced; query strings (phone look-ups) dropped. */
export function safeUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.replace(/\/(manage|feedback)\/[^/]+/g, '/$1/:token');
}

/**
 * Structured logs (pino). Nothing that identifies a caller, no password, token
 * or Authorization header ever reaches a log line: request logs carry only
 * method, path (tokens masked, query dropped), status and timing, and the
 * redaction list below catches the rest if someone logs an object by mistake.
 */
export function loggerParams(level: string, stream?: NodeJS.WritableStream): Params {
  const options = pinoOptions(level);
  return {
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: stream ? [options, stream as never] : options,
  };
}

function pinoOptions(level: string) {
  return {
    level,
    genReqId: (req: IncomingMessage) => genRequestId(req),
    customProps: () => ({ service: 'api' }),
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: safeUrl(req.url) }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers.cookie', '*.password', '*.passwordHash', '*.accessToken', '*.token',
        '*.name', '*.phone', '*.email', '*.caller', '*.ethnicity', '*.specialty', '*.workplace', '*.message',
      ],
      censor: '[redacted]',
    },
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${safeUrl(req.url)} ${res.statusCode}`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${safeUrl(req.url)} ${res.statusCode}`,
  };
}
