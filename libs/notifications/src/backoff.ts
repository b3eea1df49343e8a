/** Retry timing of the outbox: pure, so it can be tested without a clock. */

export interface BackoffOptions {
  /** The delay after the first failed attempt is 2 × base. */
  backoffBaseMs: number;
  /** No wait is ever longer than this. */
  backoffCapMs: number;
  /** Up to this fraction is added at random, so that many messages failed together do not retry together. */
  jitter: number;
}

/**
 * How long to wait after the `attempts`-th failed attempt: base × 2^attempts
 * (2 s, 4 s, 8 s … with a 1 s base), capped, plus up to `jitter` of it.
 */
export function backoffMs(attempts: number, o: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(Math.max(attempts, 0), 40);
  const base = Math.min(o.backoffCapMs, o.backoffBaseMs * 2 ** exp);
  return Math.min(o.backoffCapMs, Math.round(base * (1 + o.jitter * random())));
}
