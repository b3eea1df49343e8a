import { Interval, SlotQuery } from './types';
import { firstEndingAfter, mergeIntervals, sortedByStart } from './intervals';
import { sociableIntervals } from './calendar';
import { MINUTE_MS } from './time';

/** `pieces` cut down to `allowed` (sorted, disjoint); each piece stays apart even where two touch. */
function cutTo(pieces: Interval[], allowed: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const p of pieces) {
    for (let k = firstEndingAfter(allowed, p.start); k < allowed.length && allowed[k].start < p.end; k++) {
      const start = Math.max(p.start, allowed[k].start);
      const end = Math.min(p.end, allowed[k].end);
      if (end > start) out.push({ start, end });
    }
  }
  return out;
}

/**
 * The free bookable slots (see the README for the grid): each window (first
 * cut to the sociable hours of every zone in q.sociable) yields slots at its
 * start and then every duration + buffer while [s, s + duration) fits; a
 * slot is left out when it overlaps a booking with buffers (as
 * overlapsBuffered), overlaps time off, starts before q.earliestStart or
 * q.range.start, or ends after q.latestEnd or q.range.end. Sorted, never
 * overlapping, at most q.limit.
 */
export function generateSlots(q: SlotQuery): Interval[] {
  if (!(q.durationMinutes > 0) || !Number.isFinite(q.durationMinutes)) {
    throw new RangeError('durationMinutes must be a positive number');
  }
  if (!(q.bufferMinutes >= 0) || !Number.isFinite(q.bufferMinutes)) {
    throw new RangeError('bufferMinutes must be a number >= 0');
  }
  const limit = q.limit === undefined ? Infinity : Math.max(0, Math.floor(q.limit));
  const lo = Math.max(q.range.start, q.earliestStart);
  const hi = Math.min(q.range.end, q.latestEnd);
  const duration = q.durationMinutes * MINUTE_MS;
  const buffer = q.bufferMinutes * MINUTE_MS;
  const step = duration + buffer;
  if (limit === 0 || hi - lo < duration) return [];

  let pieces = sortedByStart(q.windows).filter((w) => w.end > lo && w.start < hi && w.end > w.start);
  if (q.sociable !== undefined && pieces.length > 0) {
    // Asked over [lo, hi) where that is finite, rather than just the part these windows cover: pieces only meet
    // the allowed intervals that overlap them, so the answer is the same, and one match then asks the same range
    // for every supporter in a zone (sociableIntervals keeps the answer).
    let first = Infinity;
    let last = -Infinity;
    for (const w of pieces) {
      if (w.start < first) first = w.start;
      if (w.end > last) last = w.end;
    }
    const span = { start: Number.isFinite(lo) ? lo : first, end: Number.isFinite(hi) ? hi : last };
    for (const zone of q.sociable.zones) {
      pieces = cutTo(pieces, sociableIntervals(q.sociable.hours, zone, span));
    }
  }

  // A booking blocks [b.start, b.end + buffer) against a slot's [s, s + duration + buffer).
  const busy = mergeIntervals(q.busy.map((b) => ({ start: b.start, end: b.end + buffer })));
  const timeOff = mergeIntervals(q.timeOff);

  let disjoint = true;
  let reach = -Infinity;
  for (const p of pieces) {
    if (p.start < reach) disjoint = false;
    if (p.end > reach) reach = p.end;
  }

  const out: Interval[] = [];
  for (const p of pieces) {
    if (disjoint && out.length >= limit) break;
    const last = Math.min(p.end, hi) - duration; // latest possible slot start in this piece
    let k = p.start >= lo ? 0 : Math.ceil((lo - p.start) / step);
    let ib = firstEndingAfter(busy, p.start + k * step);
    let it = firstEndingAfter(timeOff, p.start + k * step);
    for (;;) {
      const s = p.start + k * step;
      if (s > last) break;
      while (ib < busy.length && busy[ib].end <= s) ib++;
      if (ib < busy.length && busy[ib].start < s + step) {
        // Every later grid start before this block's end collides with it too.
        k = Math.max(k + 1, Math.ceil((busy[ib].end - p.start) / step));
        continue;
      }
      while (it < timeOff.length && timeOff[it].end <= s) it++;
      if (it < timeOff.length && timeOff[it].start < s + duration) {
        k = Math.max(k + 1, Math.ceil((timeOff[it].end - p.start) / step));
        continue;
      }
      out.push({ start: s, end: s + duration });
      if (disjoint && out.length >= limit) break;
      k++;
    }
  }
  if (disjoint) return out;

  // Overlapping windows (rare: duplicated input or a DST-shifted rule): keep
  // the earliest slot and drop any that overlaps one already kept.
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: Interval[] = [];
  for (const slot of out) {
    if (kept.length >= limit) break;
    const prev = kept[kept.length - 1];
    if (prev === undefined || slot.start >= prev.end) kept.push(slot);
  }
  return kept;
}
