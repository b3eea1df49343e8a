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
