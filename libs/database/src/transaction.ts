import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isRetryableTransactionError } from './pg-errors';
import { PipeliningClient } from './pipelining-client';

const ATTEMPTS = 3;

/**
 * `work` in one transaction, run again (up to three times in all) when
 * PostgreSQL ends it with a deadlock (40P01) or a serialization failure
 * (40001): the losing side of two use cases that lock the same rows in
 * opposite orders then waits its turn instead of answering 500. `work` must
 * only change the database (and objects it reads there), as every use case's
 * transaction here does; it is rolled back before each new attempt.
 *
 * The transaction's BEGIN travels with its first statement, and a last
 * statement sent with `queryPrepared(…, { commit: true })` carries its COMMIT
 * (PipeliningClient): fewer round trips, the same transaction.
 */
export async function inTransaction<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>, onRetry?: (attempt: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runTransaction(ds, work);
    } catch (err) {
      if (attempt >= ATTEMPTS || !isRetryableTransactionError(err)) throw err;
      onRetry?.(attempt);
      // a little jitter, so that the two sides do not meet again at once
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/** TypeORM's QueryRunner state that says "in a transaction" (its own startTransaction sets both). */
interface TransactionState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

async function runTransaction<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  let client: unknown;
  try {
    client = await runner.connect();
  } catch (err) {
    await runner.release();
    throw err;
  }
  if (!(client instanceof PipeliningClient)) {
    // A data source built with another client class: TypeORM's own transaction.
    await runner.release();
    return ds.transaction(work);
  }
  const state = runner as QueryRunner & TransactionState;
  client.beginLazily();
  state.isTransactionActive = true;
  state.transactionDepth = 1;
  try {
    const result = await work(runner.manager);
    if (client.inTransactionBlock) await (client.query('COMMIT') as Promise<unknown>);
    return result;
  } catch (err) {
    if (client.inTransactionBlock) await (client.query('ROLLBACK') as Promise<unknown>).catch(() => undefined);
    throw err;
  } finally {
    client.endTransaction();
    state.isTransactionActive = false;
    state.transactionDepth = 0;
    await runner.release();
  }
}
