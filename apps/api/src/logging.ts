import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger as Pino } from 'pino';
import { genRequestId } from '@app/common';

/** Path segments that are secrets (manage, feedback and calendar feed tokens) are replaced; query strings (phone look-ups) dropped. */
export function safeUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.replace(/\/(manage|feedback)\/[^/]+/g, '/$1/:token').replace(/^\/calendar\/[^/]+/, '/calendar/:token');
}

/**
 * Gives every request its id (a harmless caller-supplied X-Request-Id, else a
 * UUID) and logs one line when the response is sent: method, path (tokens
 * masked, query dropped), status and time — nothing that identifies a caller,
 * no header, no body. 5xx lines are errors; /health is not logged.
 *
 * Written for the hot path instead of pino-http, which builds a child logger
 * and serializes the whole request for every request, even when nothing is
 * logged (about a quarter of a small request's CPU here; see bench:booking).
 */
export function requestLogger(
  root: Pino,
): (req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const id = genRequestId(req);
    req.id = id;
    const url = req.url ?? '';
    if (root.isLevelEnabled('info') && !url.startsWith('/health')) {
      const started = performance.now();
      const done = () => {
        res.removeListener('close', done);
        res.removeListener('finish', done);
        const path = safeUrl(url);
        const line = {
          req: { id, method: req.method, url: path },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        };
        if (!res.writableFinished) root.warn(line, `${req.method} ${path} aborted`);
        else if (res.statusCode >= 500) root.error(line, `${req.method} ${path} ${res.statusCode}`);
        else root.info(line, `${req.method} ${path} ${res.statusCode}`);
      };
      res.once('finish', done);
      res.once('close', done);
    }
    next();
  };
}
