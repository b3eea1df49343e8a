import { WALL_TIME, WALL_TIME_END, WALL_TIME_END_PATTERN, WALL_TIME_PATTERN } from './wall-time-patterns';
import { parseWallTime } from './wall-time';

describe('wall-clock time patterns', () => {
  it.each([
    ['00:00', true, true],
    ['08:05', true, true],
    ['19:59', true, true],
    ['23:59', true, true],
    ['24:00', false, true],
    ['24:01', false, false],
    ['25:00', false, false],
    ['12:60', false, false],
    ['7:00', false, false],
    ['07:0', false, false],
    ['0700', false, false],
    [' 07:00', false, false],
    ['07:00 ', false, false],
    ['07:00\n', false, false],
    ['HH:mm', false, false],
    ['', false, false],
  ])('%j: start %s, end %s', (value, start, end) => {
    expect(WALL_TIME.test(value)).toBe(start);
    expect(WALL_TIME_END.test(value)).toBe(end);
  });

  it('agree with parseWallTime on every two-digit "HH:mm"', () => {
    const disagreements: string[] = [];
    for (let h = 0; h < 100; h++) {
      for (let m = 0; m < 100; m++) {
        const v = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
        if (WALL_TIME.test(v) !== (parseWallTime(v) !== null)) disagreements.push(`start ${v}`);
        if (WALL_TIME_END.test(v) !== (parseWallTime(v, { allowEndOfDay: true }) !== null))
          disagreements.push(`end ${v}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('are the regular expressions the document publishes', () => {
    expect(WALL_TIME.source).toBe(WALL_TIME_PATTERN);
    expect(WALL_TIME_END.source).toBe(WALL_TIME_END_PATTERN);
  });
});
