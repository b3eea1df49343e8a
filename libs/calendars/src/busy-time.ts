import ICAL from 'ical.js';
import { DateTime } from 'luxon';

/**
 * Our own events (a booking written into the calendar, `<booking>.calendar.<supporter>@support-line`, or the
 * e-mailed invite filed there, `<booking>.supporter.<supporter>@support-line`): the booking already makes the
 * supporter busy, and read back as busy time it would block the booking's own time after a reschedule until the
 * next sync, and refuse a move by minutes onto itself.
 */
export function isOurs(uid: string): boolean {
  return /^[0-9a-f-]{36}\.(calendar|supporter)\.[0-9a-f-]{36}@support-line$/i.test(uid);
}

/** One busy interval read from a calendar, instants as epoch milliseconds. */
export interface BusyInterval {
  /** The event's UID, with the occurrence's start for recurring ones (`uid/2027-01-04T09:00:00.000Z`). */
  sourceUid: string;
  start: number;
  end: number;
}

/** Occurrences of one recurring event we look at, at most (a daily rule since 1990 is ~13,000). */
const MAX_OCCURRENCES_PER_EVENT = 20_000;
/** Occurrences looked at per calendar read, at most: bounds the CPU one calendar can cost. */
const MAX_OCCURRENCES_PER_READ = 200_000;
/** Busy intervals kept per calendar, at most (the sync stores no more). */
export const MAX_BUSY_INTERVALS = 5_000;

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type Timezone = InstanceType<typeof ICAL.Timezone>;

function isUtc(t: Time): boolean {
  return t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === 'UTC' || t.zone?.tzid === 'Z';
}

/**
 * An iCalendar time as an instant. UTC times are exact; a TZID that is an
 * IANA name is read with luxon (the zone rules we trust everywhere else); a
 * TZID defined only by the calendar's own VTIMEZONE (Outlook's "W. Europe
 * Standard Time") uses that definition; floating times and dates are read in
 * the supporter's zone. Time zones are never registered process-wide: one
 * supporter's calendar cannot change how another's is read.
 */
function toEpoch(t: Time, tzid: string | null, local: Map<string, Timezone>, fallbackZone: string): number {
  const fields = {
    year: t.year,
    month: t.month,
    day: t.day,
    hour: t.isDate ? 0 : t.hour,
    minute: t.isDate ? 0 : t.minute,
    second: t.isDate ? 0 : t.second,
  };
  if (!t.isDate && isUtc(t))
    return Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  if (!t.isDate && tzid) {
    const iana = DateTime.fromObject(fields, { zone: tzid });
    if (iana.isValid) return iana.toMillis();
    const own = local.get(tzid);
    if (own) {
      const c = t.clone();
      c.zone = own;
      return c.toUnixTime() * 1000;
    }
  }
  return DateTime.fromObject(fields, { zone: fallbackZone }).toMillis();
}

function tzidOf(c: Component, name: 'dtstart' | 'dtend'): string | null {
  const p = c.getFirstProperty(name);
  const v = p?.getParameter('tzid');
  return typeof v === 'string' ? v : null;
}

/** True when this VEVENT (or occurrence's item) does not make its owner busy. */
function isFree(c: Component): boolean {
  const transp = String(c.getFirstPropertyValue('transp') ?? '').toUpperCase();
  const status = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
  return transp === 'TRANSPARENT' || status === 'CANCELLED';
}

/**
 * The busy time in some iCalendar objects (one VCALENDAR each, as CalDAV
 * serves them) overlapping [from, to): VEVENTs that are neither TRANSPARENT
 * nor CANCELLED, recurring ones expanded (RRULE, RDATE, EXDATE and
 * RECURRENCE-ID exceptions, through ical.js). Objects that do not parse are
 * skipped and counted, so one bad event does not hide the rest.
 */
export function busyIntervals(
  objects: string[],
  from: number,
  to: number,
  fallbackZone: string,
): { intervals: BusyInterval[]; unreadable: number } {
  const out: BusyInterval[] = [];
  let unreadable = 0;
  const budget = { left: MAX_OCCURRENCES_PER_READ };
  for (const text of objects) {
    try {
      out.push(...busyOfCalendar(text, from, to, fallbackZone, budget));
    } catch {
      unreadable++;
    }
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return { intervals: out.slice(0, MAX_BUSY_INTERVALS), unreadable };
}

function busyOfCalendar(
  text: string,
  from: number,
  to: number,
  fallbackZone: string,
  budget: { left: number },
): BusyInterval[] {
  // ical.js types parse() as any; one VCALENDAR parses to one jCal array
  const jcal = ICAL.parse(text) as unknown[];
  if (!Array.isArray(jcal) || typeof jcal[0] !== 'string') throw new Error('not one iCalendar object');
  const root = new ICAL.Component(jcal);
  const local = new Map<string, Timezone>();
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vtz);
    if (tz.tzid) local.set(tz.tzid, tz);
  }
  const byUid = new Map<string, { master?: Component; exceptions: Component[] }>();
  for (const ve of root.getAllSubcomponents('vevent')) {
    const uid = String(ve.getFirstPropertyValue('uid') ?? '');
    if (isOurs(uid)) continue;
    const entry = byUid.get(uid) ?? { exceptions: [] };
    if (ve.hasProperty('recurrence-id')) entry.exceptions.push(ve);
    else entry.master = ve;
    byUid.set(uid, entry);
  }
  const out: BusyInterval[] = [];
  const push = (uid: string, item: Component, start: Time, end: Time | null, key: string) => {
    if (isFree(item)) return;
    const s = toEpoch(start, tzidOf(item, 'dtstart'), local, fallbackZone);
    let e: number;
    if (end) e = toEpoch(end, tzidOf(item, 'dtend') ?? tzidOf(item, 'dtstart'), local, fallbackZone);
    else if (start.isDate) e = DateTime.fromMillis(s, { zone: fallbackZone }).plus({ days: 1 }).toMillis();
    else e = s;
    if (e > s && s < to && e > from) out.push({ sourceUid: key, start: s, end: e });
  };
  for (const [uid, { master, exceptions }] of byUid) {
    if (!master) {
      // Exceptions whose master we were not given: each stands alone.
      for (const ex of exceptions) {
        const ev = new ICAL.Event(ex);
        push(uid, ex, ev.startDate, ev.endDate, `${uid}/${ev.recurrenceId?.toString() ?? ev.startDate.toString()}`);
      }
      continue;
    }
    const event = new ICAL.Event(master, { exceptions });
    if (!event.isRecurring()) {
      push(uid, master, event.startDate, event.endDate, uid);
      continue;
    }
    const it = event.iterator();
    for (
      let i = 0, next = it.next();
      next && i < MAX_OCCURRENCES_PER_EVENT && budget.left > 0;
      i++, budget.left--, next = it.next()
    ) {
      const d = event.getOccurrenceDetails(next);
      const start = toEpoch(d.startDate, tzidOf(d.item.component, 'dtstart'), local, fallbackZone);
      if (start >= to) break;
      push(
        uid,
        d.item.component,
        d.startDate,
        d.endDate,
        `${uid}/${new Date(toEpoch(d.recurrenceId, tzidOf(master, 'dtstart'), local, fallbackZone)).toISOString()}`,
      );
    }
  }
  return out;
}
