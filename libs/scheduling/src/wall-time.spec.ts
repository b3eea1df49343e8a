import { addMinutes, isValidTimeZone, parseWallTime, toIso } from './index';

describe('parseWallTime', () => {
  it.each([
    ['00:00', 0],
    ['08:00', 480],
    ['19:10', 1150],
    ['23:59', 1439],
  ])('reads %s as %i minutes', (value, minutes) => {
    expect(parseWallTime(value)).toBe(minutes);
  });

  it.each([
    '24:00',
    '24:01',
    '25:00',
    '23:60',
    '8:00',
    '08:0',
    '0800',
    '08:00:00',
    ' 08:00',
    '08:00 ',
    '',
    'ab:cd',
    '-1:00',
    '+8:00',
  ])('refuses %p', (value) => {
    expect(parseWallTime(value)).toBeNull();
  });

  it('accepts "24:00" as 1440 only as an end of day', () => {
    expect(parseWallTime('24:00', { allowEndOfDay: true })).toBe(1440);
    expect(parseWallTime('24:00', { allowEndOfDay: false })).toBeNull();
    expect(parseWallTime('24:30', { allowEndOfDay: true })).toBeNull();
  });

  it('refuses non-strings', () => {
    expect(parseWallTime(undefined as unknown as string)).toBeNull();
    expect(parseWallTime(800 as unknown as string)).toBeNull();
  });
});

describe('isValidTimeZone', () => {
  it.each(['Europe/London', 'America/New_York', 'Asia/Singapore', 'Australia/Lord_Howe', 'UTC', 'Etc/GMT+1'])(
    'accepts %s',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(true);
    },
  );

  it.each(['', 'Mars/Base', '+01:00', '-05:00', 'Europe/Londres', 'Europe', 'GMT+1 '])('refuses %p', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

describe('addMinutes and toIso', () => {
  it('adds real minutes and prints UTC with milliseconds', () => {
    const t = Date.UTC(2027, 2, 28, 16, 10);
    expect(toIso(addMinutes(t, 50))).toBe('2027-03-28T17:00:00.000Z');
    expect(addMinutes(t, -10)).toBe(Date.UTC(2027, 2, 28, 16, 0));
  });
});
