import { Injectable, Logger } from '@nestjs/common';
import { RateLimiter, RateLimits, Reservation } from '@app/database';

/** Failed sign-ins allowed per minute by each of the three limits below; the 11th is 429. */
export const FAILED_LOGINS_PER_MINUTE = 10;
/** An address the account signed in from stays "its own" for this long. */
export const KNOWN_ADDRESS_DAYS = 30;
/** Blocks after a limit is spent: 1, 2, 4, … minutes, at most an hour, remembered for a day. */
const GROWING = { firstSeconds: 60, maxSeconds: 3600, memorySeconds: 86_400 };

const DETAIL = 'Too many failed sign-in attempts. Please wait and try again.';

/** The attempts a sign-in holds while its password is verified. */
export interface LoginAttempt {
  /** The password was right: the attempt does not count as a failure, and the address becomes the account's own. */
  succeeded(): Promise<void>;
}

/**
 * The sign-in throttle (OWASP's authentication and credential-stuffing
 * guidance; the policy is in the README, "Operational notes"):
 *
 * - per address: 10 failed sign-ins a minute, whatever the account;
 * - per (address, account): 10 failed a minute, then blocks growing 1, 2, 4, …
 *   minutes up to an hour (remembered for a day): the tight limit;
 * - per account, counting only addresses it has not signed in from in the
 *   last 30 days: 10 failed a minute, then the same growing blocks. An
 *   attacker rotating addresses spends this limit, and then no new address
 *   gets a guess evaluated, but the owner, at an address of its own, is never
 *   held back by it: nobody can lock an account out by failing on purpose.
 *
 * Each attempt is reserved in the shared store before its password is
 * verified (one atomic statement per limit), so however many arrive at once,
 * from however many API processes, at most 10 per window are evaluated. A
 * sign-in that succeeds gives its reservations back: only failures count.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('LoginThrottle');
  private readonly byAddress: RateLimiter;
  private readonly byAddressAndAccount: RateLimiter;
  private readonly byAccount: RateLimiter;
  private readonly knownAddresses: RateLimiter;

  constructor(limits: RateLimits) {
    const minute = { points: FAILED_LOGINS_PER_MINUTE, durationSeconds: 60 };
    this.byAddress = limits.limiter({ name: 'login_ip', ...minute });
    this.byAddressAndAccount = limits.limiter({ name: 'login_ip_account', ...minute, growingBlock: GROWING });
    this.byAccount = limits.limiter({ name: 'login_account', ...minute, growingBlock: GROWING });
    this.knownAddresses = limits.limiter({
      name: 'login_known',
      points: 1,
      durationSeconds: KNOWN_ADDRESS_DAYS * 86_400,
    });
  }

  /**
   * Reserves one attempt of `address` at `account` (the e-mail, trimmed and in
   * lower case) or throws 429 `rate_limited` with `retryAfter`. A refused
   * attempt holds nothing.
   */
  async reserve(address: string, account: string): Promise<LoginAttempt> {
    const pair = `${address}\u0000${account}`;
    const own = await this.knownAddresses.has(pair);
    const held: Reservation[] = [];
    try {
      held.push(await this.byAddressAndAccount.reserve(pair, DETAIL));
      held.push(await this.byAddress.reserve(address, DETAIL));
      if (!own) held.push(await this.byAccount.reserve(account, DETAIL));
    } catch (err) {
      // Not evaluated, so not a failure: what was reserved is given back.
      await this.giveBack(held);
      throw err;
    }
    return {
      succeeded: async () => {
        await Promise.all([
          this.giveBack(held),
          this.knownAddresses.mark(pair, KNOWN_ADDRESS_DAYS * 86_400).catch(() => this.storeTrouble()),
        ]);
      },
    };
  }

  private async giveBack(held: Reservation[]): Promise<void> {
    // Giving back is a courtesy (the counts stay on the safe side when it fails): never the answer's failure.
    await Promise.all(held.map((r) => r.release().catch(() => this.storeTrouble())));
  }

  private storeTrouble(): void {
    this.logger.warn('a sign-in reservation could not be given back (the counts stay on the safe side)');
  }
}
