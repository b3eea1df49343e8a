/**
 * Inside this library an instant is epoch milliseconds (UTC): cheap to compare
 * and to sort, and free of any zone. Wall-clock rules are "HH:mm" strings that
 * only mean something together with an IANA zone.
 */
export type Millis = number;

/** A half-open span of time, [start, end). */
export interface Interval {
  start: Millis;
  end: Millis;
}

/** One weekly availability window, wall-clock in the supporter's zone. */
export interface WeeklyRule {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:mm", 00:00..23:59. */
  start: string;
  /** "HH:mm", 00:01..23:59, or "24:00" for the end of the day. */
  end: string;
}

/** The peer-support sociable hours policy (wall-clock, applied in each side's own zone). */
export interface SociableHours {
  start: string;
  end: string;
  weekdays: number[];
}

/** A problem with one weekly rule, for a 400 `errors` entry. */
export interface RuleProblem {
  /** e.g. "weekly[2].end" */
  field: string;
  message: string;
}

export interface SlotQuery {
  /** Concrete availability windows (from expandWeeklyRules), sorted by start. */
  windows: Interval[];
  /** Confirmed bookings, unbuffered [start, end). */
  busy: Interval[];
  /** Time off, [start, end). */
  timeOff: Interval[];
  durationMinutes: number;
  bufferMinutes: number;
  /** Slots start at or after range.start and end at or before range.end. */
  range: Interval;
  /** now + minimum notice: no slot starts before this. */
  earliestStart: Millis;
  /** now + booking horizon: no slot ends after this. */
  latestEnd: Millis;
  /**
   * Peer support only: the windows are first cut down to the sociable hours in
   * every listed zone (supporter's and caller's), then the slot grid is laid
   * from the start of each remaining piece.
   */
  sociable?: { hours: SociableHours; zones: string[] };
  /** Stop after this many slots. */
  limit?: number;
}
