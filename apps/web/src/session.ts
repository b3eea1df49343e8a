// The signed-in session lives in sessionStorage: it ends with the tab.
import type { Role } from './api/types';

export interface Session {
  token: string;
  user: { id: string; email: string; role: Role; supporterId: string | null };
}

const KEY = 'dsl.session';
const listeners = new Set<() => void>();
let cached: { raw: string | null; value: Session | null } = { raw: null, value: null };

export function subscribeSession(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function getSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw !== cached.raw) cached = { raw, value: raw ? (JSON.parse(raw) as Session) : null };
    return cached.value;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
  for (const l of listeners) l();
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

/** The supporter a supporter user is linked to: from the user, else the token's `sid` claim. */
export function supporterIdFrom(token: string, user: { supporterId?: string | null }): string | null {
  if (user.supporterId) return user.supporterId;
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { sid?: string | null };
    return claims.sid ?? null;
  } catch {
    return null;
  }
}

export function homeFor(role: Role): string {
  return role === 'supporter' ? '/my-week' : '/intakes';
}
