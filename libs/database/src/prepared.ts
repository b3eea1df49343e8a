import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** node-postgres' public query call with a named statement (`Client#query({ name, text, values })`). */
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
 * Runs `sql` on the transaction's connection (TypeORM's public
 * `QueryRunner#connect()`, which answers the pg client) as a named prepared
 * statement, which PostgreSQL parses once per connection and, after a few
 * runs, plans once (a generic plan) — for the hot paths, whose long
 * statements otherwise cost more to parse and plan than to run. Outside a
 * transaction, a plain query. Errors are node-postgres' own (the pg-errors
 * helpers read both). Only for statements whose text is one of a few fixed
 * shapes: every distinct text is a prepared statement on every connection
 * that runs it.
 */
export async function queryPrepared<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = m.queryRunner;
  if (!runner || runner.isReleased) return m.query(sql, params);
  const client = (await runner.connect()) as PgClient;
  const result = await client.query({ name: nameOf(sql), text: sql, values: params });
  return result.rows as T[];
}
