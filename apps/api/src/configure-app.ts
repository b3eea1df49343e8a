import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { INestApplication, Logger as NestLogger, RequestMethod } from '@nestjs/common';
import { static as serveStatic } from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger as Pino } from 'pino';
import { CALENDAR_FEED_ROUTE } from '@app/calendars';
import { APP_CONFIG, AppConfig, AppLogger, requestContextMiddleware, ROOT_LOGGER } from '@app/common';
import { isApiPath as isApi, jsonBodies, problemsForClientErrors, securityHeaders } from './http-edge';
import { requestLogger } from './logging';
import { buildOpenApiDocument } from './openapi';

export const API_PREFIX = 'api/v1';

/** Everything main.ts and the e2e tests share, so tests get exactly what production gets. */
export function configureApp(app: INestApplication): INestApplication {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(AppLogger));
  // first of all, so that every response (static files and 404s too) is logged with its request id
  express.use(requestLogger(app.get<symbol, Pino>(ROOT_LOGGER)));
  express.disable('x-powered-by');
  // API answers hold personal data: never stored by a browser or a proxy (so no ETag either: nothing to revalidate).
  // The console's files keep serve-static's ETags, and index.html its Last-Modified.
  express.set('etag', false);
  express.use(noStoreForApi);
  express.use(securityHeaders(app.get<symbol, AppConfig>(APP_CONFIG)));
  express.set('trust proxy', 'loopback');
  // JSON only, in UTF-8, sanely nested, no control characters: see http-edge.ts
  express.use(...jsonBodies('64kb'));
  problemsForClientErrors(express.getHttpServer());
  // after the body parser (see requestContextMiddleware)
  express.use(requestContextMiddleware);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      ...['health', 'health/live', 'health/ready'].map((path) => ({ path, method: RequestMethod.GET })),
      // a supporter's private calendar feed: /calendar/<token>.ics, a link calendar apps subscribe to
      { path: CALENDAR_FEED_ROUTE, method: RequestMethod.GET },
    ],
  });
  const doc = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  serveWebConsole(express);
  return app;
}

function noStoreForApi(req: Request, res: Response, next: NextFunction): void {
  if (isApi(req.path)) res.setHeader('Cache-Control', 'no-store');
  next();
}

/** dist/web, seen from the compiled file (dist/apps/api/src) or from the source (apps/api/src, in tests). */
function findWebDir(): string | null {
  for (const dir of [join(__dirname, '..', '..', '..', 'web'), join(__dirname, '..', '..', '..', 'dist', 'web')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

// Headers for the console's own files only; API responses are left as they are.
const WEB_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // /manage/<token> pages must not leak the token to other sites
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

/**
 * The web console (apps/web, built into dist/web) at `/`: its files as they
 * are, and index.html for every other page path (no file extension, not under
 * /api or /health) so client routes such as /manage/<token> load the app.
 * Without dist/web the API runs alone.
 */
function serveWebConsole(app: NestExpressApplication): void {
  const dir = findWebDir();
  if (!dir) {
    new NestLogger('WebConsole').log(
      'web console not built (no dist/web): serving the API only; `npm run build` builds it',
    );
    return;
  }
  const assets = `${sep}assets${sep}`;
  // The API's own paths never reach the file system: serve-static would stat a file for every API GET.
  const files = serveStatic(dir, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res, file) => {
      for (const [k, v] of Object.entries(WEB_HEADERS)) res.setHeader(k, v);
      // hashed file names under assets/ never change; everything else is revalidated
      res.setHeader('Cache-Control', file.includes(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => (isApi(req.path) ? next() : void files(req, res, next)));
  const indexHtml = join(dir, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApi(req.path) || /\.[^/]*$/.test(req.path)) return next();
    for (const [k, v] of Object.entries(WEB_HEADERS)) res.setHeader(k, v);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml, (err) => {
      if (err) next();
    });
  });
}
