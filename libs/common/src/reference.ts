import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be confused when read over the phone: no 0/O, no 1/I. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** "PS-7K3Q-9D": 32^6 ≈ 10^9 values; uniqueness is a database constraint, collisions are retried. */
export function readableReference(prefix: string): string {
  const pick = () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  const group = (n: number) => Array.from({ length: n }, pick).join('');
  return `${prefix}-${group(4)}-${group(2)}`;
}
