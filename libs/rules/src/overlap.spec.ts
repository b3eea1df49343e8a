import { overlaps, overlapsAny } from './overlap';

const M = 60_000;
const iv = (startMin: number, endMin: number) => ({ start: startMin * M, end: endMin * M });

describe('overlaps', () => {
  it.each([
    // [a, b, buffer minutes, overlap?]
    [iv(0, 50), iv(50, 100), 0, false], // touching: not an overlap
    [iv(0, 50), iv(49, 100), 0, true],
    [iv(0, 50), iv(10, 20), 0, true], // inside
    [iv(0, 50), iv(100, 150), 0, false],
    [iv(0, 50), iv(55, 100), 10, true], // the first one's buffer reaches into the second
    [iv(0, 50), iv(60, 100), 10, false], // buffer ends exactly at the next start
    [iv(60, 100), iv(0, 50), 10, false],
    [iv(55, 100), iv(0, 50), 10, true],
    [iv(10, 10), iv(0, 100), 0, false], // an empty interval overlaps nothing (as an empty tstzrange)
  ])('%j and %j with %i min buffer: %s', (a, b, buffer, expected) => {
    expect(overlaps(a, b, buffer)).toBe(expected);
    expect(overlaps(b, a, buffer)).toBe(expected);
  });

  it('overlapsAny: any of the others', () => {
    expect(overlapsAny(iv(0, 50), [iv(100, 200), iv(40, 60)])).toBe(true);
    expect(overlapsAny(iv(0, 50), [iv(100, 200), iv(50, 60)])).toBe(false);
    expect(overlapsAny(iv(0, 50), [iv(100, 200), iv(55, 60)], 10)).toBe(true);
    expect(overlapsAny(iv(0, 50), [])).toBe(false);
  });
});
