import { DynamicModule, Global, Inject, Injectable, LoggerService, Module } from '@nestjs/common';
import pino, { Level, Logger as Pino } from 'pino';
import { RequestContext } from './request-context';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

const SECRET_KEYS = [
  'password',
  'passwordHash',
  'accessToken',
  'token',
  'name',
  'phone',
  'email',
  'caller',
  'ethnicity',
  'specialty',
  'workplace',
  'message',
];

/**
 * Anything that could name a caller or open a door, at the top of a logged
 * object or one level down. Request lines never carry such fields (method, path
 * with tokens masked, status, timing); this catches an object logged by mistake.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
];

export interface LoggingOptions {
  level: string;
  /** `service` on every line: api, worker. */
  service: string;
  /** Where lines go (default stdout); tests capture them to scan for personal data. */
  stream?: NodeJS.WritableStream;
}

/** The process's one pino logger: JSON lines, redacted. */
export function createRootLogger({ level, service, stream }: LoggingOptions): Pino {
  const options = {
    level,
    base: { pid: process.pid, service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return stream ? pino(options, stream) : pino(options);
}

/**
 * Nest's LoggerService over the root logger (the contract nestjs-pino's Logger
 * follows): the last extra argument is the context, an object or Error as the
 * message is merged into the line, and inside a request the line carries its
 * request id (from RequestContext, no per-request child logger).
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(@Inject(ROOT_LOGGER) private readonly root: Pino) {}

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let params = rest;
    if (rest.length > 0) {
      fields.context = rest[rest.length - 1];
      params = rest.slice(0, -1);
    }
    const requestId = RequestContext.current()?.requestId;
    if (requestId) fields.reqId = requestId;
    if (message instanceof Error) {
      fields.err = message;
      this.root[level](fields, message.message, ...params);
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      this.root[level](fields, ...(params as [string?]));
    } else if (
      level === 'error' &&
      typeof message === 'string' &&
      params.length === 1 &&
      typeof params[0] === 'string' &&
      /\n\s*at /.test(params[0])
    ) {
      // Nest's own exception handlers pass (message, stack, context)
      const err = new Error(message);
      err.stack = params[0];
      fields.err = err;
      this.root[level](fields, message);
    } else {
      this.root[level](fields, String(message), ...params);
    }
  }
}

/** The root logger and AppLogger for the whole application (api or worker). */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      providers: [{ provide: ROOT_LOGGER, useValue: createRootLogger(options) }, AppLogger],
      exports: [ROOT_LOGGER, AppLogger],
    };
  }
}
