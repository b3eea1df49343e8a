import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode, errorTitle } from './error-codes';

/** Every code the problem filter can answer with: the one list in error-codes.ts, never a copy. */
const ALL_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

class ProblemFieldError {
  @ApiProperty({
    example: 'timeZone',
    description: 'the field, dotted for nested ones (`caller.phone`, `weekly[0].start`)',
  })
  field: string;

  @ApiProperty({ example: 'must be an IANA time zone such as Europe/London' })
  message: string;
}

class ProblemInterval {
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
}

class ProblemOccurrence {
  @ApiProperty({ description: 'position in the series, from 0' }) index: number;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ enum: ALL_CODES, enumName: 'ProblemCode', description: 'why this occurrence cannot be booked' })
  code: ErrorCode;
}

class ProblemReason {
  @ApiProperty() code: string;
  @ApiProperty() text: string;
}

/**
 * The RFC 9457 problem document every error answers with
 * (`application/problem+json`; see ProblemFilter). The extension members
 * appear only with the codes that carry them.
 */
@ApiSchema({ name: 'ProblemDocument' })
export class ProblemDocumentSchema {
  @ApiProperty({ example: 'https://docs.support-line.invalid/problems/validation-failed' })
  type: string;

  @ApiProperty({ example: 'The request is not valid' })
  title: string;

  @ApiProperty({ example: 400, minimum: 400, maximum: 599 })
  status: number;

  @ApiProperty({ example: 'One or more fields are not valid.' })
  detail: string;

  @ApiProperty({ enum: ALL_CODES, enumName: 'ProblemCode', description: 'the stable machine word (CONTRACT.md)' })
  code: ErrorCode;

  @ApiPropertyOptional({ type: [ProblemFieldError], description: 'validation_failed: one entry per bad field' })
  errors?: ProblemFieldError[];

  @ApiPropertyOptional({
    type: [ProblemInterval],
    description: 'slot_taken, caller_busy: free times near the one asked for',
  })
  alternatives?: ProblemInterval[];

  @ApiPropertyOptional({
    type: [ProblemOccurrence],
    description: 'a series: the occurrences that cannot be booked, with why',
  })
  occurrences?: ProblemOccurrence[];

  @ApiPropertyOptional({ type: [ProblemReason], description: 'an assignment that breaks a hard rule: every reason' })
  reasons?: ProblemReason[];

  @ApiPropertyOptional({ format: 'uuid', description: 'assigned_elsewhere: the supporter the intake is assigned to' })
  supporterId?: string;

  @ApiPropertyOptional({ description: 'invalid_transition of a booking: its status now' })
  bookingStatus?: string;

  @ApiPropertyOptional({ description: 'invalid_transition of an intake: its status now' })
  currentStatus?: string;

  @ApiPropertyOptional({
    description: 'rate_limited, service_unavailable: seconds to wait (also the Retry-After header)',
  })
  retryAfter?: number;

  @ApiPropertyOptional({ description: 'internal_error: quote it; the log line with this id has the details' })
  correlationId?: string;
}

/** The 4xx statuses an operation can document (each maps to codes in ERROR_STATUS). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 431 | 503;
/** For some statuses, the codes this operation answers with (typed against ERROR_STATUS), and when. */
export type ProblemCodes = Partial<Record<ProblemStatus, ErrorCode[] | { codes: ErrorCode[]; when: string }>>;

/**
 * Documents an operation's error answers as problem documents:
 * `@ApiProblems(400, 401, 403, 404, { 409: ['slot_taken', 'caller_busy'] })`.
 * A bare status lists every code of that status; a map names the operation's
 * own (and may say when). A code whose status is another throws at start-up,
 * so the document cannot drift from the filter.
 */
export function ApiProblems(...entries: (ProblemStatus | ProblemCodes)[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, { codes: ErrorCode[]; when?: string }>();
  for (const entry of entries) {
    if (typeof entry === 'number') {
      if (!byStatus.has(entry)) byStatus.set(entry, { codes: codesOf(entry) });
      continue;
    }
    for (const [key, value] of Object.entries(entry) as [
      string,
      ErrorCode[] | { codes: ErrorCode[]; when: string },
    ][]) {
      const status = Number(key);
      const given = Array.isArray(value) ? { codes: value } : value;
      for (const code of given.codes) {
        if (ERROR_STATUS[code] !== status)
          throw new Error(`ApiProblems: ${code} is answered with ${ERROR_STATUS[code]}, not ${status}`);
      }
      byStatus.set(status, given);
    }
  }
  const decorators = [...byStatus].map(([status, { codes, when }]) => {
    if (codes.length === 0)
      throw new Error(`ApiProblems: no error code answers with ${status} (add it to ERROR_STATUS first)`);
    const list = codes.map((c) => `\`${c}\` (${errorTitle(c)})`).join(', ');
    return ApiResponse({
      status,
      description: when ? `${list}: ${when}` : list,
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDocumentSchema) } } },
    });
  });
  return applyDecorators(ApiExtraModels(ProblemDocumentSchema), ...decorators);
}

function codesOf(status: number): ErrorCode[] {
  return ALL_CODES.filter((c) => ERROR_STATUS[c] === status);
}
