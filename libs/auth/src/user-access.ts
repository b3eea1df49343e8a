import { Injectable } from '@nestjs/common';
import { UsersRepository } from './users.repository';

/** How long one process trusts its last answer about a user's access. */
export const ACCESS_CHECK_TTL_MS = 5_000;
const MAX_REMEMBERED = 10_000;

/**
 * Whether a token's user still exists and is active, asked on every
 * authenticated request. Answers are kept for ACCESS_CHECK_TTL_MS, so a
 * deactivation takes effect at once in the process that made it and within
 * five seconds in any other, at the cost of one primary-key lookup per user
 * per five seconds.
 */
@Injectable()
export class UserAccess {
  private readonly answers = new Map<string, { active: boolean; until: number }>();

  constructor(private readonly users: UsersRepository) {}

  async isActive(userId: string): Promise<boolean> {
    const now = Date.now();
    const known = this.answers.get(userId);
    if (known && known.until > now) return known.active;
    const active = await this.users.isActive(userId);
    if (this.answers.size >= MAX_REMEMBERED) this.answers.clear();
    this.answers.set(userId, { active, until: now + ACCESS_CHECK_TTL_MS });
    return active;
  }

  forget(userId: string): void {
    this.answers.delete(userId);
  }
}
