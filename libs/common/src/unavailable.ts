/**
 * Errors that say "the database cannot answer now" rather than "this request
 * is wrong": a restart (57P01, 57P02, 57P03), a lost or refused connection
 * (class 08, ECONNREFUSED …), too many clients (53300), the pool's wait for a
 * free connection running out, or a statement that waited too long for a lock
 * (55P03 lock_timeout) or ran too long (57014 statement_timeout) because the
 * server is busy. They are answered 503 service_unavailable with Retry-After,
 * never 500: the same request will work a moment later.
 */
const CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53400',
  '55P03',
  '57014',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// node-postgres and pg-pool raise these without a code (their public messages).
const MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Connection terminated/i,
  /connection timeout/i,
  /not queryable/i,
  /is not currently accepting connections/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
];

/** Seconds a client is told to wait (Retry-After) when the database is away or busy. */
export const UNAVAILABLE_RETRY_AFTER = 5;

/** The reason (a code, no data) when `err` means the database is away or busy; null otherwise. */
export function unavailableReason(err: unknown): string | null {
  for (
    let e = err as { code?: unknown; message?: unknown; driverError?: unknown } | null | undefined, depth = 0;
    e && typeof e === 'object' && depth < 3;
    depth++
  ) {
    if (typeof e.code === 'string' && (CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return e.code;
    if (typeof e.message === 'string' && MESSAGES.some((re) => re.test(e!.message as string))) {
      return /timeout exceeded when trying to connect/i.test(e.message) ? 'pool_timeout' : 'connection_lost';
    }
    e = e.driverError as typeof e;
  }
  return null;
}
