import { backoffMs } from './backoff';
import { DEFAULT_OUTBOX_OPTIONS, describeError } from './outbox.worker';

const noJitter = { backoffBaseMs: 1000, backoffCapMs: 600_000, jitter: 0 };

describe('backoffMs', () => {
  it.each([
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [4, 16_000],
    [7, 128_000],
    [9, 512_000],
    [10, 600_000],
    [30, 600_000],
  ])('after attempt %i waits %i ms', (attempts, ms) => {
    expect(backoffMs(attempts, noJitter)).toBe(ms);
  });

  it('grows with every attempt until the cap', () => {
    const waits = Array.from({ length: 12 }, (_, i) => backoffMs(i + 1, noJitter));
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]);
    expect(Math.max(...waits)).toBe(600_000);
  });

  it('jitter adds at most its fraction and never passes the cap', () => {
    const o = { ...noJitter, jitter: 0.1 };
    expect(backoffMs(3, o, () => 0)).toBe(8_000);
    expect(backoffMs(3, o, () => 0.999999)).toBe(8_800);
    expect(backoffMs(20, o, () => 0.999999)).toBe(600_000);
  });

  it('a zero base retries at once (tests)', () => {
    expect(backoffMs(5, { ...noJitter, backoffBaseMs: 0 })).toBe(0);
  });

  it('the defaults give 8 attempts, 2^n seconds apart, at most 10 minutes', () => {
    expect(DEFAULT_OUTBOX_OPTIONS.maxAttempts).toBe(8);
    expect(DEFAULT_OUTBOX_OPTIONS.backoffBaseMs).toBe(1000);
    expect(DEFAULT_OUTBOX_OPTIONS.backoffCapMs).toBe(600_000);
    expect(DEFAULT_OUTBOX_OPTIONS.leaseMs).toBeGreaterThan(30_000);
  });
});

describe('describeError', () => {
  it('keeps the code and status but never the recipient, an address or a number', () => {
    const err = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <jo.bloggs@nhs.example>: no such user"), {
      code: 'EENVELOPE',
      responseCode: 550,
    });
    const text = describeError(err, { recipient: 'jo.bloggs@nhs.example' });
    expect(text).toContain('EENVELOPE');
    expect(text).toContain('550');
    expect(text).not.toContain('jo.bloggs');
    expect(text).not.toContain('nhs.example');
  });

  it('scrubs phone numbers', () => {
    const text = describeError(new Error('bad number +447700900123 and 07700 900 123'), { recipient: '+447700900123' });
    expect(text).not.toMatch(/7700/);
  });

  it('is at most 500 characters', () => {
    expect(describeError(new Error('x'.repeat(2000)), { recipient: 'a@b.c' }).length).toBeLessThanOrEqual(500);
  });
});
