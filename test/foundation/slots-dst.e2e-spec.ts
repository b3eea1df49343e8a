import { DateTime } from 'luxon';
import { startTestApp, TestApp } from '../support/test-app';
import { createSupporter, DAY, getSlots, HOUR, putPolicies, setAvailability, Slot } from '../support/factories';

const LONDON = 'Europe/London';

/** The last Sunday of `month` (3 = March, 10 = October) in `year`, as a London local date. */
function lastSunday(year: number, month: number): DateTime {
  let d = DateTime.fromObject({ year, month, day: 1 }, { zone: LONDON }).endOf('month').startOf('day');
  while (d.weekday !== 7) d = d.minus({ days: 1 });
  return d;
}

/**
 * The next London daylight-saving change in `month` whose Sunday 18:00 session is still bookable
 * (beyond the two-hour minimum notice, with margin), computed from now so the test keeps working.
 */
function nextChange(month: number): DateTime {
  const now = DateTime.now();
  for (let year = now.year; ; year++) {
    const sunday = lastSunday(year, month);
    if (sunday.set({ hour: 18 }).toMillis() > now.toMillis() + 3 * HOUR) return sunday;
  }
}

describe('slots follow London daylight saving (Sunday 18:00-20:00 peer window)', () => {
  let t: TestApp;
  let admin: string;
  let peer: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.signIn('admin')).token;
    // the next changes can be up to a year away: this file's own database may look that far ahead
    await putPolicies(t, admin, { bookingHorizonDays: 366 });
    peer = await createSupporter(t, admin, { kind: 'peer', timeZone: LONDON });
    await setAvailability(t, admin, peer.id, [{ weekday: 7, start: '18:00', end: '20:00' }]);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The slots on each Sunday from `change` - 7 days to `change` + 7 days, by London date. */
  async function slotsAround(change: DateTime): Promise<Map<string, string[]>> {
    const from = change.minus({ days: 7 });
    const to = change.plus({ days: 8 });
    const res = await getSlots(t, admin, peer.id, { from: from.toUTC().toISO()!, to: to.toUTC().toISO()! });
    expect(res.status).toBe(200);
    const byDate = new Map<string, string[]>();
    for (const s of res.body.slots as Slot[]) {
      const date = DateTime.fromISO(s.start, { zone: LONDON }).toISODate()!;
      byDate.set(date, [...(byDate.get(date) ?? []), s.start]);
    }
    // every slot is on a Sunday, 50 minutes long
    for (const s of res.body.slots as Slot[]) {
      expect(DateTime.fromISO(s.start, { zone: LONDON }).weekday).toBe(7);
      expect(Date.parse(s.end) - Date.parse(s.start)).toBe(50 * 60_000);
    }
    return byDate;
  }

  /** A Sunday far enough from now and the horizon that its slots must be there. */
  const bookable = (sunday: DateTime) => {
    const t18 = sunday.set({ hour: 18 }).toMillis();
    return t18 > Date.now() + 3 * HOUR && t18 < Date.now() + 365 * DAY;
  };

  it('spring forward (last Sunday of March): 18:00Z the Sunday before, 17:00Z on the day and after', async () => {
    const change = nextChange(3);
    const byDate = await slotsAround(change);
    const d = (x: DateTime) => x.toISODate()!;
    // on the change day London is on BST: 18:00 local = 17:00Z
    expect(byDate.get(d(change))).toEqual([`${d(change)}T17:00:00.000Z`, `${d(change)}T18:00:00.000Z`]);
    const before = change.minus({ days: 7 });
    if (bookable(before)) {
      // winter (GMT): 18:00 local = 18:00Z
      expect(byDate.get(d(before))).toEqual([`${d(before)}T18:00:00.000Z`, `${d(before)}T19:00:00.000Z`]);
    } else {
      expect(byDate.get(d(before))).toBeUndefined();
    }
    const after = change.plus({ days: 7 });
    if (bookable(after)) {
      expect(byDate.get(d(after))).toEqual([`${d(after)}T17:00:00.000Z`, `${d(after)}T18:00:00.000Z`]);
    }
  });

  it('fall back (last Sunday of October): 17:00Z the Sunday before, 18:00Z on the day and after', async () => {
    const change = nextChange(10);
    const byDate = await slotsAround(change);
    const d = (x: DateTime) => x.toISODate()!;
    // on the change day London is back on GMT: 18:00 local = 18:00Z
    expect(byDate.get(d(change))).toEqual([`${d(change)}T18:00:00.000Z`, `${d(change)}T19:00:00.000Z`]);
    const before = change.minus({ days: 7 });
    if (bookable(before)) {
      // summer (BST): 18:00 local = 17:00Z
      expect(byDate.get(d(before))).toEqual([`${d(before)}T17:00:00.000Z`, `${d(before)}T18:00:00.000Z`]);
    } else {
      expect(byDate.get(d(before))).toBeUndefined();
    }
    const after = change.plus({ days: 7 });
    if (bookable(after)) {
      expect(byDate.get(d(after))).toEqual([`${d(after)}T18:00:00.000Z`, `${d(after)}T19:00:00.000Z`]);
    }
  });

  it('the two changes between them show both the winter (18:00Z) and the summer (17:00Z) figure', async () => {
    const spring = nextChange(3);
    const autumn = nextChange(10);
    const [a, b] = await Promise.all([slotsAround(spring), slotsAround(autumn)]);
    const firstStarts = [...a.values(), ...b.values()].map((starts) => starts[0].slice(11));
    expect(firstStarts).toEqual(expect.arrayContaining(['17:00:00.000Z', '18:00:00.000Z']));
  });
});
