import { overlapsBuffered } from '@app/scheduling';
import type { Interval } from '@app/scheduling';

/**
 * Whether two sessions (or a session and time off) overlap: half-open
 * intervals, so one ending exactly when the other starts does not. With a
 * buffer, each is extended by it at its end first: the test the exclusion
 * constraint `ex_bookings_supporter_overlap` makes on
 * `tstzrange(starts_at, blocked_until)`. Without, the caller's constraint
 * (`ex_bookings_caller_overlap`, no buffer) and time off.
 */
export function overlaps(a: Interval, b: Interval, bufferMinutes = 0): boolean {
  if (bufferMinutes) return overlapsBuffered(a, b, bufferMinutes);
  return a.start < b.end && b.start < a.end && a.end > a.start && b.end > b.start;
}

/** Whether `session` overlaps any of `others`. */
export function overlapsAny(session: Interval, others: Interval[], bufferMinutes = 0): boolean {
  return others.some((o) => overlaps(session, o, bufferMinutes));
}
