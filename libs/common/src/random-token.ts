import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `bytes` bytes from the CSPRNG, as `randomBytes(bytes)` gives them, but drawn
 * from a pool filled 4 KiB at a time (as node's randomUUID does): one call into
 * OpenSSL per 128 tokens instead of one per token. Every byte is handed out once.
 */
export function randomTokenBytes(bytes: number): Buffer {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.alloc(bytes));
  if (offset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + bytes));
  offset += bytes;
  return out;
}
