import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  expandWeeklyRules,
  Interval,
  isWithinSociableHours,
  seriesStarts,
  sociableIntervals,
  toIso,
  WeeklyRule,
} from './index';

const Z = (iso: string): number => Date.parse(iso);
const range = (from: string, to: string): Interval => ({ start: Z(from), end: Z(to) });
const isoPairs = (a: Interval[]): string[][] => a.map((w) => [toIso(w.start), toIso(w.end)]);
const SOCIABLE = { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] };
const LONDON = 'Europe/London';

/** The one window a single rule yields on the local date `date` (a whole UTC day around it is searched). */
function windowOn(rule: WeeklyRule, zone: string, date: string): string[] {
  const day = DateTime.fromISO(date, { zone });
  const found = expandWeeklyRules([rule], zone, {
    start: day.startOf('day').toMillis(),
    end: day.endOf('day').toMillis(),
  }).filter((w) => DateTime.fromMillis(w.start, { zone }).toISODate() === date);
  expect(found).toHaveLength(1);
  return [toIso(found[0].start), toIso(found[0].end)];
}

describe('expandWeeklyRules: a Sunday 18:00-20:00 London window follows DST', () => {
  const sunday: WeeklyRule = { weekday: 7, start: '18:00', end: '20:00' };
  it.each([
    ['2026-03-22', 'the Sunday before the March change', '2026-03-22T18:00:00.000Z', '2026-03-22T20:00:00.000Z'],
    ['2026-03-29', 'the day of the March change', '2026-03-29T17:00:00.000Z', '2026-03-29T19:00:00.000Z'],
    ['2026-10-18', 'the Sunday before the October change', '2026-10-18T17:00:00.000Z', '2026-10-18T19:00:00.000Z'],
    ['2026-10-25', 'the day of the October change', '2026-10-25T18:00:00.000Z', '2026-10-25T20:00:00.000Z'],
    ['2027-03-21', 'winter', '2027-03-21T18:00:00.000Z', '2027-03-21T20:00:00.000Z'],
    ['2027-03-28', 'the day of the March change', '2027-03-28T17:00:00.000Z', '2027-03-28T19:00:00.000Z'],
    ['2027-10-31', 'the day of the October change', '2027-10-31T18:00:00.000Z', '2027-10-31T20:00:00.000Z'],
    ['2027-11-07', 'winter again', '2027-11-07T18:00:00.000Z', '2027-11-07T20:00:00.000Z'],
  ])('%s (%s) → %s', (date, _what, start, end) => {
    expect(windowOn(sunday, LONDON, date)).toEqual([start, end]);
  });

  it('yields one window a week across the 2027 March change, 18:00Z then 17:00Z', () => {
    const windows = expandWeeklyRules([sunday], LONDON, range('2027-03-15T00:00Z', '2027-04-05T00:00Z'));
    expect(isoPairs(windows).map(([s]) => s)).toEqual([
      '2027-03-21T18:00:00.000Z',
      '2027-03-28T17:00:00.000Z',
      '2027-04-04T17:00:00.000Z',
    ]);
  });
});

describe('expandWeeklyRules: skipped and repeated hours in London', () => {
  it.each([
    // Skipped hour (01:00-02:00 local does not exist): move forward by the gap.
    ['2026-03-29', '01:30', '03:00', '2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z'],
    ['2027-03-28', '01:30', '03:00', '2027-03-28T01:30:00.000Z', '2027-03-28T02:00:00.000Z'],
    ['2027-03-28', '01:00', '03:00', '2027-03-28T01:00:00.000Z', '2027-03-28T02:00:00.000Z'],
    ['2027-03-28', '00:00', '03:00', '2027-03-28T00:00:00.000Z', '2027-03-28T02:00:00.000Z'],
    ['2027-03-28', '00:30', '01:30', '2027-03-28T00:30:00.000Z', '2027-03-28T01:30:00.000Z'],
    // Repeated hour (01:00-02:00 local happens twice): the earlier instant, BST.
    ['2026-10-25', '01:30', '03:00', '2026-10-25T00:30:00.000Z', '2026-10-25T03:00:00.000Z'],
    ['2027-10-31', '01:30', '03:00', '2027-10-31T00:30:00.000Z', '2027-10-31T03:00:00.000Z'],
    ['2027-10-31', '01:00', '01:30', '2027-10-31T00:00:00.000Z', '2027-10-31T00:30:00.000Z'],
    ['2027-10-31', '00:00', '03:00', '2027-10-30T23:00:00.000Z', '2027-10-31T03:00:00.000Z'],
    // 24:00 is the next local midnight, whatever the offset that day.
    ['2027-03-27', '20:00', '24:00', '2027-03-27T20:00:00.000Z', '2027-03-28T00:00:00.000Z'],
    ['2027-03-28', '20:00', '24:00', '2027-03-28T19:00:00.000Z', '2027-03-28T23:00:00.000Z'],
    ['2027-10-30', '20:00', '24:00', '2027-10-30T19:00:00.000Z', '2027-10-30T23:00:00.000Z'],
    ['2027-10-31', '20:00', '24:00', '2027-10-31T20:00:00.000Z', '2027-11-01T00:00:00.000Z'],
  ])('%s %s-%s → %s .. %s', (date, start, end, startIso, endIso) => {
    const weekday = DateTime.fromISO(date, { zone: LONDON }).weekday;
    expect(windowOn({ weekday, start, end }, LONDON, date)).toEqual([startIso, endIso]);
  });

  it('drops a window that lies wholly inside the skipped hour', () => {
    const windows = expandWeeklyRules(
      [
        { weekday: 7, start: '01:00', end: '02:00' },
        { weekday: 7, start: '01:10', end: '01:50' },
      ],
      LONDON,
      range('2027-03-27T12:00Z', '2027-03-28T12:00Z'),
    );
    // 01:00 → 01:00Z but 02:00 → 02:00 BST = 01:00Z: empty. 01:10-01:50 → 01:10Z-01:50Z (moved by the gap).
    expect(isoPairs(windows)).toEqual([['2027-03-28T01:10:00.000Z', '2027-03-28T01:50:00.000Z']]);
  });
});

describe('expandWeeklyRules: range, order and other zones', () => {
  const rules: WeeklyRule[] = [
    { weekday: 7, start: '20:00', end: '24:00' },
    { weekday: 1, start: '00:00', end: '02:00' },
    { weekday: 7, start: '08:00', end: '09:00' },
  ];

  it('returns windows overlapping the range, unclipped and sorted', () => {
    const windows = expandWeeklyRules(rules, LONDON, range('2027-01-03T08:30Z', '2027-01-04T01:00Z'));
    expect(isoPairs(windows)).toEqual([
      ['2027-01-03T08:00:00.000Z', '2027-01-03T09:00:00.000Z'],
      ['2027-01-03T20:00:00.000Z', '2027-01-04T00:00:00.000Z'],
      ['2027-01-04T00:00:00.000Z', '2027-01-04T02:00:00.000Z'],
    ]);
  });

  it('leaves out windows that only touch the range', () => {
    const windows = expandWeeklyRules(rules, LONDON, range('2027-01-03T09:00Z', '2027-01-03T20:00Z'));
    expect(windows).toEqual([]);
  });

  it('returns nothing for an empty range and merges identical windows', () => {
    expect(expandWeeklyRules(rules, LONDON, range('2027-01-03T09:00Z', '2027-01-03T09:00Z'))).toEqual([]);
    const twice = expandWeeklyRules([rules[2], rules[2]], LONDON, range('2027-01-03T00:00Z', '2027-01-04T00:00Z'));
    expect(twice).toHaveLength(1);
  });

  it('answers the same for the same array asked twice, and reads an array again when it grows', () => {
    const mine: WeeklyRule[] = [{ weekday: 7, start: '08:00', end: '09:00' }];
    const sunday = range('2027-01-03T00:00Z', '2027-01-04T00:00Z');
    const first = isoPairs(expandWeeklyRules(mine, LONDON, sunday));
    expect(isoPairs(expandWeeklyRules(mine, LONDON, sunday))).toEqual(first);
    mine.push({ weekday: 7, start: '20:00', end: '21:00' });
    expect(isoPairs(expandWeeklyRules(mine, LONDON, sunday))).toEqual([
      ['2027-01-03T08:00:00.000Z', '2027-01-03T09:00:00.000Z'],
      ['2027-01-03T20:00:00.000Z', '2027-01-03T21:00:00.000Z'],
    ]);
  });

  it('a kept array answers as a fresh copy would, across the DST changes, and its windows are frozen', () => {
    const kept: WeeklyRule[] = [
      { weekday: 7, start: '00:30', end: '03:00' },
      { weekday: 1, start: '09:00', end: '17:00' },
      { weekday: 6, start: '22:00', end: '24:00' },
    ];
    const from = Z('2027-03-01T00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 * 24 }), fc.integer({ min: 1, max: 15 * 24 }), (h, len) => {
        const r = { start: from + h * 3_600_000, end: from + (h + len) * 3_600_000 };
        expect(isoPairs(expandWeeklyRules(kept, LONDON, r))).toEqual(
          isoPairs(
            expandWeeklyRules(
              kept.map((x) => ({ ...x })),
              LONDON,
              r,
            ),
          ),
        );
      }),
      { numRuns: 200 },
    );
    const [w] = expandWeeklyRules(kept, LONDON, range('2027-01-03T00:00Z', '2027-01-04T00:00Z'));
    expect(Object.isFrozen(w)).toBe(true);
    // the same array in another zone is read for that zone
    const ny = expandWeeklyRules(kept, 'America/New_York', range('2027-01-04T00:00Z', '2027-01-05T00:00Z'));
    expect(isoPairs(ny)).toContainEqual(['2027-01-04T14:00:00.000Z', '2027-01-04T22:00:00.000Z']);
  });

  it('reads the rule in the supporter zone even when the UTC date differs', () => {
    // Monday 00:00-02:00 in Singapore (UTC+8) is Sunday 16:00-18:00Z.
    const sg = expandWeeklyRules(
      [{ weekday: 1, start: '00:00', end: '02:00' }],
      'Asia/Singapore',
      range('2027-01-03T00:00Z', '2027-01-04T00:00Z'),
    );
    expect(isoPairs(sg)).toEqual([['2027-01-03T16:00:00.000Z', '2027-01-03T18:00:00.000Z']]);
    // Sunday 20:00-24:00 in New York (EST, UTC-5) is Monday 01:00-05:00Z.
    const ny = expandWeeklyRules(
      [{ weekday: 7, start: '20:00', end: '24:00' }],
      'America/New_York',
      range('2027-01-04T00:00Z', '2027-01-05T00:00Z'),
    );
    expect(isoPairs(ny)).toEqual([['2027-01-04T01:00:00.000Z', '2027-01-04T05:00:00.000Z']]);
  });

  it('handles a 30-minute DST shift (Australia/Lord_Howe, 2027-04-04 02:00 → 01:30)', () => {
    // Ambiguous 01:40 takes the earlier offset (+11:00): 14:40Z on the 3rd.
    const w = expandWeeklyRules(
      [{ weekday: 7, start: '01:40', end: '03:00' }],
      'Australia/Lord_Howe',
      range('2027-04-03T00:00Z', '2027-04-04T00:00Z'),
    );
    expect(isoPairs(w)).toEqual([['2027-04-03T14:40:00.000Z', '2027-04-03T16:30:00.000Z']]);
  });

  it('throws RangeError for an unbounded range', () => {
    expect(() => expandWeeklyRules(rules, LONDON, { start: 0, end: Infinity })).toThrow(RangeError);
  });

  it('throws RangeError for an unknown zone', () => {
    expect(() => expandWeeklyRules(rules, 'Mars/Base', range('2027-01-03T00:00Z', '2027-01-04T00:00Z'))).toThrow(
      RangeError,
    );
  });
});

/** Reference: one luxon DateTime per wall time; ambiguous → earliest, skipped → luxon's forward shift. */
function luxonInstant(zone: string, date: DateTime, minutes: number): number {
  const day = date.plus({ days: Math.floor(minutes / 1440) });
  const wall = {
    year: day.year,
    month: day.month,
    day: day.day,
    hour: Math.floor((minutes % 1440) / 60),
    minute: minutes % 60,
  };
  const dt = DateTime.fromObject(wall, { zone });
  let best = dt.toMillis();
  for (const back of [30, 60, 120]) {
    const alt = dt.minus({ minutes: back });
    if (
      alt.year === wall.year &&
      alt.month === wall.month &&
      alt.day === wall.day &&
      alt.hour === wall.hour &&
      alt.minute === wall.minute
    ) {
      best = Math.min(best, alt.toMillis());
    }
  }
  return best;
}

describe('expandWeeklyRules agrees with a luxon-only reference (property)', () => {
  const zones = [
    'Europe/London',
    'America/New_York',
    'Asia/Singapore',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'America/Santiago',
    'Asia/Kolkata',
    'Pacific/Auckland',
    'America/St_Johns',
  ];
  it('for random zones, dates and rules', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2025, 0, 1) / 86_400_000, max: Date.UTC(2029, 11, 31) / 86_400_000 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 1, max: 600 }),
        (zone, epochDay, weekday, start, length) => {
          const end = Math.min(1440, start + length);
          const fmt = (m: number) =>
            `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const rule = { weekday, start: fmt(start), end: fmt(end) };
          const from = epochDay * 86_400_000;
          const to = from + 14 * 86_400_000;
          const got = expandWeeklyRules([rule], zone, { start: from, end: to });
          const expected: Interval[] = [];
          let date = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 });
          for (let i = 0; i < 17; i++, date = date.plus({ days: 1 })) {
            if (date.weekday !== weekday) continue;
            const s = luxonInstant(zone, date, start);
            const e = luxonInstant(zone, date, end);
            if (e > s && e > from && s < to) expected.push({ start: s, end: e });
          }
          expect(isoPairs(got)).toEqual(isoPairs(expected));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sociableIntervals', () => {
  it('lists 08:00-20:00 on the listed local days, following DST', () => {
    const weekend = { ...SOCIABLE, weekdays: [6, 7] };
    const got = sociableIntervals(weekend, LONDON, range('2027-03-26T00:00Z', '2027-03-29T00:00Z'));
    expect(isoPairs(got)).toEqual([
      ['2027-03-27T08:00:00.000Z', '2027-03-27T20:00:00.000Z'],
      ['2027-03-28T07:00:00.000Z', '2027-03-28T19:00:00.000Z'],
    ]);
  });

  it('uses the local date of the zone, not the UTC date', () => {
    const mondays = { ...SOCIABLE, weekdays: [1] };
    // Monday 08:00-20:00 in Singapore is Monday 00:00-12:00Z.
    const got = sociableIntervals(mondays, 'Asia/Singapore', range('2027-01-03T00:00Z', '2027-01-05T00:00Z'));
    expect(isoPairs(got)).toEqual([['2027-01-04T00:00:00.000Z', '2027-01-04T12:00:00.000Z']]);
  });
});

describe('isWithinSociableHours', () => {
  it.each([
    // Winter London = UTC.
    ['08:00-08:50 winter', '2027-01-10T08:00Z', '2027-01-10T08:50Z', LONDON, true],
    ['07:59 start', '2027-01-10T07:59Z', '2027-01-10T08:49Z', LONDON, false],
    ['19:10-20:00 ends exactly at end', '2027-01-10T19:10Z', '2027-01-10T20:00Z', LONDON, true],
    ['19:11-20:01', '2027-01-10T19:11Z', '2027-01-10T20:01Z', LONDON, false],
    // Summer London = UTC+1.
    ['19:10-20:00 BST', '2027-07-11T18:10Z', '2027-07-11T19:00Z', LONDON, true],
    ['19:11-20:01 BST', '2027-07-11T18:11Z', '2027-07-11T19:01Z', LONDON, false],
    ['07:59 BST', '2027-07-11T06:59Z', '2027-07-11T07:49Z', LONDON, false],
    ['08:00 BST on the March change day', '2027-03-28T07:00Z', '2027-03-28T07:50Z', LONDON, true],
    ['08:00 GMT on the October change day', '2027-10-31T08:00Z', '2027-10-31T08:50Z', LONDON, true],
    // The same instants, seen from other zones.
    ['London 19:10 winter is 14:10 in New York', '2027-01-10T19:10Z', '2027-01-10T20:00Z', 'America/New_York', true],
    [
      'London 18:00 winter is 02:00 next day in Singapore',
      '2027-01-10T18:00Z',
      '2027-01-10T18:50Z',
      'Asia/Singapore',
      false,
    ],
    ['Singapore 19:10-20:00', '2027-01-10T11:10Z', '2027-01-10T12:00Z', 'Asia/Singapore', true],
    ['across Singapore midnight', '2027-01-10T15:30Z', '2027-01-10T16:20Z', 'Asia/Singapore', false],
  ])('%s → %s', (_name, start, end, zone, inside) => {
    expect(isWithinSociableHours({ start: Z(start), end: Z(end) }, SOCIABLE, zone)).toBe(inside);
  });

  it('needs a listed weekday and the same local date', () => {
    const weekdays = { ...SOCIABLE, weekdays: [1, 2, 3, 4, 5] };
    expect(isWithinSociableHours(range('2027-01-10T10:00Z', '2027-01-10T10:50Z'), weekdays, LONDON)).toBe(false); // Sunday
    expect(isWithinSociableHours(range('2027-01-11T10:00Z', '2027-01-11T10:50Z'), weekdays, LONDON)).toBe(true); // Monday
    const allDay = { start: '00:00', end: '24:00', weekdays: [1, 2, 3, 4, 5, 6, 7] };
    expect(isWithinSociableHours(range('2027-01-10T23:10Z', '2027-01-11T00:00Z'), allDay, LONDON)).toBe(true);
    expect(isWithinSociableHours(range('2027-01-10T23:30Z', '2027-01-11T00:20Z'), allDay, LONDON)).toBe(false);
  });
});

describe('seriesStarts', () => {
  it('keeps 18:00 London across the March change (weekly)', () => {
    expect(seriesStarts(Z('2027-03-14T18:00Z'), LONDON, 4, 1).map(toIso)).toEqual([
      '2027-03-14T18:00:00.000Z',
      '2027-03-21T18:00:00.000Z',
      '2027-03-28T17:00:00.000Z',
      '2027-04-04T17:00:00.000Z',
    ]);
  });

  it('keeps 18:00 London across the October change (fortnightly)', () => {
    expect(seriesStarts(Z('2026-10-11T17:00Z'), LONDON, 3, 2).map(toIso)).toEqual([
      '2026-10-11T17:00:00.000Z',
      '2026-10-25T18:00:00.000Z',
      '2026-11-08T18:00:00.000Z',
    ]);
  });

  it('applies the DST rules to occurrences that land in a skipped or repeated hour', () => {
    // 01:30 on 2027-03-21 → the next Sunday's 01:30 does not exist: 02:30 BST = 01:30Z.
    expect(seriesStarts(Z('2027-03-21T01:30Z'), LONDON, 2, 1).map(toIso)).toEqual([
      '2027-03-21T01:30:00.000Z',
      '2027-03-28T01:30:00.000Z',
    ]);
    // 01:30 BST on 2027-10-24 → 2027-10-31 01:30 is ambiguous: the earlier, BST.
    expect(seriesStarts(Z('2027-10-24T00:30Z'), LONDON, 2, 1).map(toIso)).toEqual([
      '2027-10-24T00:30:00.000Z',
      '2027-10-31T00:30:00.000Z',
    ]);
  });

  it('follows the zone it is given: 18:00 New York crosses the US change on 2027-03-14', () => {
    expect(seriesStarts(Z('2027-03-07T23:00Z'), 'America/New_York', 2, 1).map(toIso)).toEqual([
      '2027-03-07T23:00:00.000Z',
      '2027-03-14T22:00:00.000Z',
    ]);
  });

  it('returns nothing for count 0 and refuses a bad interval', () => {
    expect(seriesStarts(Z('2027-03-07T23:00Z'), LONDON, 0, 1)).toEqual([]);
    expect(() => seriesStarts(Z('2027-03-07T23:00Z'), LONDON, 2, 0)).toThrow(RangeError);
    expect(() => seriesStarts(Z('2027-03-07T23:00Z'), LONDON, -1, 1)).toThrow(RangeError);
  });
});
