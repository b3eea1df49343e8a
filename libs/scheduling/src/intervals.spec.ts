import fc from 'fast-check';
import {
  intersectIntervals,
  Interval,
  isInsideAnyWindow,
  mergeIntervals,
  overlapsBuffered,
  subtractIntervals,
} from './index';

const iv = (start: number, end: number): Interval => ({ start, end });
const MIN = 60_000;

/** Brute force: the set of covered unit cells [t, t+1) on a small integer line. */
function cells(a: Interval[]): Set<number> {
  const s = new Set<number>();
  for (const x of a) for (let t = x.start; t < x.end; t++) s.add(t);
  return s;
}

function isSortedDisjointNonEmpty(a: Interval[]): boolean {
  return a.every((x, i) => x.end > x.start && (i === 0 || a[i - 1].end < x.start));
}

const arbIntervals = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 12 })).map(([s, len]) => iv(s, s + len)),
  { maxLength: 8 },
);

describe('mergeIntervals', () => {
  it.each<[string, Interval[], Interval[]]>([
    ['empty', [], []],
    ['unsorted overlapping', [iv(5, 8), iv(1, 3), iv(2, 6)], [iv(1, 8)]],
    ['touching joins', [iv(1, 2), iv(2, 3)], [iv(1, 3)]],
    ['drops empty', [iv(4, 4), iv(6, 5)], []],
    ['keeps gaps', [iv(1, 2), iv(3, 4)], [iv(1, 2), iv(3, 4)]],
  ])('%s', (_name, input, expected) => {
    expect(mergeIntervals(input)).toEqual(expected);
  });

  it('does not mutate its input', () => {
    const input = [iv(2, 6), iv(1, 3)];
    mergeIntervals(input);
    expect(input).toEqual([iv(2, 6), iv(1, 3)]);
  });

  it('covers exactly the union, sorted and disjoint (property)', () => {
    fc.assert(
      fc.property(arbIntervals, (a) => {
        const m = mergeIntervals(a);
        expect(isSortedDisjointNonEmpty(m)).toBe(true);
        expect(cells(m)).toEqual(cells(a));
      }),
      { numRuns: 200 },
    );
  });
});

describe('intersectIntervals and subtractIntervals', () => {
  it('examples', () => {
    expect(intersectIntervals([iv(0, 10), iv(20, 30)], [iv(5, 25)])).toEqual([iv(5, 10), iv(20, 25)]);
    expect(intersectIntervals([iv(0, 10)], [iv(10, 20)])).toEqual([]);
    expect(subtractIntervals([iv(0, 10)], [iv(2, 3), iv(5, 7)])).toEqual([iv(0, 2), iv(3, 5), iv(7, 10)]);
    expect(subtractIntervals([iv(0, 10), iv(12, 14)], [iv(-5, 20)])).toEqual([]);
    expect(subtractIntervals([iv(0, 10)], [])).toEqual([iv(0, 10)]);
  });

  it('match the brute-force set operations (property)', () => {
    fc.assert(
      fc.property(arbIntervals, arbIntervals, (a, b) => {
        const ca = cells(a);
        const cb = cells(b);
        const inter = intersectIntervals(a, b);
        const diff = subtractIntervals(a, b);
        expect(isSortedDisjointNonEmpty(inter)).toBe(true);
        expect(isSortedDisjointNonEmpty(diff)).toBe(true);
        expect(cells(inter)).toEqual(new Set([...ca].filter((t) => cb.has(t))));
        expect(cells(diff)).toEqual(new Set([...ca].filter((t) => !cb.has(t))));
      }),
      { numRuns: 200 },
    );
  });
});

describe('isInsideAnyWindow', () => {
  const windows = [iv(100, 200), iv(200, 300), iv(400, 500)];
  it.each<[string, Interval, boolean]>([
    ['exactly a window', iv(100, 200), true],
    ['starting at any minute inside', iv(137, 187), true],
    ['ending exactly at the end', iv(450, 500), true],
    ['one past the end', iv(451, 501), false],
    ['before the start', iv(99, 150), false],
    ['across two touching windows', iv(150, 250), false],
    ['in a gap', iv(300, 400), false],
    ['empty', iv(150, 150), false],
  ])('%s → %s', (_name, interval, inside) => {
    expect(isInsideAnyWindow(interval, windows)).toBe(inside);
  });

  it('takes unsorted windows', () => {
    expect(isInsideAnyWindow(iv(410, 420), [iv(400, 500), iv(0, 10)])).toBe(true);
  });
});

describe('overlapsBuffered', () => {
  const a = iv(0, 50 * MIN);
  it.each<[string, Interval, number, boolean]>([
    ['b starts exactly at a.end + buffer', iv(60 * MIN, 110 * MIN), 10, false],
    ['b starts one minute inside the buffer', iv(59 * MIN, 109 * MIN), 10, true],
    ['b ends so that its buffer ends exactly at a.start', iv(-60 * MIN, -10 * MIN), 10, false],
    ['b buffer reaches a minute into a', iv(-59 * MIN, -9 * MIN), 10, true],
    ['touching without buffer', iv(50 * MIN, 100 * MIN), 0, false],
    ['overlapping without buffer', iv(49 * MIN, 100 * MIN), 0, true],
    ['identical', a, 10, true],
  ])('%s (buffer %i) → %s', (_name, b, buffer, expected) => {
    expect(overlapsBuffered(a, b, buffer)).toBe(expected);
    expect(overlapsBuffered(b, a, buffer)).toBe(expected);
  });

  it('an empty range overlaps nothing, as in PostgreSQL', () => {
    expect(overlapsBuffered(iv(10, 10), iv(0, 100), 0)).toBe(false);
    expect(overlapsBuffered(iv(10, 10), iv(0, 100), 1)).toBe(true);
  });
});
