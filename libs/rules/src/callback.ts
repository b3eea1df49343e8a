import { DateTime } from 'luxon';

/**
 * The line's working week, in which a web request's call-back promise
 * ("we will call you within N working hours") is counted: Monday to Friday,
 * 09:00–17:00 London time (wall clock, so it follows the clock changes).
 */
export const WORKING_WEEK = { zone: 'Europe/London', weekdays: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 } as const;

/**
 * When a call-back promised `workingHours` working hours after `receivedAt`
 * is due: the working time is counted from the request (or from the next
 * opening when it came outside working hours), day by day.
 */
export function callbackDueAt(receivedAt: Date, workingHours: number, week = WORKING_WEEK): Date {
  let left = workingHours * 60; // minutes
  let t = DateTime.fromJSDate(receivedAt, { zone: week.zone });
  for (let guard = 0; guard < 3660; guard++) {
    const open = t.set({ hour: week.startHour, minute: 0, second: 0, millisecond: 0 });
    const close = t.set({ hour: week.endHour, minute: 0, second: 0, millisecond: 0 });
    const workingDay = (week.weekdays as readonly number[]).includes(t.weekday);
    if (!workingDay || t >= close) {
      t = t.plus({ days: 1 }).set({ hour: week.startHour, minute: 0, second: 0, millisecond: 0 });
      continue;
    }
    if (t < open) t = open;
    const available = close.diff(t, 'minutes').minutes;
    if (left <= available) return t.plus({ minutes: left }).toJSDate();
    left -= available;
    t = t.plus({ days: 1 }).set({ hour: week.startHour, minute: 0, second: 0, millisecond: 0 });
  }
  throw new Error('callbackDueAt: no working time within ten years');
}

/** A web request still waiting for its first call (open, unassigned) after its call-back was due. */
export function callbackOverdue(
  i: { channel: string; status: string; createdAt: Date },
  workingHours: number,
  now: Date,
): boolean {
  return (
    i.channel === 'web' && i.status === 'open' && now.getTime() > callbackDueAt(i.createdAt, workingHours).getTime()
  );
}

/**
 * The first instant whose web request is not yet overdue at `now`: every
 * request received before it is (callbackDueAt only grows with the time
 * received, so a binary search finds it). Lets the queue filter overdue
 * call-backs in SQL (`created_at < cutoff`).
 */
export function callbackOverdueCutoff(now: Date, workingHours: number, week = WORKING_WEEK): Date {
  // A week holds 40 working hours; 168 of them (the policy's maximum) fit in five weeks.
  let lo = now.getTime() - (Math.ceil(workingHours / 40) + 2) * 7 * 86_400_000; // overdue
  let hi = now.getTime(); // not overdue: due after now
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (callbackDueAt(new Date(mid), workingHours, week).getTime() < now.getTime()) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}
