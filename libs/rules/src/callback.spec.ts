import { callbackDueAt, callbackOverdue, callbackOverdueCutoff } from './callback';

const utc = (s: string) => new Date(s);

describe('callbackDueAt: N working hours (Mon–Fri 09:00–17:00 London) after a web request', () => {
  it.each([
    // received                        hours  due (UTC)                     why
    ['2026-12-02T10:00:00Z', 2, '2026-12-02T12:00:00Z', 'inside one working day (GMT)'],
    ['2026-12-02T16:00:00Z', 2, '2026-12-03T10:00:00Z', 'carries over to the next morning'],
    ['2026-12-04T16:00:00Z', 2, '2026-12-07T10:00:00Z', 'Friday afternoon → Monday'],
    ['2026-12-05T11:00:00Z', 1, '2026-12-07T10:00:00Z', 'Saturday: counted from Monday 09:00'],
    ['2026-12-02T07:30:00Z', 1, '2026-12-02T10:00:00Z', 'before opening: from 09:00'],
    ['2026-12-02T17:00:00Z', 1, '2026-12-03T10:00:00Z', 'at closing: from the next opening'],
    ['2026-12-02T09:00:00Z', 24, '2026-12-04T17:00:00Z', '24 working hours = three whole days'],
    ['2026-12-02T09:00:00Z', 8, '2026-12-02T17:00:00Z', 'exactly one day ends at closing'],
    ['2027-03-26T16:00:00Z', 2, '2027-03-29T09:00:00Z', 'over the spring change: Monday 10:00 BST is 09:00Z'],
    ['2027-10-29T15:00:00Z', 2, '2027-11-01T10:00:00Z', 'over the autumn change: Friday 16:00 BST, Monday 10:00 GMT'],
    ['2027-06-02T08:00:00Z', 1, '2027-06-02T09:00:00Z', 'summer: 09:00 BST is 08:00Z'],
  ])('%s + %i h → %s (%s)', (received, hours, due) => {
    expect(callbackDueAt(utc(received), hours).toISOString()).toBe(new Date(due).toISOString());
  });

  it('more working hours never make it due sooner (monotone)', () => {
    const from = utc('2026-12-04T15:20:00Z');
    let last = 0;
    for (let h = 1; h <= 80; h++) {
      const t = callbackDueAt(from, h).getTime();
      expect(t).toBeGreaterThan(last);
      last = t;
    }
  });
});

describe('callbackOverdue', () => {
  const createdAt = utc('2026-12-02T10:00:00Z');
  const due = utc('2026-12-02T12:00:00Z');
  it.each([
    [{ channel: 'web', status: 'open' }, due, false, 'at the due time itself: not yet'],
    [{ channel: 'web', status: 'open' }, new Date(due.getTime() + 1000), true, 'a second after'],
    [{ channel: 'web', status: 'assigned' }, new Date(due.getTime() + 1000), false, 'someone has it'],
    [{ channel: 'web', status: 'closed' }, new Date(due.getTime() + 1000), false, 'ended'],
    [{ channel: 'phone', status: 'open' }, new Date(due.getTime() + 1000), false, 'a phone call needs no call-back'],
  ])('%j at %s → %s (%s)', (i, now, overdue) => {
    expect(callbackOverdue({ ...i, createdAt }, 2, now)).toBe(overdue);
  });
});

describe('callbackOverdueCutoff: received before it ⇔ overdue now', () => {
  it.each([
    ['2026-12-07T09:30:00Z', 2],
    ['2026-12-07T08:00:00Z', 24],
    ['2026-12-05T12:00:00Z', 1],
    ['2027-03-29T09:00:00Z', 2],
    ['2027-03-29T09:00:00Z', 168],
  ])('now %s, %i working hours', (nowIso, hours) => {
    const now = new Date(nowIso);
    const cutoff = callbackOverdueCutoff(now, hours).getTime();
    for (const offset of [-86_400_000, -3_600_000, -1000, -1, 0, 1, 1000, 3_600_000]) {
      const r = new Date(cutoff + offset);
      if (r.getTime() > now.getTime()) continue;
      const overdue = now.getTime() > callbackDueAt(r, hours).getTime();
      expect({ offset, overdue }).toEqual({ offset, overdue: offset < 0 });
    }
  });
});

describe('another working week (the policy workingHours)', () => {
  const sevenDays = { zone: 'Europe/London', weekdays: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '20:00' };
  const evenings = { zone: 'Europe/London', weekdays: [1, 2, 3, 4, 5, 6, 7], start: '18:00', end: '24:00' };
  const newYork = { zone: 'America/New_York', weekdays: [1, 2, 3, 4, 5], start: '09:30', end: '17:30' };
  it.each([
    ['2026-12-05T11:00:00Z', 1, sevenDays, '2026-12-05T12:00:00Z', 'a line open on Saturdays counts Saturday'],
    ['2026-12-05T19:30:00Z', 1, sevenDays, '2026-12-06T08:30:00Z', 'half an hour left at 19:30, the rest on Sunday'],
    ['2026-12-05T23:30:00Z', 1, evenings, '2026-12-06T18:30:00Z', 'an end of 24:00: from 23:30, half an hour'],
    ['2026-12-05T23:00:00Z', 1, evenings, '2026-12-06T00:00:00Z', 'an end of 24:00: due exactly at midnight'],
    [
      '2027-03-12T22:00:00Z',
      1,
      newYork,
      '2027-03-15T14:00:00Z',
      'New York: Friday 17:00 EST, half an hour; Monday 10:00 EDT (DST began Sunday)',
    ],
    [
      '2027-03-12T14:29:00Z',
      1,
      newYork,
      '2027-03-12T15:30:00Z',
      'New York: 09:29 EST is before opening: from 09:30, due 10:30 EST',
    ],
  ])('%s + %i h → %s (%s)', (received, hours, week, due) => {
    expect(callbackDueAt(utc(received), hours, week).toISOString()).toBe(new Date(due).toISOString());
  });

  it('a week without working time is refused, not looped over', () => {
    expect(() => callbackDueAt(utc('2026-12-05T11:00:00Z'), 1, { ...sevenDays, weekdays: [] })).toThrow(RangeError);
    expect(() => callbackDueAt(utc('2026-12-05T11:00:00Z'), 1, { ...sevenDays, end: '08:00' })).toThrow(RangeError);
  });

  it.each([
    ['2026-12-06T09:30:00Z', 2, sevenDays],
    ['2026-12-07T00:30:00Z', 4, evenings],
    ['2027-03-15T15:00:00Z', 168, newYork],
  ])('cutoff: now %s, %i working hours: received before it ⇔ overdue', (nowIso, hours, week) => {
    const now = new Date(nowIso);
    const cutoff = callbackOverdueCutoff(now, hours, week).getTime();
    for (const offset of [-86_400_000, -3_600_000, -1000, -1, 0, 1, 1000, 3_600_000]) {
      const r = new Date(cutoff + offset);
      if (r.getTime() > now.getTime()) continue;
      expect({
        offset,
        overdue: callbackOverdue({ channel: 'web', status: 'open', createdAt: r }, hours, now, week),
      }).toEqual({
        offset,
        overdue: offset < 0,
      });
    }
  });
});
