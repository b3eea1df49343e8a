/**
 * A supporter **has supported this caller before** when they share a booking
 * in one of these statuses (not cancelled, not a no-show). The booking
 * library's queries name them in SQL from here; matching puts such a
 * supporter first (continuityFirst).
 */
export const CONTINUITY_STATUSES = ['confirmed', 'completed'] as const;

/** These statuses as an SQL list of literals (`'confirmed', 'completed'`), for a statement's fixed text. */
export function continuityStatusesSql(): string {
  return CONTINUITY_STATUSES.map((s) => `'${s}'`).join(', ');
}

/** Order: those who have supported the caller before first; 0 when both or neither have. */
export function continuityFirst(a: { supportedBefore: boolean }, b: { supportedBefore: boolean }): number {
  if (a.supportedBefore === b.supportedBefore) return 0;
  return a.supportedBefore ? -1 : 1;
}
