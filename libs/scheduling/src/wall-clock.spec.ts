import { DateTime } from 'luxon';
import { wallClockAt } from './wall-time';

const at = (iso: string, zone: string) => {
  const w = wallClockAt(Date.parse(iso), zone);
  return `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute} wd${w.weekday}`;
};

describe('wallClockAt', () => {
  it('reads the clock on both sides of London’s spring and autumn changes', () => {
    expect(at('2027-03-28T00:59:00Z', 'Europe/London')).toBe('2027-3-28 0:59 wd7');
    expect(at('2027-03-28T01:00:00Z', 'Europe/London')).toBe('2027-3-28 2:0 wd7');
    expect(at('2027-10-31T00:30:00Z', 'Europe/London')).toBe('2027-10-31 1:30 wd7'); // 01:30 BST
    expect(at('2027-10-31T01:30:00Z', 'Europe/London')).toBe('2027-10-31 1:30 wd7'); // 01:30 GMT, the hour again
  });

  it('midnight, half-hour zones and the date line', () => {
    expect(at('2027-01-10T23:59:00Z', 'UTC')).toBe('2027-1-10 23:59 wd7');
    expect(at('2027-01-11T00:00:00Z', 'UTC')).toBe('2027-1-11 0:0 wd1');
    expect(at('2027-04-04T14:59:00Z', 'Australia/Lord_Howe')).toBe('2027-4-5 1:29 wd1');
    expect(at('2027-06-01T12:00:00Z', 'Pacific/Kiritimati')).toBe('2027-6-2 2:0 wd3');
  });

  it('agrees with luxon minute by minute across a day with a change, in several zones', () => {
    for (const zone of ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      for (let t = Date.UTC(2027, 2, 27); t < Date.UTC(2027, 3, 6); t += 7 * 60_000) {
        const w = wallClockAt(t, zone);
        const d = DateTime.fromMillis(t, { zone });
        expect([w.year, w.month, w.day, w.hour, w.minute, w.weekday]).toEqual([
          d.year,
          d.month,
          d.day,
          d.hour,
          d.minute,
          d.weekday,
        ]);
      }
    }
  });

  it('refuses an unknown zone', () => {
    expect(() => wallClockAt(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});
