import { createHash } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';

/** The table of migrations/…-RateLimits.ts: one row per key, shared by every API process. */
export const RATE_LIMITS_TABLE = 'rate_limits';

/** Seconds a client is told to wait when the limiter's store cannot answer (503). */
export const STORE_DOWN_RETRY_AFTER = 5;

const CLEANUP_EVERY_MS = 5 * 60_000;
/** Rows are kept an hour past their expiry (as the library's own cleanup does), then deleted. */
const KEEP_EXPIRED_MS = 60 * 60_000;

export interface RateLimitRule {
  /** Unique per limit: the prefix of its keys (`manage`, `login_ip`, …). */
  name: string;
  /** Hits allowed per window. */
  points: number;
  /** The window, in seconds, from a key's first hit. */
  durationSeconds: number;
  /**
   * Once a key is over its limit it is blocked, each time longer: the nth
   * block within `memorySeconds` lasts `firstSeconds`·2^(n−1), at most
   * `maxSeconds`. Without it a key waits only for its window to end.
   */
  growingBlock?: { firstSeconds: number; maxSeconds: number; memorySeconds: number };
}

/** A hit that was let through and may be given back (`release`) when it should not count. */
export interface Reservation {
  release(): Promise<void>;
}

/**
 * One limit over the shared PostgreSQL store. Every call is a single atomic
 * statement (INSERT … ON CONFLICT DO UPDATE … RETURNING), so concurrent hits
 * from any number of processes are counted exactly: the (points+1)th in a
 * window is refused, whoever sends it.
 *
 * Keys are hashed before they are stored: the table never holds an address or
 * an e-mail in clear.
 *
 * A store failure (PostgreSQL down, pool exhausted, a timeout) is answered 503
 * `service_unavailable` with Retry-After, never let through: the endpoints we
 * limit need the same database a moment later anyway, and letting a login
 * through unlimited whenever the limiter's own statement fails would open the
 * door to brute force exactly when the system is struggling.
 */
export class RateLimiter {
  constructor(
    private readonly store: RateLimiterPostgres,
    readonly rule: RateLimitRule,
    /** Counts the blocks of each key (growingBlock only). */
    private readonly blocks: RateLimiterPostgres | null = null,
  ) {}

  /** Counts a hit; throws 429 `rate_limited` (with `retryAfter`) when the key is over its limit. */
  async consume(key: string, detail = 'Too many requests. Please wait and try again.'): Promise<void> {
    await this.reserve(key, detail);
  }

  /** Like consume, and returns the hit so that it can be given back. */
  async reserve(key: string, detail = 'Too many requests. Please wait and try again.'): Promise<Reservation> {
    const k = digest(key);
    try {
      await this.store.consume(k);
    } catch (err) {
      if (err instanceof RateLimiterRes && this.blocks && err.consumedPoints === this.rule.points + 1) {
        // The first refused hit of this window (counted atomically: exactly one request sees it) starts a block.
        throw toDomainError(await this.startBlock(k).catch((e: unknown) => e), detail);
      }
      throw toDomainError(err, detail);
    }
    return { release: () => this.release(k) };
  }

  /** Blocks the key for its next, longer, block; the answer to give (a RateLimiterRes saying how long). */
  private async startBlock(hashedKey: string): Promise<RateLimiterRes> {
    const { firstSeconds, maxSeconds } = this.rule.growingBlock!;
    const nth = (await this.blocks!.penalty(hashedKey)).consumedPoints;
    const seconds = Math.min(maxSeconds, firstSeconds * 2 ** Math.min(nth - 1, 30));
    return this.store.block(hashedKey, seconds);
  }

  /**
   * Blocks the key for `seconds` from now (its window restarts then). The
   * answer of a request refused by the block says how long is left.
   */
  async block(key: string, seconds: number): Promise<void> {
    try {
      await this.store.block(digest(key), seconds);
    } catch (err) {
      throw toDomainError(err, '');
    }
  }

  /**
   * Counts a hit without refusing: the hits of this key in the current window,
   * this one included (for counters such as "how many times was this account
   * blocked today").
   */
  async count(key: string): Promise<number> {
    try {
      return (await this.store.penalty(digest(key))).consumedPoints;
    } catch (err) {
      throw toDomainError(err, '');
    }
  }

  /** Records that the key holds (one point, for `seconds`): a marker such as "signed in from here". */
  async mark(key: string, seconds: number): Promise<void> {
    try {
      await this.store.set(digest(key), 1, seconds);
    } catch (err) {
      throw toDomainError(err, '');
    }
  }

  /** Whether the key has any hit (or mark) in its current window. */
  async has(key: string): Promise<boolean> {
    try {
      const res = await this.store.get(digest(key));
      return !!res && res.consumedPoints > 0;
    } catch (err) {
      throw toDomainError(err, '');
    }
  }

  private async release(hashedKey: string): Promise<void> {
    try {
      await this.store.reward(hashedKey);
    } catch (err) {
      throw toDomainError(err, '');
    }
  }
}

/**
 * Makes the limits of the process: each a RateLimiterPostgres on the app's own
 * TypeORM pool (no second pool), over the table the migration made. Also keeps
 * that table short: every five minutes rows an hour past their expiry go.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimits');
  private timer: NodeJS.Timeout | null = null;
  private cleanupFailing = false;

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  limiter(rule: RateLimitRule): RateLimiter {
    const store = new RateLimiterPostgres({
      storeClient: this.ds,
      storeType: 'typeorm',
      tableName: RATE_LIMITS_TABLE,
      tableCreated: true,
      // Our own cleanup below, one per process rather than one timer per limit.
      clearExpiredByTimeout: false,
      keyPrefix: rule.name,
      points: rule.points,
      duration: rule.durationSeconds,
    });
    const blocks = rule.growingBlock
      ? new RateLimiterPostgres({
          storeClient: this.ds,
          storeType: 'typeorm',
          tableName: RATE_LIMITS_TABLE,
          tableCreated: true,
          clearExpiredByTimeout: false,
          keyPrefix: `${rule.name}_blocks`,
          points: Number.MAX_SAFE_INTEGER,
          duration: rule.growingBlock.memorySeconds,
        })
      : null;
    return new RateLimiter(store, rule, blocks);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.deleteExpired(), CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Deletes the rows that expired over an hour ago; the number deleted. Never throws (a failed round is logged once). */
  async deleteExpired(now = Date.now()): Promise<number> {
    try {
      const [, deleted] = await this.ds.query<[unknown, number]>(`DELETE FROM ${RATE_LIMITS_TABLE} WHERE expire < $1`, [
        now - KEEP_EXPIRED_MS,
      ]);
      if (this.cleanupFailing) this.logger.log('rate limit cleanup works again');
      this.cleanupFailing = false;
      return deleted;
    } catch (err) {
      if (!this.cleanupFailing)
        this.logger.warn(
          `rate limit cleanup failed (${(err as { code?: string }).code ?? (err as Error).name}); retried every five minutes`,
        );
      this.cleanupFailing = true;
      return 0;
    }
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url');
}

const storeLogger = new Logger('RateLimiter');

function toDomainError(err: unknown, detail: string): DomainError {
  if (err instanceof RateLimiterRes) {
    return new DomainError('rate_limited', detail, { retryAfter: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) });
  }
  // The kind and PostgreSQL's code only: the statement's parameters are never logged.
  storeLogger.warn(
    `rate limit store failed (${(err as { code?: string })?.code ?? (err as Error)?.name ?? typeof err}): answered 503`,
  );
  return new DomainError('service_unavailable', 'The service is briefly unavailable. Please try again in a moment.', {
    retryAfter: STORE_DOWN_RETRY_AFTER,
  });
}
