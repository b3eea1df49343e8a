import { rulesOutsideSociableHours, validateWeeklyRules, WeeklyRule } from './index';

const SOCIABLE = { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5, 6, 7] };

describe('validateWeeklyRules', () => {
  it('accepts valid, touching and end-of-day windows', () => {
    const rules: WeeklyRule[] = [
      { weekday: 7, start: '18:00', end: '20:00' },
      { weekday: 7, start: '20:00', end: '24:00' },
      { weekday: 7, start: '00:00', end: '00:01' },
      { weekday: 1, start: '18:00', end: '20:00' },
    ];
    expect(validateWeeklyRules(rules)).toEqual([]);
  });

  it.each<[string, WeeklyRule, string]>([
    ['weekday 0', { weekday: 0, start: '08:00', end: '09:00' }, 'weekly[0].weekday'],
    ['weekday 8', { weekday: 8, start: '08:00', end: '09:00' }, 'weekly[0].weekday'],
    ['weekday 1.5', { weekday: 1.5, start: '08:00', end: '09:00' }, 'weekly[0].weekday'],
    ['start 24:00', { weekday: 1, start: '24:00', end: '24:00' }, 'weekly[0].start'],
    ['start 8:00', { weekday: 1, start: '8:00', end: '09:00' }, 'weekly[0].start'],
    ['end 24:01', { weekday: 1, start: '08:00', end: '24:01' }, 'weekly[0].end'],
    ['end == start', { weekday: 1, start: '08:00', end: '08:00' }, 'weekly[0].end'],
    ['end < start', { weekday: 1, start: '20:00', end: '18:00' }, 'weekly[0].end'],
    ['end 00:00', { weekday: 1, start: '00:00', end: '00:00' }, 'weekly[0].end'],
  ])('reports %s on its field', (_name, rule, field) => {
    const problems = validateWeeklyRules([rule]);
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe(field);
    expect(problems[0].message).toMatch(/\w+/);
  });

  it('reports an overlap on the later window, naming the earlier one', () => {
    const problems = validateWeeklyRules([
      { weekday: 7, start: '19:00', end: '21:00' },
      { weekday: 3, start: '19:00', end: '21:00' },
      { weekday: 7, start: '18:00', end: '20:00' },
    ]);
    expect(problems).toEqual([{ field: 'weekly[0].start', message: 'overlaps weekly[2] (Sunday 18:00-20:00)' }]);
  });

  it('finds an overlap with a long earlier window, not just the neighbour', () => {
    const problems = validateWeeklyRules([
      { weekday: 2, start: '08:00', end: '20:00' },
      { weekday: 2, start: '09:00', end: '10:00' },
      { weekday: 2, start: '12:00', end: '13:00' },
    ]);
    expect(problems.map((p) => p.field)).toEqual(['weekly[1].start', 'weekly[2].start']);
  });

  it('flags the higher index when two windows start together', () => {
    const problems = validateWeeklyRules([
      { weekday: 5, start: '10:00', end: '11:00' },
      { weekday: 5, start: '10:00', end: '12:00' },
    ]);
    expect(problems.map((p) => p.field)).toEqual(['weekly[1].start']);
  });

  it('uses the field prefix and reports several problems per rule', () => {
    const problems = validateWeeklyRules([{ weekday: 9, start: 'x', end: 'y' }], 'availability');
    expect(problems.map((p) => p.field)).toEqual([
      'availability[0].weekday',
      'availability[0].start',
      'availability[0].end',
    ]);
  });

  it('reports a rule that is not an object', () => {
    expect(validateWeeklyRules([null as unknown as WeeklyRule])).toEqual([
      { field: 'weekly[0]', message: expect.any(String) },
    ]);
  });
});

describe('rulesOutsideSociableHours', () => {
  it.each<[string, WeeklyRule, boolean]>([
    ['exactly 08:00-20:00', { weekday: 7, start: '08:00', end: '20:00' }, false],
    ['ending exactly at 20:00', { weekday: 7, start: '19:10', end: '20:00' }, false],
    ['ending 20:01', { weekday: 7, start: '19:11', end: '20:01' }, true],
    ['starting 07:59', { weekday: 7, start: '07:59', end: '09:00' }, true],
    ['ending at 24:00', { weekday: 7, start: '18:00', end: '24:00' }, true],
  ])('%s → outside=%s', (_name, rule, outside) => {
    expect(rulesOutsideSociableHours([rule], SOCIABLE)).toEqual(outside ? [0] : []);
  });

  it('reports windows on weekdays that are not listed, and unreadable rules', () => {
    const weekdaysOnly = { ...SOCIABLE, weekdays: [1, 2, 3, 4, 5] };
    const rules: WeeklyRule[] = [
      { weekday: 1, start: '09:00', end: '10:00' },
      { weekday: 6, start: '09:00', end: '10:00' },
      { weekday: 1, start: '10:00', end: '09:00' },
    ];
    expect(rulesOutsideSociableHours(rules, weekdaysOnly)).toEqual([1, 2]);
  });
});
