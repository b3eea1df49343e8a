import type { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from './pg-errors';

const ATTEMPTS = 3;

/**
 * `work` in one transaction (TypeORM's own `ds.transaction`: BEGIN, the
 * work's statements, COMMIT; ROLLBACK when it throws), run again (up to three
 * times in all) when PostgreSQL ends it with a deadlock (40P01) or a
 * serialization failure (40001): the losing side of two use cases that lock
 * the same rows in opposite orders then waits its turn instead of answering
 * 500. `work` must only change the database (and objects it reads there), as
 * every use case's transaction here does; it is rolled back before each new
 * attempt.
 */
export async function inTransaction<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>, onRetry?: (attempt: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ds.transaction(work);
    } catch (err) {
      if (attempt >= ATTEMPTS || !isRetryableTransactionError(err)) throw err;
      onRetry?.(attempt);
      // a little jitter, so that the two sides do not meet again at once
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
