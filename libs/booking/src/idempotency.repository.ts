import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** The idempotency_keys table: one row per (user, key), with the request's hash and, once answered, its response. */
@Injectable()
export class IdempotencyRepository {
  /**
   * Claims (user, key) inside the caller's transaction. A concurrent request
   * with the same key waits on the primary key until this transaction ends,
   * then sees its stored response. Keys older than 24 h are reclaimed.
   * Returns null when claimed, else the earlier request's hash and response.
   */
  async claimIdempotencyKey(
    userId: string,
    key: string,
    requestHash: string,
    m: EntityManager,
  ): Promise<{ requestHash: string; response: StoredResponse | null } | null> {
    const claimed: unknown[] = await m.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response_status = NULL, response_body = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - interval '24 hours'
       RETURNING 1`,
      [userId, key, requestHash],
    );
    if (claimed.length) return null;
    const [row]: { request_hash: string; response_status: number | null; response_body: unknown }[] = await m.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    return {
      requestHash: row.request_hash,
      response: row.response_status ? { status: row.response_status, body: row.response_body } : null,
    };
  }

  async storeIdempotentResponse(
    userId: string,
    key: string,
    response: StoredResponse,
    m: EntityManager,
  ): Promise<void> {
    await m.query(
      `UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2`,
      [userId, key, response.status, JSON.stringify(response.body)],
    );
  }
}
