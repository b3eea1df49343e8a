import type { DataSource, EntityManager } from 'typeorm';
import { unavailableReason } from '@app/common';
import { isRetryableTransactionError } from './pg-errors';

/**
 * The connection itself died (a restart's 57P01/57P02, class 08, a reset
 * socket, node-postgres' "Connection terminated"): the server rolled the
 * transaction back. Not a busy server (lock or statement timeout, too many
 * clients, pool wait), where trying again at once would only add load.
 */
function connectionLost(err: unknown): boolean {
  const reason = unavailableReason(err);
  return (
    reason !== null &&
    (reason === 'connection_lost' ||
      reason === '57P01' ||
      reason === '57P02' ||
      reason === 'ECONNRESET' ||
      reason === 'EPIPE' ||
      /^08/.test(reason))
  );
}

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
 *
 * Also run again when the connection was lost before the work was done (so
 * before COMMIT was sent): after a PostgreSQL restart the pool may still hold
 * a connection whose end it has not read yet, and the first request to take
 * it would otherwise answer 503 although a fresh connection works. A
 * connection lost during COMMIT is not retried: whether it committed is
 * unknown (an Idempotency-Key makes the client's own retry safe).
 */
export async function inTransaction<T>(
  ds: DataSource,
  work: (m: EntityManager) => Promise<T>,
  onRetry?: (attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let workDone = false;
    try {
      return await ds.transaction(async (m) => {
        const result = await work(m);
        workDone = true;
        return result;
      });
    } catch (err) {
      const retry = isRetryableTransactionError(err) || (!workDone && connectionLost(err));
      if (attempt >= ATTEMPTS || !retry) throw err;
      onRetry?.(attempt);
      // a little jitter, so that the two sides do not meet again at once
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
