import { DateTime } from 'luxon';

/**
 * The line's working week, in which a web request's call-back promise ("we will call you within N working
 * hours") is counted: the days and wall-clock hours staff answer, in one zone (so it follows the clock changes).
 * The policy `workingHours` sets it; this is its default: Monday to Friday, 09:00–17:00 London time.
 */
export interface WorkingWeek {
  zone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
  /** Wall-clock HH:mm. */
  start: string;
  /** Wall-clock HH:mm after start, or 24:00. */
  end: string;
}

export const WORKING_WEEK: WorkingWeek = {
  zone: 'Europe/London',
  weekdays: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
};

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The wall-clock time `minutes` after t's local midnight (24:00: the next midnight). */
function atMinute(t: DateTime, minutes: number): DateTime {
  if (minutes >= 24 * 60) return t.startOf('day').plus({ days: 1 });
  return t.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/**
 * When a call-back promised `workingHours` working hours after `receivedAt`
 * is due: the working time is counted from the request (or from the next
 * opening when it came outside working hours), day by day.
 */
export function callbackDueAt(receivedAt: Date, workingHours: number, week: WorkingWeek = WORKING_WEEK): Date {
  const startMin = minutesOf(week.start);
  const endMin = minutesOf(week.end);
  if (!(endMin > startMin) || week.weekdays.length === 0) throw new RangeError('the working week has no working time');
  let left = workingHours * 60; // minutes
  let t: DateTime = DateTime.fromJSDate(receivedAt, { zone: week.zone });
  const nextOpening = (d: DateTime) => atMinute(d.startOf('day').plus({ days: 1 }), startMin);
  for (let guard = 0; guard < 3660; guard++) {
    const open = atMinute(t, startMin);
    const close = atMinute(t, endMin);
    if (!week.weekdays.includes(t.weekday) || t >= close) {
      t = nextOpening(t);
      continue;
    }
    if (t < open) t = open;
    const available = close.diff(t, 'minutes').minutes;
    if (left <= available) return t.plus({ minutes: left }).toJSDate();
    left -= available;
    t = nextOpening(t);
  }
  throw new Error('callbackDueAt: no working time within ten years');
}

/** A web request still waiting for its first call (open, unassigned) after its call-back was due. */
export function callbackOverdue(
  i: { channel: string; status: string; createdAt: Date },
  workingHours: number,
  now: Date,
  week: WorkingWeek = WORKING_WEEK,
): boolean {
  return (
    i.channel === 'web' &&
    i.status === 'open' &&
    now.getTime() > callbackDueAt(i.createdAt, workingHours, week).getTime()
  );
}

/**
 * The first instant whose web request is not yet overdue at `now`: every
 * request received before it is (callbackDueAt only grows with the time
 * received, so a binary search finds it). Lets the queue filter overdue
 * call-backs in SQL (`created_at < cutoff`).
 */
export function callbackOverdueCutoff(now: Date, workingHours: number, week: WorkingWeek = WORKING_WEEK): Date {
  // Far enough back to be overdue: as many weeks as the promise needs at the week's own working time a week
  // (at least one working minute a day), and two more.
  const perWeek = Math.max(1, week.weekdays.length * (minutesOf(week.end) - minutesOf(week.start))) / 60;
  let lo = now.getTime() - (Math.ceil(workingHours / perWeek) + 2) * 7 * 86_400_000; // overdue
  let hi = now.getTime(); // not overdue: due after now
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (callbackDueAt(new Date(mid), workingHours, week).getTime() < now.getTime()) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}
