import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { DomainError } from '@app/common';
import { IdempotencyRepository } from './idempotency.repository';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** A request's identity for its Idempotency-Key: its kind and its body, keys sorted (the order a client sends them in does not matter). */
export function hashRequest(kind: string, body: object): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(kind)
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

/**
 * Runs a use case at most once per (user, Idempotency-Key): the key is
 * claimed in the use case's own transaction (a concurrent twin waits for it,
 * then replays the stored response), the response stored in it too. The
 * same key with a different request is 422 idempotency_mismatch; keys live
 * 24 h. Without a key the work simply runs in the transaction.
 */
@Injectable()
export class Idempotency {
  constructor(private readonly keys: IdempotencyRepository) {}

  async run<T>(
    m: EntityManager,
    user: AuthUser,
    key: string | undefined,
    /** Computed only when a key is given. */
    hashOfRequest: () => string,
    work: (m: EntityManager) => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    if (key !== undefined && (key.length < 1 || key.length > 255)) {
      throw DomainError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
    }
    if (key) {
      const requestHash = hashOfRequest();
      const earlier = await this.keys.claimIdempotencyKey(user.id, key, requestHash, m);
      if (earlier) {
        if (earlier.requestHash !== requestHash) {
          throw new DomainError(
            'idempotency_mismatch',
            'This Idempotency-Key was used with a different request. Use a new key for a new booking.',
          );
        }
        if (earlier.response)
          return { status: earlier.response.status, body: earlier.response.body as T, replayed: true };
      }
    }
    const result = await work(m);
    if (key) await this.keys.storeIdempotentResponse(user.id, key, result, m);
    return { ...result, replayed: false };
  }
}
