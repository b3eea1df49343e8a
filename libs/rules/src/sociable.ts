import { isWithinSociableHours } from '@app/scheduling';
import type { Interval, SociableHours } from '@app/scheduling';

export type SupporterKind = 'peer' | 'counsellor';

/**
 * The zones whose local sociable hours bind a session: for a peer, the
 * peer's and the caller's (once when they share one; the peer's alone when
 * the caller's is not known, as for a supporter's own slot list); for a
 * counsellor none, counselling runs 24/7.
 */
export function sociableZones(kind: SupporterKind, supporterZone: string, callerZone?: string | null): string[] {
  if (kind !== 'peer') return [];
  return callerZone && callerZone !== supporterZone ? [supporterZone, callerZone] : [supporterZone];
}

/** The whole session lies inside the sociable hours in every one of `zones` (none: no constraint). */
export function insideSociableHours(session: Interval, hours: SociableHours, zones: string[]): boolean {
  return zones.every((zone) => isWithinSociableHours(session, hours, zone));
}

/** The sociable-hours constraint of generateSlots for this pair, or none for counselling. */
export function sociableConstraint(
  kind: SupporterKind,
  hours: SociableHours,
  supporterZone: string,
  callerZone?: string | null,
): { hours: SociableHours; zones: string[] } | undefined {
  const zones = sociableZones(kind, supporterZone, callerZone);
  return zones.length ? { hours, zones } : undefined;
}
