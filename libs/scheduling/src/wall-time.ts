import { IANAZone, Info } from 'luxon';
import { zoneClock } from './zone-clock';

const WALL_TIME = /^(\d{2}):(\d{2})$/;

/**
 * Minutes since midnight for a strict "HH:mm" (00:00..23:59). "24:00" means
 * the end of the day (1440) and is accepted only with `allowEndOfDay`, because
 * a window may end at midnight but nothing may start there.
 */
export function parseWallTime(value: string, opts?: { allowEndOfDay?: boolean }): number | null {
  if (typeof value !== 'string') return null;
  // Rules are parsed on every expansion (the matching hot path): remember the few valid answers.
  const known = PARSED.get(value);
  if (known !== undefined) return known === 1440 && !opts?.allowEndOfDay ? null : known;
  const parsed = parse(value);
  if (parsed !== null) PARSED.set(value, parsed);
  return parsed === 1440 && !opts?.allowEndOfDay ? null : parsed;
}

/** At most 1,441 entries ("00:00" … "24:00"): only valid strings are kept. */
const PARSED = new Map<string, number>();

function parse(value: string): number | null {
  const m = WALL_TIME.exec(value);
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours === 24 && minutes === 0) return 1440;
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

/** "HH:mm" for minutes since midnight (1440 → "24:00"). */
export function formatWallTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * An IANA zone name luxon (and so Intl) knows. Fixed offsets such as "+01:00"
 * are refused on purpose: they do not follow daylight saving, which is almost
 * never what a person living somewhere means.
 */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  if (/^[+-]/.test(zone) || /^\d/.test(zone)) return false;
  return IANAZone.isValidZone(zone);
}

/** A wall-clock reading: what a clock on the wall in some zone showed at an instant. */
export interface WallClock {
  year: number;
  /** 1 = January */
  month: number;
  day: number;
  /** ISO: 1 = Monday … 7 = Sunday */
  weekday: number;
  hour: number;
  minute: number;
}

/**
 * The wall clock in `zone` at instant `t`, through the process's cached zone
 * offsets (zone-clock.ts) instead of a luxon DateTime, whose every construction
 * in a named zone asks Intl for the offset (~10 µs). Throws RangeError for an
 * unknown zone.
 */
export function wallClockAt(t: number, zone: string): WallClock {
  const local = new Date(zoneClock(zone).instantToLocal(t));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: ((local.getUTCDay() + 6) % 7) + 1,
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

// Day and month names as luxon gives them for en-GB, looked up once: asking Intl
// for them on every message or match reason cost more than the rest of the text.
const NAMES = {
  weekday: { long: Info.weekdays('long', { locale: 'en-GB' }), short: Info.weekdays('short', { locale: 'en-GB' }) },
  month: { long: Info.months('long', { locale: 'en-GB' }), short: Info.months('short', { locale: 'en-GB' }) },
};

/** "Sunday 28 March 2027", "Sun 28 Mar 2027", or without the year "Sun 28 Mar" (en-GB, as luxon's cccc/ccc d LLLL/LLL yyyy). */
export function wallDateText(w: WallClock, opts: { width: 'long' | 'short'; year: boolean }): string {
  const date = `${NAMES.weekday[opts.width][w.weekday - 1]} ${w.day} ${NAMES.month[opts.width][w.month - 1]}`;
  return opts.year ? `${date} ${w.year}` : date;
}

/** "HH:mm" of a wall-clock reading. */
export function wallTimeText(w: WallClock): string {
  return formatWallTime(w.hour * 60 + w.minute);
}
