import type { EntityManager } from 'typeorm';

/** node-postgres' public `Client#pipeline` (ClientConfig.pipeline): queries are written without waiting for the previous answer. */
interface PgClient {
  readonly pipeline?: boolean;
}

/**
 * Runs a few statements of one transaction together. On a connection in
 * node-postgres' pipeline mode (`pipeline: true`, set in dataSourceOptions)
 * they are written at once and PostgreSQL answers them in one round trip;
 * otherwise one after another. PostgreSQL executes them in the order they
 * were sent: each `work` must send its one statement before its first await
 * of anything else (the repositories' `queryPrepared` calls do), so the order
 * is the order given — round-trips.e2e-spec.ts checks it on the wire. When
 * several fail (after the first failure the transaction is aborted and the
 * rest fail with it), the first one's error is thrown.
 */
export async function together<T extends unknown[]>(
  m: EntityManager,
  ...work: { [K in keyof T]: () => Promise<T[K]> }
): Promise<T> {
  const runner = m.queryRunner;
  const pipelined = !!runner && !runner.isReleased && ((await runner.connect()) as PgClient).pipeline === true;
  if (!pipelined) {
    const out: unknown[] = [];
    for (const w of work) out.push(await w());
    return out as T;
  }
  const settled = await Promise.allSettled(work.map((w) => w()));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as T;
}
