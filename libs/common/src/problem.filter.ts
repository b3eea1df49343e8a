import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error';
import { ErrorCode, errorStatus, errorTitle } from './error-codes';
import { requestIdOf } from './request-id';
import { UNAVAILABLE_RETRY_AFTER, unavailableReason } from './unavailable';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/**
 * PostgreSQL refused a value itself: class 22 (too long, out of range, a NUL or
 * bad UTF-8, bad syntax for its type) or 23502 (a null in a NOT NULL column).
 * Only a request's input gets there, past a validator that should have
 * refused it: still the client's mistake (400, never a 500), logged as a
 * warning so that the validator gets fixed. Conflicts (23505, 23P01, …) are
 * the repositories' to translate; anything else stays a 500.
 */
function rejectedValueCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  if (!e || typeof e !== 'object') return undefined;
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === '23502') ? code : undefined;
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'instance']);

export function problemFor(code: ErrorCode, detail: string, extras: Record<string, unknown> = {}): ProblemDocument {
  // The RFC 9457 members and the code come first and are never overridden by extras.
  const rest = Object.fromEntries(Object.entries(extras).filter(([k]) => !RESERVED.has(k)));
  return {
    type: `https://docs.support-line.invalid/problems/${code.replace(/_/g, '-')}`,
    title: errorTitle(code),
    status: errorStatus(code),
    detail,
    code,
    ...rest,
  };
}

/**
 * What of an unexpected error may be logged: its kind, PostgreSQL's code and
 * constraint, the message and the stack. Never the query parameters or
 * PostgreSQL's `detail` ("Failing row contains (…)"), which can hold a
 * caller's personal data.
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & {
    code?: unknown;
    constraint?: unknown;
    table?: unknown;
    column?: unknown;
    driverError?: { code?: unknown; constraint?: unknown };
  };
  const pgCode = e.driverError?.code ?? e.code;
  const isDbError = e.name === 'QueryFailedError' || typeof pgCode === 'string';
  return {
    type: e.name,
    ...(typeof pgCode === 'string' ? { code: pgCode } : {}),
    ...((e.driverError?.constraint ?? e.constraint) ? { constraint: e.driverError?.constraint ?? e.constraint } : {}),
    // A database message names tables and columns, not values; but "Key (email)=(…)" appears in some.
    message: isDbError ? String(e.message).replace(/\(.*\)=\(.*\)/g, '(…)=(…)') : e.message,
    stack: e.stack?.split('\n').slice(1, 8).join('\n'),
  };
}

/**
 * Every error leaves the service as an RFC 9457 problem document. Domain errors
 * carry their contract code; framework HTTP errors are mapped by status; any
 * other error is a 500 whose body holds only a correlation id (the request id),
 * while the log line holds the error itself.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const problem = this.toProblem(exception, req);
    if (res.headersSent) return;
    if (
      (problem.code === 'rate_limited' || problem.code === 'service_unavailable') &&
      typeof problem.retryAfter === 'number'
    ) {
      res.setHeader('Retry-After', String(problem.retryAfter));
    }
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, req: Request): ProblemDocument {
    if (exception instanceof DomainError) {
      const extras = { ...exception.extras };
      if (exception.errors) extras.errors = exception.errors;
      return problemFor(exception.code, exception.detail, extras);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_CODES[status];
      if (code) {
        return problemFor(code, this.httpDetail(exception, status));
      }
    }
    const dataError = rejectedValueCode(exception);
    if (dataError) {
      // Only the code: PostgreSQL's message may quote the value ('invalid input syntax for type uuid: "…"').
      this.logger.warn(
        { pgCode: dataError, correlationId: requestIdOf(req) },
        'a value reached PostgreSQL unvalidated: answered 400',
      );
      return problemFor('validation_failed', 'One of the values cannot be stored.');
    }
    // body-parser errors (malformed JSON, too large) arrive as plain errors with a status
    const bodyError = exception as { status?: number; type?: string };
    if (bodyError && typeof bodyError.status === 'number' && typeof bodyError.type === 'string') {
      if (bodyError.type === 'entity.too.large')
        return problemFor('payload_too_large', 'The request body is too large.');
      if (bodyError.status === 400) return problemFor('validation_failed', 'The request body is not valid JSON.');
    }
    const unavailable = unavailableReason(exception);
    if (unavailable) {
      this.logger.warn(
        { code: unavailable, correlationId: requestIdOf(req) },
        `database unavailable (${unavailable}): answered 503`,
      );
      return problemFor('service_unavailable', 'The service is briefly unavailable. Please try again in a moment.', {
        retryAfter: UNAVAILABLE_RETRY_AFTER,
      });
    }
    const correlationId = requestIdOf(req);
    this.logger.error(
      { err: safeError(exception), correlationId },
      `Unhandled error (correlation id ${correlationId})`,
    );
    return problemFor(
      'internal_error',
      `Please try again. If it keeps happening, quote correlation id ${correlationId}.`,
      {
        correlationId,
      },
    );
  }

  private httpDetail(exception: HttpException, status: number): string {
    switch (status as HttpStatus) {
      case HttpStatus.NOT_FOUND:
      case HttpStatus.METHOD_NOT_ALLOWED:
        return 'No such resource.';
      case HttpStatus.UNAUTHORIZED:
        return 'Sign in and send the access token as "Authorization: Bearer <token>".';
      case HttpStatus.FORBIDDEN:
        return 'Your role does not allow this.';
      case HttpStatus.PAYLOAD_TOO_LARGE:
        return 'The request body is too large.';
      case HttpStatus.TOO_MANY_REQUESTS:
        return 'Too many requests. Wait a moment and try again.';
      default: {
        const msg = exception.message;
        return typeof msg === 'string' && msg.length < 200 ? msg : 'The request is not valid.';
      }
    }
  }
}
