import { DateTime } from 'luxon';
import { insideSociableHours, sociableConstraint, sociableZones } from './sociable';

const HOURS = { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] };
const at = (iso: string, minutes = 50) => {
  const start = DateTime.fromISO(iso, { setZone: true }).toMillis();
  return { start, end: start + minutes * 60_000 };
};

describe('sociableZones', () => {
  it.each([
    ['peer', 'Europe/London', 'Europe/London', ['Europe/London']],
    ['peer', 'Europe/London', 'America/New_York', ['Europe/London', 'America/New_York']],
    ['peer', 'Europe/London', null, ['Europe/London']],
    ['peer', 'Europe/London', undefined, ['Europe/London']],
    ['counsellor', 'Europe/London', 'America/New_York', []],
    ['counsellor', 'Europe/London', null, []],
  ] as const)('%s in %s, caller in %s: %j', (kind, supporter, caller, zones) => {
    expect(sociableZones(kind, supporter, caller)).toEqual(zones);
  });
});

describe('insideSociableHours', () => {
  it.each([
    // [session start (with offset), minutes, zones, inside?]
    ['2027-03-10T08:00:00+00:00', 50, ['Europe/London'], true],
    ['2027-03-10T07:59:00+00:00', 50, ['Europe/London'], false],
    ['2027-03-10T19:10:00+00:00', 50, ['Europe/London'], true], // ends exactly at 20:00: inside
    ['2027-03-10T19:11:00+00:00', 50, ['Europe/London'], false],
    // 14:00 London is 09:00 New York: inside for both; 10:00 London is 05:00 New York: not for the caller
    ['2027-03-10T14:00:00+00:00', 50, ['Europe/London', 'America/New_York'], true],
    ['2027-03-10T10:00:00+00:00', 50, ['Europe/London', 'America/New_York'], false],
    // after the spring change London is UTC+1: 07:30Z is 08:30 local
    ['2027-03-29T07:30:00+00:00', 50, ['Europe/London'], true],
    ['2027-03-10T03:00:00+00:00', 50, [], true], // no zones: no constraint (counselling)
  ] as const)('%s for %i min in %j: %s', (start, minutes, zones, inside) => {
    expect(insideSociableHours(at(start, minutes), HOURS, [...zones])).toBe(inside);
  });

  it('a weekday not listed is outside', () => {
    // 2027-03-14 is a Sunday
    expect(
      insideSociableHours(at('2027-03-14T12:00:00+00:00'), { ...HOURS, weekdays: [1, 2, 3, 4, 5] }, ['Europe/London']),
    ).toBe(false);
  });
});

describe('sociableConstraint', () => {
  it('is the hours and both zones for a peer, none for a counsellor', () => {
    expect(sociableConstraint('peer', HOURS, 'Europe/London', 'Europe/Paris')).toEqual({
      hours: HOURS,
      zones: ['Europe/London', 'Europe/Paris'],
    });
    expect(sociableConstraint('counsellor', HOURS, 'Europe/London', 'Europe/Paris')).toBeUndefined();
  });
});
