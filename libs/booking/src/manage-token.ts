import { createHash, randomBytes } from 'node:crypto';

/** A fresh manage token (32 random bytes, base64url) and the hash that is all we keep of it. */
export function newManageToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashManageToken(token) };
}

export function hashManageToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 32 bytes in base64url are 43 characters; anything else cannot be one of ours. */
export function isManageToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
