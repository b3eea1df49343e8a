import { Interval, Millis, SociableHours, WeeklyRule } from './types';
import { parseRule, parseSociableHours } from './rules';
import { DAY_MS, MINUTE_MS } from './time';
import { weekdayOfDay, zoneClock, ZoneClock } from './zone-clock';

/*
 * Wall-clock → instants. DST rules (tested in calendar.spec.ts, described in
 * the README):
 * - a wall time inside a skipped hour moves forward by the gap: 01:30 on
 *   2027-03-28 in Europe/London is read as 02:30 BST = 01:30Z;
 * - an ambiguous wall time takes the EARLIER instant: 01:30 on 2027-10-31 in
 *   Europe/London is 01:30 BST = 00:30Z;
 * - an end of "24:00" is the next local midnight;
 * - a window that comes out empty (e.g. 01:00-02:00 on the spring-forward day
 *   in London) is dropped.
 */

type Span = { start: number; end: number };

/**
 * `dayCache` (optional) keeps each local day's windows (before the range is applied): the same rules in the same
 * zone always give the same windows on a given date, and matching asks for the same few days of a thousand
 * supporters on every request. The windows in it are frozen and shared: callers must not change them.
 */
function expandDaily(
  clock: ZoneClock,
  range: Interval,
  spansForWeekday: Span[][],
  dayCache?: Map<number, readonly Interval[]>,
): Interval[] {
  if (!Number.isFinite(range.start) || !Number.isFinite(range.end)) {
    throw new RangeError('range must have finite start and end');
  }
  if (!(range.end > range.start)) return [];
  const out: Interval[] = [];
  // One day of margin each side: a window belongs to the local date it starts on.
  const firstDay = clock.localDayOf(range.start) - 1;
  const lastDay = clock.localDayOf(range.end) + 1;
  let sorted = true;
  for (let d = firstDay; d <= lastDay; d++) {
    let windows = dayCache?.get(d);
    if (windows === undefined) {
      const spans = spansForWeekday[weekdayOfDay(d)];
      const made: Interval[] = [];
      for (let i = 0; i < spans.length; i++) {
        const start = clock.wallToInstant(d, spans[i].start);
        const end = clock.wallToInstant(d, spans[i].end);
        if (end > start) made.push(Object.freeze({ start, end }));
      }
      windows = made;
      dayCache?.set(d, windows);
    }
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i];
      if (w.end <= range.start || w.start >= range.end) continue;
      const last = out[out.length - 1];
      if (last !== undefined && w.start < last.start) sorted = false;
      out.push(w);
    }
  }
  if (!sorted) out.sort((a, b) => a.start - b.start || a.end - b.end);
  return dedupeIdentical(out);
}

function dedupeIdentical(sorted: Interval[]): Interval[] {
  let w = 0;
  for (let r = 0; r < sorted.length; r++) {
    if (w > 0 && sorted[w - 1].start === sorted[r].start && sorted[w - 1].end === sorted[r].end) continue;
    sorted[w++] = sorted[r];
  }
  sorted.length = w;
  return sorted;
}

/**
 * The concrete windows of weekly wall-clock `rules` in `zone` that overlap
 * `range`, as instants. Windows are NOT clipped to the range (slot grids are
 * anchored at a window's real start). Sorted by start; only identical windows
 * are merged. Rules that fail validateWeeklyRules are ignored. Throws
 * RangeError for an unknown zone.
 */
export function expandWeeklyRules(rules: WeeklyRule[], zone: string, range: Interval): Interval[] {
  const kept = keptFor(rules, zone);
  return expandDaily(zoneClock(zone), range, kept.byWeekday, kept.days);
}

/**
 * Per rules array: the rules parsed and sorted by weekday, and the windows of each local day asked for in one zone,
 * up to DAYS_KEPT days. Matching expands the same supporters' rules (one array per supporter, kept between
 * requests) over the same few days on every request, so both are kept until the array is dropped. An array that
 * grows or shrinks is read again; one whose rules are edited in place must be passed as a new array.
 */
const kept = new WeakMap<
  WeeklyRule[],
  { length: number; byWeekday: Span[][]; zone: string; days: Map<number, readonly Interval[]> }
>();
const DAYS_KEPT = 120;

function keptFor(rules: WeeklyRule[], zone: string) {
  let k = kept.get(rules);
  if (!k || k.length !== rules.length) {
    k = { length: rules.length, byWeekday: parseByWeekday(rules), zone, days: new Map() };
    kept.set(rules, k);
  } else if (k.zone !== zone || k.days.size > DAYS_KEPT) {
    k.zone = zone;
    k.days = new Map();
  }
  return k;
}

function parseByWeekday(rules: WeeklyRule[]): Span[][] {
  const byWeekday: Span[][] = [[], [], [], [], [], [], [], []];
  for (const rule of rules) {
    const r = parseRule(rule);
    if (r !== null) byWeekday[r.weekday].push({ start: r.start, end: r.end });
  }
  for (const spans of byWeekday) spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return byWeekday;
}

/** The sociable-hours windows in `zone` (one per listed local day) that overlap `range`, sorted, not clipped. */
export function sociableIntervals(hours: SociableHours, zone: string, range: Interval): Interval[] {
  // One match asks the same (zone, range) for every supporter: keep the last few answers. Callers get a
  // shared, frozen array and must not change it.
  const key = `${zone}|${range.start}|${range.end}|${hours.start}|${hours.end}|${hours.weekdays.join(',')}`;
  const hit = SOCIABLE_MEMO.get(key);
  if (hit) return hit;
  const computed = Object.freeze(
    computeSociableIntervals(hours, zone, range).map((iv) => Object.freeze(iv)),
  ) as Interval[];
  if (SOCIABLE_MEMO.size >= SOCIABLE_MEMO_SIZE) SOCIABLE_MEMO.delete(SOCIABLE_MEMO.keys().next().value!);
  SOCIABLE_MEMO.set(key, computed);
  return computed;
}

const SOCIABLE_MEMO = new Map<string, Interval[]>();
const SOCIABLE_MEMO_SIZE = 256;

function computeSociableIntervals(hours: SociableHours, zone: string, range: Interval): Interval[] {
  const clock = zoneClock(zone);
  const h = parseSociableHours(hours);
  const byWeekday: Span[][] = [[], [], [], [], [], [], [], []];
  for (const weekday of h.weekdays) byWeekday[weekday].push({ start: h.start, end: h.end });
  return expandDaily(clock, range, byWeekday);
}

/**
 * The whole session lies inside the sociable hours in `zone`: it starts at or
 * after hours.start and ends at or before hours.end (exactly at end is
 * inside) on one listed local weekday. Start and end must share a local date,
 * except that an end of "24:00" admits ending exactly at the next midnight.
 */
export function isWithinSociableHours(interval: Interval, hours: SociableHours, zone: string): boolean {
  if (!(interval.end >= interval.start)) return false;
  const clock = zoneClock(zone);
  const h = parseSociableHours(hours);
  const localStart = clock.instantToLocal(interval.start);
  const localEnd = clock.instantToLocal(interval.end);
  const day = Math.floor(localStart / DAY_MS);
  if (!h.weekdays.has(weekdayOfDay(day))) return false;
  const fromMidnight = localStart - day * DAY_MS;
  const endFromMidnight = localEnd - day * DAY_MS;
  // hours.end <= 24:00, so ending by it also keeps the end on the same local
  // date (a "24:00" end admits exactly the next midnight).
  return fromMidnight >= h.start * MINUTE_MS && endFromMidnight >= fromMidnight && endFromMidnight <= h.end * MINUTE_MS;
}

/**
 * Starts of a series: occurrence i is i * intervalWeeks weeks after `first`
 * at the same wall-clock time in `zone` (18:00 London stays 18:00 London over
 * the March change), resolved by the DST rules above. Occurrence 0 is `first`.
 */
export function seriesStarts(first: Millis, zone: string, count: number, intervalWeeks: number): Millis[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a whole number >= 0');
  if (!Number.isInteger(intervalWeeks) || intervalWeeks < 1) {
    throw new RangeError('intervalWeeks must be a whole number >= 1');
  }
  const clock = zoneClock(zone);
  const local = clock.instantToLocal(first);
  const out: Millis[] = [];
  for (let i = 0; i < count; i++) {
    out.push(i === 0 ? first : clock.localToInstant(local + i * intervalWeeks * 7 * DAY_MS));
  }
  return out;
}
