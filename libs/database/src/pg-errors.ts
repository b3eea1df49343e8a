/** PostgreSQL error helpers: constraint violations become domain conflicts in repositories. */
interface PgError {
  code?: string;
  constraint?: string;
  driverError?: PgError;
}

function pg(err: unknown): PgError | undefined {
  const e = err as PgError;
  if (!e || typeof e !== 'object') return undefined;
  return e.driverError ?? e;
}

/** 23505: a unique index refused the row. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pg(err);
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}

/** 23P01: an exclusion constraint (overlap) refused the row. */
export function isExclusionViolation(err: unknown, constraint?: string): boolean {
  const e = pg(err);
  return e?.code === '23P01' && (!constraint || e.constraint === constraint);
}

/** 23503: a foreign key refused the row. */
export function isForeignKeyViolation(err: unknown, constraint?: string): boolean {
  const e = pg(err);
  return e?.code === '23503' && (!constraint || e.constraint === constraint);
}

/** 23514: a CHECK constraint refused the row. */
export function isCheckViolation(err: unknown, constraint?: string): boolean {
  const e = pg(err);
  return e?.code === '23514' && (!constraint || e.constraint === constraint);
}

export function constraintOf(err: unknown): string | undefined {
  return pg(err)?.constraint;
}

/** 40001/40P01: serialization failure or deadlock, worth one retry. */
export function isRetryableTransactionError(err: unknown): boolean {
  const code = pg(err)?.code;
  return code === '40001' || code === '40P01';
}
