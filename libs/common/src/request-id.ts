import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** A caller-supplied X-Request-Id is kept when it looks harmless, else a fresh UUID. */
export function genRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && SAFE_ID.test(given)) return given;
  return randomUUID();
}

export function requestIdOf(req: unknown): string {
  const r = req as { id?: unknown };
  return typeof r?.id === 'string' ? r.id : typeof r?.id === 'number' ? String(r.id) : 'unknown';
}
