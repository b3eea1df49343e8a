import { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one error services throw. It names a contract error code; the
 * problem+json filter maps it to an HTTP status. `extras` are merged into the
 * problem document (e.g. `alternatives` on a 409 slot_taken).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extras: Record<string, unknown> = {},
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  static validation(errors: FieldError[], detail = 'One or more fields are not valid.'): DomainError {
    return new DomainError('validation_failed', detail, {}, errors);
  }

  static notFound(what: string): DomainError {
    return new DomainError('not_found', `${what} was not found.`);
  }

  static forbidden(detail = 'Your role does not allow this.'): DomainError {
    return new DomainError('forbidden', detail);
  }
}
