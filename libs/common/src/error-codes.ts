/** The contract's stable machine words for errors, with the HTTP status each maps to. */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  request_timeout: 408,
  email_taken: 409,
  rate_limited: 429,
  invalid_transition: 409,
  intake_not_bookable: 422,
  assigned_elsewhere: 409,
  too_soon: 422,
  beyond_horizon: 422,
  inactive: 422,
  outside_sociable_hours: 422,
  outside_availability: 422,
  conflict_of_interest: 422,
  at_capacity: 422,
  slot_taken: 409,
  caller_busy: 409,
  idempotency_mismatch: 422,
  wrong_service: 422,
  gender_preference: 422,
  language: 422,
  no_availability: 422,
  not_configured: 422,
  video_unavailable: 422,
  calendar_connection_failed: 422,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid',
  unauthorized: 'Sign-in required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  payload_too_large: 'The request is too large',
  unsupported_media_type: 'Send the request body as JSON',
  headers_too_large: 'The request line or headers are too large',
  request_timeout: 'The request took too long to arrive',
  email_taken: 'That e-mail address is already in use',
  rate_limited: 'Too many requests',
  invalid_transition: 'That status change is not allowed',
  intake_not_bookable: 'This intake cannot be matched or booked',
  assigned_elsewhere: 'The intake is assigned to another supporter',
  too_soon: 'Too soon',
  beyond_horizon: 'Too far ahead',
  inactive: 'The supporter is not active',
  outside_sociable_hours: 'Outside sociable hours',
  outside_availability: "Outside the supporter's availability",
  conflict_of_interest: 'Conflict of interest',
  at_capacity: 'The supporter has no free places',
  slot_taken: 'That time is already booked',
  caller_busy: 'The caller already has a session then',
  idempotency_mismatch: 'Idempotency key reused with a different request',
  wrong_service: 'Wrong service for this supporter',
  gender_preference: "Does not meet the caller's gender preference",
  language: "Does not speak the caller's languages",
  no_availability: 'No mutual availability',
  not_configured: 'This feature is not configured on this server',
  video_unavailable: 'Video sessions are not available',
  calendar_connection_failed: 'The calendar could not be used',
  internal_error: 'Something went wrong on our side',
  service_unavailable: 'Service unavailable',
};

export function errorStatus(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

export function errorTitle(code: ErrorCode): string {
  return TITLES[code];
}
