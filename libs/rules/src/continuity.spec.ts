import { CONTINUITY_STATUSES, continuityFirst, continuityStatusesSql } from './continuity';

describe('continuity', () => {
  it('counts confirmed and completed bookings, not cancelled ones or no-shows', () => {
    expect([...CONTINUITY_STATUSES].sort()).toEqual(['completed', 'confirmed']);
    expect(continuityStatusesSql()).toBe("'confirmed', 'completed'");
  });

  it.each([
    [true, false, -1],
    [false, true, 1],
    [true, true, 0],
    [false, false, 0],
  ])('supportedBefore %s vs %s: %i', (a, b, expected) => {
    expect(continuityFirst({ supportedBefore: a }, { supportedBefore: b })).toBe(expected);
  });
});
