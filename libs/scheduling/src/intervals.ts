import { Interval } from './types';
import { MINUTE_MS } from './time';

function byStart(a: Interval, b: Interval): number {
  return a.start - b.start || a.end - b.end;
}

function isSortedByStart(a: Interval[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i].start < a[i - 1].start) return false;
  return true;
}

/** A sorted copy (no copy of the elements); skips the sort when already sorted. */
export function sortedByStart(a: Interval[]): Interval[] {
  return isSortedByStart(a) ? a.slice() : a.slice().sort(byStart);
}

/**
 * The union as sorted, disjoint intervals. Empty intervals are dropped and
 * touching ones ([1,2) and [2,3)) are joined, since together they cover [1,3).
 */
export function mergeIntervals(a: Interval[]): Interval[] {
  const sorted = sortedByStart(a);
  const out: Interval[] = [];
  for (const iv of sorted) {
    if (!(iv.end > iv.start)) continue;
    const last = out[out.length - 1];
    if (last !== undefined && iv.start <= last.end) {
      if (iv.end > last.end) last.end = iv.end;
    } else {
      out.push({ start: iv.start, end: iv.end });
    }
  }
  return out;
}

/** Instants covered by both `a` and `b`, sorted and disjoint. */
export function intersectIntervals(a: Interval[], b: Interval[]): Interval[] {
  const x = mergeIntervals(a);
  const y = mergeIntervals(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const start = Math.max(x[i].start, y[j].start);
    const end = Math.min(x[i].end, y[j].end);
    if (end > start) out.push({ start, end });
    if (x[i].end < y[j].end) i++;
    else j++;
  }
  return out;
}

/** Instants covered by `a` but not by `b`, sorted and disjoint. */
export function subtractIntervals(a: Interval[], b: Interval[]): Interval[] {
  const x = mergeIntervals(a);
  const y = mergeIntervals(b);
  const out: Interval[] = [];
  let j = 0;
  for (const iv of x) {
    let cursor = iv.start;
    while (j < y.length && y[j].end <= cursor) j++;
    let k = j;
    while (k < y.length && y[k].start < iv.end) {
      if (y[k].start > cursor) out.push({ start: cursor, end: y[k].start });
      if (y[k].end > cursor) cursor = y[k].end;
      if (cursor >= iv.end) break;
      k++;
    }
    if (cursor < iv.end) out.push({ start: cursor, end: iv.end });
  }
  return out;
}

/**
 * `interval` lies wholly inside ONE of `windows` (unsorted is fine). Touching
 * windows are not joined here: pass `mergeIntervals(windows)` for that.
 */
export function isInsideAnyWindow(interval: Interval, windows: Interval[]): boolean {
  if (!(interval.end > interval.start)) return false;
  for (const w of windows) {
    if (w.start <= interval.start && interval.end <= w.end) return true;
  }
  return false;
}

/**
 * Whether [a.start, a.end + buffer) and [b.start, b.end + buffer) overlap:
 * exactly what the exclusion constraint on tstzrange(starts_at, ends_at +
 * buffer) enforces (an empty range overlaps nothing there, nor here).
 */
export function overlapsBuffered(a: Interval, b: Interval, bufferMinutes: number): boolean {
  const buffer = bufferMinutes * MINUTE_MS;
  const aEnd = a.end + buffer;
  const bEnd = b.end + buffer;
  if (!(aEnd > a.start) || !(bEnd > b.start)) return false;
  return a.start < bEnd && b.start < aEnd;
}

/** Index of the first interval in sorted, disjoint `a` whose end is after `t`. */
export function firstEndingAfter(a: Interval[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid].end <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
