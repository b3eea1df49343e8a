import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { PipeliningClient } from './pipelining-client';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const names = new Map<string, string>();
const MAX_REMEMBERED = 1000;

/** A statement's name is a hash of its text: one text, one name, on every connection. */
function nameOf(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `p_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    if (names.size < MAX_REMEMBERED) names.set(sql, name);
  }
  return name;
}

/**
 * Runs `sql` on the transaction's connection as a named prepared statement,
 * which PostgreSQL parses once per connection and, after a few runs, plans
 * once (a generic plan) — for the hot paths, whose long statements otherwise
 * cost more to parse and plan than to run. Outside a transaction, a plain
 * query. Errors are node-postgres' own (the pg-errors helpers read both).
 * Only for statements whose text is one of a few fixed shapes: every
 * distinct text is a prepared statement on every connection that runs it.
 *
 * `commit: true` says this is the transaction's last statement: it is sent
 * with the COMMIT (one round trip for both), and nothing more may run in the
 * transaction. When the transaction then fails in code (say a refusal read off
 * the result), it has already committed: use it only for a statement that
 * changes nothing unless the transaction is to succeed.
 */
export async function queryPrepared<T>(m: EntityManager, sql: string, params: unknown[], opts: { commit?: boolean } = {}): Promise<T[]> {
  const runner = m.queryRunner as unknown as { connect(): Promise<PgClient>; isReleased: boolean } | undefined;
  if (!runner || runner.isReleased) return m.query(sql, params);
  const client = await runner.connect();
  const statement = { name: nameOf(sql), text: sql, values: params };
  if (opts.commit && client instanceof PipeliningClient && client.canCommitWith) {
    return (await client.commitWith(statement)).rows as T[];
  }
  const result = await client.query(statement);
  return result.rows as T[];
}
