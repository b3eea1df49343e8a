import { Millis } from './types';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const MINUTES_PER_DAY = 1440;

/** `t` moved by a whole number of real (elapsed) minutes. */
export function addMinutes(t: Millis, minutes: number): Millis {
  return t + minutes * MINUTE_MS;
}

/** ISO 8601 in UTC with milliseconds, e.g. "2027-03-28T17:00:00.000Z". */
export function toIso(t: Millis): string {
  return new Date(t).toISOString();
}
