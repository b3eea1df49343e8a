// Slightly over 300 lines: generateSlots' table of cases and its fast-check properties against a brute-force model.
import fc from 'fast-check';
import {
  expandWeeklyRules,
  generateSlots,
  Interval,
  isInsideAnyWindow,
  isWithinSociableHours,
  overlapsBuffered,
  SlotQuery,
  toIso,
  WeeklyRule,
} from './index';

const MIN = 60_000;
const Z = (iso: string): number => Date.parse(iso);
const span = (from: string, to: string): Interval => ({ start: Z(from), end: Z(to) });
const starts = (slots: Interval[]): string[] => slots.map((s) => toIso(s.start).slice(0, 16));
const SOCIABLE = { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] };

/** A Sunday 18:00-21:00Z window, 50 + 10 minutes, nothing booked, wide open limits. */
function query(overrides: Partial<SlotQuery> = {}): SlotQuery {
  return {
    windows: [span('2027-01-10T18:00Z', '2027-01-10T21:00Z')],
    busy: [],
    timeOff: [],
    durationMinutes: 50,
    bufferMinutes: 10,
    range: span('2027-01-01T00:00Z', '2027-02-01T00:00Z'),
    earliestStart: Z('2027-01-01T00:00Z'),
    latestEnd: Z('2027-02-01T00:00Z'),
    ...overrides,
  };
}

describe('generateSlots: the grid', () => {
  it('starts at the window start, steps by duration + buffer, and stops when a slot no longer fits', () => {
    const slots = generateSlots(query());
    expect(starts(slots)).toEqual(['2027-01-10T18:00', '2027-01-10T19:00', '2027-01-10T20:00']);
    expect(slots.every((s) => s.end - s.start === 50 * MIN)).toBe(true);
  });

  it('lets the last slot end exactly at the window end but not past it', () => {
    expect(starts(generateSlots(query({ windows: [span('2027-01-10T18:00Z', '2027-01-10T20:50Z')] })))).toEqual([
      '2027-01-10T18:00',
      '2027-01-10T19:00',
      '2027-01-10T20:00',
    ]);
    expect(starts(generateSlots(query({ windows: [span('2027-01-10T18:00Z', '2027-01-10T20:49Z')] })))).toEqual([
      '2027-01-10T18:00',
      '2027-01-10T19:00',
    ]);
  });

  it('anchors each window separately, even when two touch', () => {
    const windows = [span('2027-01-10T18:00Z', '2027-01-10T19:00Z'), span('2027-01-10T19:00Z', '2027-01-10T20:00Z')];
    expect(starts(generateSlots(query({ windows, durationMinutes: 45 })))).toEqual([
      '2027-01-10T18:00',
      '2027-01-10T19:00',
    ]);
  });

  it('follows DST through the windows: 18:00 London is 18:00Z in winter and 17:00Z in summer', () => {
    const rules: WeeklyRule[] = [{ weekday: 7, start: '18:00', end: '20:00' }];
    const range = span('2027-03-20T00:00Z', '2027-04-01T00:00Z');
    const slots = generateSlots(
      query({ windows: expandWeeklyRules(rules, 'Europe/London', range), range, latestEnd: range.end }),
    );
    expect(starts(slots)).toEqual(['2027-03-21T18:00', '2027-03-21T19:00', '2027-03-28T17:00', '2027-03-28T18:00']);
  });

  it('accepts unsorted windows and returns sorted slots', () => {
    const windows = [span('2027-01-11T09:00Z', '2027-01-11T10:00Z'), span('2027-01-10T18:00Z', '2027-01-10T19:00Z')];
    expect(starts(generateSlots(query({ windows })))).toEqual(['2027-01-10T18:00', '2027-01-11T09:00']);
  });

  it('never returns overlapping or duplicate slots from overlapping windows', () => {
    const windows = [
      span('2027-01-10T18:00Z', '2027-01-10T20:00Z'),
      span('2027-01-10T18:00Z', '2027-01-10T20:00Z'),
      span('2027-01-10T18:30Z', '2027-01-10T21:00Z'),
    ];
    // 18:00 and 19:00 from the first two; 18:30 and 19:30 from the third overlap them and go.
    expect(starts(generateSlots(query({ windows })))).toEqual(['2027-01-10T18:00', '2027-01-10T19:00']);
  });

  it('copes with an unbounded horizon, sociable hours included', () => {
    const slots = generateSlots(
      query({
        latestEnd: Infinity,
        range: { start: -Infinity, end: Infinity },
        sociable: { hours: SOCIABLE, zones: ['Europe/London'] },
      }),
    );
    expect(starts(slots)).toEqual(['2027-01-10T18:00', '2027-01-10T19:00']);
  });

  it('refuses a duration that is not positive', () => {
    expect(() => generateSlots(query({ durationMinutes: 0 }))).toThrow(RangeError);
    expect(() => generateSlots(query({ bufferMinutes: -1 }))).toThrow(RangeError);
  });
});

describe('generateSlots: what leaves a slot out', () => {
  it.each<[string, Partial<SlotQuery>, string[]]>([
    [
      'a short booking in the middle',
      { busy: [span('2027-01-10T19:20Z', '2027-01-10T19:30Z')] },
      ['2027-01-10T18:00', '2027-01-10T20:00'],
    ],
    [
      'a booking whose buffer ends exactly at a slot start (19:00-19:50 + 10 = 20:00)',
      { busy: [span('2027-01-10T19:00Z', '2027-01-10T19:50Z')] },
      ['2027-01-10T18:00', '2027-01-10T20:00'],
    ],
    [
      'a booking starting exactly at a slot end + buffer is fine (18:00-18:50 + 10 = 19:00)',
      {
        busy: [span('2027-01-10T19:00Z', '2027-01-10T19:30Z')],
        windows: [span('2027-01-10T18:00Z', '2027-01-10T19:00Z')],
      },
      ['2027-01-10T18:00'],
    ],
    [
      'a booking starting one minute inside a slot buffer',
      {
        busy: [span('2027-01-10T18:59Z', '2027-01-10T19:30Z')],
        windows: [span('2027-01-10T18:00Z', '2027-01-10T19:00Z')],
      },
      [],
    ],
    [
      'a booking 17:01-17:51, whose buffer runs to 18:01',
      { busy: [span('2027-01-10T17:01Z', '2027-01-10T17:51Z')] },
      ['2027-01-10T19:00', '2027-01-10T20:00'],
    ],
    [
      'a booking 17:00-17:50, whose buffer ends exactly at 18:00',
      { busy: [span('2027-01-10T17:00Z', '2027-01-10T17:50Z')] },
      ['2027-01-10T18:00', '2027-01-10T19:00', '2027-01-10T20:00'],
    ],
    [
      'time off over part of a slot',
      { timeOff: [span('2027-01-10T19:49Z', '2027-01-10T19:55Z')] },
      ['2027-01-10T18:00', '2027-01-10T20:00'],
    ],
    [
      'time off in a buffer gap only',
      { timeOff: [span('2027-01-10T18:50Z', '2027-01-10T19:00Z')] },
      ['2027-01-10T18:00', '2027-01-10T19:00', '2027-01-10T20:00'],
    ],
    ['time off over everything', { timeOff: [span('2027-01-09T00:00Z', '2027-01-12T00:00Z')] }, []],
    [
      'minimum notice: earliest start 18:01',
      { earliestStart: Z('2027-01-10T18:01Z') },
      ['2027-01-10T19:00', '2027-01-10T20:00'],
    ],
    [
      'minimum notice: earliest start exactly 19:00',
      { earliestStart: Z('2027-01-10T19:00Z') },
      ['2027-01-10T19:00', '2027-01-10T20:00'],
    ],
    ['horizon: latest end 19:49', { latestEnd: Z('2027-01-10T19:49Z') }, ['2027-01-10T18:00']],
    [
      'horizon: latest end exactly 19:50',
      { latestEnd: Z('2027-01-10T19:50Z') },
      ['2027-01-10T18:00', '2027-01-10T19:00'],
    ],
    [
      'range start inside the window',
      { range: span('2027-01-10T18:30Z', '2027-01-11T00:00Z') },
      ['2027-01-10T19:00', '2027-01-10T20:00'],
    ],
    [
      'range end cuts the last slot',
      { range: span('2027-01-10T00:00Z', '2027-01-10T20:30Z') },
      ['2027-01-10T18:00', '2027-01-10T19:00'],
    ],
    ['limit', { limit: 2 }, ['2027-01-10T18:00', '2027-01-10T19:00']],
    ['limit 0', { limit: 0 }, []],
    [
      'no buffer: back-to-back slots',
      { bufferMinutes: 0, durationMinutes: 60 },
      ['2027-01-10T18:00', '2027-01-10T19:00', '2027-01-10T20:00'],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(starts(generateSlots(query(overrides)))).toEqual(expected);
  });
});

describe('generateSlots: sociable hours in both zones', () => {
  const londonSaturday = (date: string) => [span(`${date}T08:00Z`, `${date}T20:00Z`)];
  it('a New York caller in winter: London 08:00-20:00 is 03:00-15:00 New York, so slots start at 13:00Z', () => {
    const slots = generateSlots(
      query({
        windows: londonSaturday('2027-01-09'),
        sociable: { hours: SOCIABLE, zones: ['Europe/London', 'America/New_York'] },
      }),
    );
    expect(starts(slots)).toEqual(
      ['13:00', '14:00', '15:00', '16:00', '17:00', '18:00', '19:00'].map((t) => `2027-01-09T${t}`),
    );
  });

  it('between the US and UK March changes (2027-03-20), New York 08:00 is 12:00Z', () => {
    const slots = generateSlots(
      query({
        windows: londonSaturday('2027-03-20'),
        range: span('2027-03-01T00:00Z', '2027-04-01T00:00Z'),
        latestEnd: Z('2027-04-01T00:00Z'),
        sociable: { hours: SOCIABLE, zones: ['Europe/London', 'America/New_York'] },
      }),
    );
    expect(slots[0].start).toBe(Z('2027-03-20T12:00Z'));
    expect(slots).toHaveLength(8);
  });

  it('a Singapore caller: a London Sunday evening is past midnight in Singapore, so no slots', () => {
    const slots = generateSlots(query({ sociable: { hours: SOCIABLE, zones: ['Europe/London', 'Asia/Singapore'] } }));
    expect(slots).toEqual([]);
  });

  it('a Singapore caller: London 10:00-14:00 winter is 18:00-22:00 Singapore, cut at Singapore 20:00', () => {
    const slots = generateSlots(
      query({
        windows: [span('2027-01-10T10:00Z', '2027-01-10T14:00Z')],
        sociable: { hours: SOCIABLE, zones: ['Europe/London', 'Asia/Singapore'] },
      }),
    );
    expect(starts(slots)).toEqual(['2027-01-10T10:00', '2027-01-10T11:00']);
  });

  it('lays the grid from the start of the piece left after the cut (London window 07:30-10:00 → 08:00)', () => {
    const slots = generateSlots(
      query({
        windows: [span('2027-01-10T07:30Z', '2027-01-10T10:00Z')],
        sociable: { hours: SOCIABLE, zones: ['Europe/London'] },
      }),
    );
    expect(starts(slots)).toEqual(['2027-01-10T08:00', '2027-01-10T09:00']);
  });

  it('lets a slot end exactly at 20:00 local in summer (19:00Z) but not a minute later', () => {
    const summer = {
      range: span('2027-07-01T00:00Z', '2027-08-01T00:00Z'),
      latestEnd: Z('2027-08-01T00:00Z'),
      sociable: { hours: SOCIABLE, zones: ['Europe/London'] },
    };
    const exact = generateSlots(query({ ...summer, windows: [span('2027-07-11T17:10Z', '2027-07-11T19:30Z')] }));
    expect(exact.map((s) => toIso(s.end).slice(11, 16))).toEqual(['18:00', '19:00']);
    const late = generateSlots(query({ ...summer, windows: [span('2027-07-11T17:11Z', '2027-07-11T19:30Z')] }));
    expect(late.map((s) => toIso(s.end).slice(11, 16))).toEqual(['18:01']);
  });
});

/** The contract, written the slow and obvious way. */
function referenceSlots(q: SlotQuery): Interval[] {
  const out: Interval[] = [];
  const step = (q.durationMinutes + q.bufferMinutes) * MIN;
  for (const w of q.windows) {
    for (let s = w.start; s + q.durationMinutes * MIN <= w.end; s += step) {
      const slot = { start: s, end: s + q.durationMinutes * MIN };
      if (q.busy.some((b) => overlapsBuffered(slot, b, q.bufferMinutes))) continue;
      if (q.timeOff.some((t) => t.start < slot.end && slot.start < t.end)) continue;
      if (slot.start < q.earliestStart || slot.start < q.range.start) continue;
      if (slot.end > q.latestEnd || slot.end > q.range.end) continue;
      out.push(slot);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

const BASE = Z('2027-03-22T00:00Z');
const DAYS = 4;
const arbSpan = (maxLen: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: DAYS * 1440 }), fc.integer({ min: 1, max: maxLen }))
    .map(([m, len]) => ({ start: BASE + m * MIN, end: BASE + (m + len) * MIN }));
/** Disjoint windows, as expandWeeklyRules yields from validated rules. */
const arbWindows = fc.array(arbSpan(600), { minLength: 1, maxLength: 10 }).map((ws) => {
  const sorted = ws.sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const w of sorted) if (out.length === 0 || w.start >= out[out.length - 1].end) out.push(w);
  return out;
});
const arbQuery: fc.Arbitrary<SlotQuery> = fc
  .record({
    windows: arbWindows,
    busy: fc.array(arbSpan(120), { maxLength: 8 }),
    timeOff: fc.array(arbSpan(600), { maxLength: 2 }),
    durationMinutes: fc.integer({ min: 5, max: 120 }),
    bufferMinutes: fc.integer({ min: 0, max: 30 }),
    rangeStart: fc.integer({ min: -60, max: 1440 }),
    rangeLength: fc.integer({ min: 0, max: (DAYS + 1) * 1440 }),
    notice: fc.integer({ min: -60, max: 1440 }),
    horizon: fc.integer({ min: 1440, max: (DAYS + 1) * 1440 }),
    limit: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  })
  .map((r) => ({
    windows: r.windows,
    busy: r.busy,
    timeOff: r.timeOff,
    durationMinutes: r.durationMinutes,
    bufferMinutes: r.bufferMinutes,
    range: { start: BASE + r.rangeStart * MIN, end: BASE + (r.rangeStart + r.rangeLength) * MIN },
    earliestStart: BASE + r.notice * MIN,
    latestEnd: BASE + r.horizon * MIN,
    limit: r.limit,
  }));

describe('generateSlots (properties)', () => {
  it('slots are sorted, never overlap, stay inside a window, and respect range, notice and horizon', () => {
    fc.assert(
      fc.property(arbQuery, (q) => {
        const slots = generateSlots(q);
        slots.forEach((s, i) => {
          expect(s.end - s.start).toBe(q.durationMinutes * MIN);
          if (i > 0) expect(slots[i - 1].end).toBeLessThanOrEqual(s.start);
          expect(isInsideAnyWindow(s, q.windows)).toBe(true);
          expect(s.start).toBeGreaterThanOrEqual(Math.max(q.range.start, q.earliestStart));
          expect(s.end).toBeLessThanOrEqual(Math.min(q.range.end, q.latestEnd));
        });
        if (q.limit !== undefined) expect(slots.length).toBeLessThanOrEqual(q.limit);
      }),
      { numRuns: 200 },
    );
  });

  it('slots never cross time off or a booking with its buffer', () => {
    fc.assert(
      fc.property(arbQuery, (q) => {
        for (const s of generateSlots(q)) {
          expect(q.busy.some((b) => overlapsBuffered(s, b, q.bufferMinutes))).toBe(false);
          expect(q.timeOff.some((t) => t.start < s.end && s.start < t.end)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('equals the slow reference (the first `limit` of it)', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(arbQuery, (q) => {
        const expected = referenceSlots(q).slice(0, q.limit ?? Infinity);
        const got = generateSlots(q);
        expect(got).toEqual(expected);
        if (got.length > 0) nonEmpty++;
      }),
      { numRuns: 200 },
    );
    // Guard against a generator that only ever produces empty answers.
    expect(nonEmpty).toBeGreaterThan(50);
  });

  it('with overlapping windows, slots are still sorted, distinct and non-overlapping', () => {
    fc.assert(
      fc.property(fc.array(arbSpan(600), { maxLength: 6 }), fc.integer({ min: 5, max: 90 }), (windows, duration) => {
        const slots = generateSlots(
          query({
            windows,
            durationMinutes: duration,
            range: { start: BASE, end: BASE + 10 * 1440 * MIN },
            earliestStart: BASE,
            latestEnd: BASE + 10 * 1440 * MIN,
          }),
        );
        slots.forEach((s, i) => {
          if (i > 0) expect(slots[i - 1].end).toBeLessThanOrEqual(s.start);
          expect(isInsideAnyWindow(s, windows)).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('with sociable hours, every slot is inside them in every listed zone', () => {
    const zones = ['Europe/London', 'America/New_York', 'Asia/Singapore', 'Australia/Sydney'];
    fc.assert(
      fc.property(arbQuery, fc.subarray(zones, { minLength: 1 }), (q, sociableZones) => {
        const slots = generateSlots({ ...q, sociable: { hours: SOCIABLE, zones: sociableZones } });
        for (const s of slots) {
          for (const zone of sociableZones) expect(isWithinSociableHours(s, SOCIABLE, zone)).toBe(true);
          expect(isInsideAnyWindow(s, q.windows)).toBe(true);
        }
        if (q.limit !== undefined) expect(slots.length).toBeLessThanOrEqual(q.limit);
      }),
      { numRuns: 200 },
    );
  });
});
