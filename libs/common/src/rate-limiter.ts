import { DomainError } from './domain-error';

/**
 * A sliding-window counter kept in memory, per key. Good for one API process;
 * several processes each count on their own (documented in the README).
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until a blocked key may try again, or 0 when it is not blocked. */
  retryAfter(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.limit] + this.windowMs - this.now()) / 1000));
  }

  record(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.hits.set(key, list);
    this.sweep();
  }

  /** Records a hit and throws 429 rate_limited when the key is over its limit. */
  consume(key: string, detail = 'Too many requests. Please wait and try again.'): void {
    const wait = this.retryAfter(key);
    if (wait > 0) throw new DomainError('rate_limited', detail, { retryAfter: wait });
    this.record(key);
  }

  assertAllowed(key: string, detail = 'Too many attempts. Please wait and try again.'): void {
    const wait = this.retryAfter(key);
    if (wait > 0) throw new DomainError('rate_limited', detail, { retryAfter: wait });
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > cutoff);
    return list;
  }

  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, list] of this.hits) {
      if (!list.length || list[list.length - 1] <= now - this.windowMs) this.hits.delete(key);
    }
  }
}
