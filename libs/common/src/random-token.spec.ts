import { randomTokenBytes } from './random-token';

describe('randomTokenBytes', () => {
  it('hands out the requested length, never the same bytes twice, across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      // 32 does not divide into the pool evenly after the 7-byte draws: refills happen mid-token
      const b = randomTokenBytes(i % 3 === 0 ? 7 : 32);
      expect(b).toHaveLength(i % 3 === 0 ? 7 : 32);
      seen.add(b.toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });

  it('a token is its own copy: later draws do not change it', () => {
    const a = randomTokenBytes(32);
    const before = a.toString('hex');
    for (let i = 0; i < 300; i++) randomTokenBytes(32);
    expect(a.toString('hex')).toBe(before);
  });

  it('more than the pool holds comes straight from the CSPRNG', () => {
    const big = randomTokenBytes(10_000);
    expect(big).toHaveLength(10_000);
    expect(new Set(big).size).toBeGreaterThan(200);
  });
});
