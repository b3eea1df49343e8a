import { IANAZone } from 'luxon';
import { Millis } from './types';
import { DAY_MS, HOUR_MS, MINUTE_MS, MINUTES_PER_DAY } from './time';

/*
 * Internal: the bridge between wall-clock time in one IANA zone and instants.
 *
 * "Local ms" below is a wall-clock date and time encoded as if it were UTC
 * (local midnight of 2027-03-28 → Date.UTC(2027, 2, 28)). That makes calendar
 * arithmetic plain integer maths; only the zone offsets come from luxon.
 *
 * luxon's IANAZone#offset costs ~10 µs (Intl formatToParts), so offsets are
 * looked up once per (zone, local date) and cached: on an ordinary day one
 * offset holds from local 00:00 to 24:00 and a wall time converts with one
 * subtraction. Only on a day with a transition is each wall time resolved on
 * its own (and memoised).
 *
 * DST rules (the same as Temporal's "compatible" disambiguation):
 * - a wall time in a skipped hour moves forward by the gap
 *   (01:30 on 2027-03-28 in London → 02:30 BST = 01:30Z);
 * - an ambiguous wall time takes the EARLIER instant
 *   (01:30 on 2027-10-31 in London → 01:30 BST = 00:30Z).
 * Assumes a zone never changes offset twice within about 30 hours, which
 * holds for every zone in the tz database for the dates we book.
 */

interface DayInfo {
  /** The offset (minutes) that holds all local day long, or null on a transition day. */
  offset: number | null;
  /** Memo of resolved wall times on a transition day, keyed by local ms. */
  memo?: Map<number, Millis>;
}

const MAX_CACHED_DAYS_PER_ZONE = 50_000;

export class ZoneClock {
  private readonly zone: IANAZone;
  private readonly days = new Map<number, DayInfo>();
  /** A rough offset, only used to guess which local day an instant falls on. */
  private readonly typicalOffset: number;

  constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
    if (!this.zone.isValid || !/^[A-Za-z]/.test(name)) {
      throw new RangeError(`Unknown time zone: "${name}"`);
    }
    this.typicalOffset = this.offsetAt(Date.UTC(2026, 0, 1));
  }

  /** The zone's UTC offset in minutes at instant `t` (straight from luxon). */
  offsetAt(t: Millis): number {
    return this.zone.offset(t);
  }

  private day(d: number): DayInfo {
    let info = this.days.get(d);
    if (info === undefined) {
      if (this.days.size >= MAX_CACHED_DAYS_PER_ZONE) this.days.clear();
      info = this.computeDay(d);
      this.days.set(d, info);
    }
    return info;
  }

  private computeDay(d: number): DayInfo {
    const local0 = d * DAY_MS;
    const guess = this.offsetAt(local0 + 12 * HOUR_MS - this.typicalOffset * MINUTE_MS);
    // Constant offset over the whole day, with 3 h to spare on both sides so
    // that no fold just outside the day can make an early-morning time ambiguous.
    const before = this.offsetAt(local0 - guess * MINUTE_MS - 3 * HOUR_MS);
    const after = this.offsetAt(local0 + DAY_MS - guess * MINUTE_MS + 3 * HOUR_MS);
    if (before === guess && after === guess) return { offset: guess };
    return { offset: null, memo: new Map() };
  }

  /** Wall time → instant, by the DST rules above, without the cache. */
  private resolve(local: number): Millis {
    const offBefore = this.offsetAt(local - DAY_MS);
    const offAfter = this.offsetAt(local + DAY_MS);
    const early = local - offBefore * MINUTE_MS;
    const earlyValid = this.offsetAt(early) === offBefore;
    if (offAfter === offBefore) return early;
    const late = local - offAfter * MINUTE_MS;
    const lateValid = this.offsetAt(late) === offAfter;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    // Skipped: reading the wall time with the offset from before the gap is the
    // same as moving it forward by the gap.
    return early;
  }

  /** Local ms (wall-clock encoded as UTC) → instant. */
  localToInstant(local: number): Millis {
    const d = Math.floor(local / DAY_MS);
    const info = this.day(d);
    if (info.offset !== null) return local - info.offset * MINUTE_MS;
    let t = info.memo!.get(local);
    if (t === undefined) {
      t = this.resolve(local);
      info.memo!.set(local, t);
    }
    return t;
  }

  /** Local day number `d` (days since 1970-01-01) at `minutes` past midnight; 1440 = the next local midnight. */
  wallToInstant(d: number, minutes: number): Millis {
    if (minutes >= MINUTES_PER_DAY)
      return this.localToInstant((d + 1) * DAY_MS + (minutes - MINUTES_PER_DAY) * MINUTE_MS);
    return this.localToInstant(d * DAY_MS + minutes * MINUTE_MS);
  }

  /** The first instant of local day `d`. */
  dayStart(d: number): Millis {
    return this.localToInstant(d * DAY_MS);
  }

  /** The local day number an instant falls on. */
  localDayOf(t: Millis): number {
    let d = Math.floor((t + this.typicalOffset * MINUTE_MS) / DAY_MS);
    // The guess is at most a day out; walk to the day whose [start, next start) holds t.
    for (let i = 0; i < 4 && t < this.dayStart(d); i++) d--;
    for (let i = 0; i < 4 && t >= this.dayStart(d + 1); i++) d++;
    return d;
  }

  /** Instant → local ms (wall-clock encoded as UTC). */
  instantToLocal(t: Millis): number {
    const info = this.day(this.localDayOf(t));
    if (info.offset !== null) return t + info.offset * MINUTE_MS;
    return t + this.offsetAt(t) * MINUTE_MS;
  }
}

/** ISO weekday (1 = Monday … 7 = Sunday) of local day number `d`; 1970-01-01 was a Thursday. */
export function weekdayOfDay(d: number): number {
  return ((((d + 3) % 7) + 7) % 7) + 1;
}

const clocks = new Map<string, ZoneClock>();

/** The process-wide clock (and offset cache) for one zone. Throws RangeError for an unknown zone. */
export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (clock === undefined) {
    clock = new ZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}

/** Drops every cached offset (for cold-cache benchmarks and tests). */
export function clearZoneCache(): void {
  clocks.clear();
}
