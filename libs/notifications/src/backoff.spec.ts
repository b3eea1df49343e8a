import { backoffMs } from './backoff';
import { DEFAULT_OUTBOX_OPTIONS, describeError, errorReason, isPermanentFailure } from './outbox.worker';

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

  it('the defaults retry 2^n seconds apart, at most 10 minutes, for 48 hours (the attempt bound is far beyond that)', () => {
    expect(DEFAULT_OUTBOX_OPTIONS.giveUpAfterMs).toBe(48 * 3_600_000);
    // 48 h at one try per 10 min is under 300 attempts
    expect(DEFAULT_OUTBOX_OPTIONS.maxAttempts).toBeGreaterThan(300);
    expect(DEFAULT_OUTBOX_OPTIONS.backoffBaseMs).toBe(1000);
    expect(DEFAULT_OUTBOX_OPTIONS.backoffCapMs).toBe(600_000);
    expect(DEFAULT_OUTBOX_OPTIONS.leaseMs).toBeGreaterThan(30_000);
  });
});

describe('describeError', () => {
  it('keeps the code and status but never the recipient, an address or a number', () => {
    const err = Object.assign(
      new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <jo.bloggs@nhs.example>: no such user"),
      {
        code: 'EENVELOPE',
        responseCode: 550,
      },
    );
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

describe('errorReason and isPermanentFailure', () => {
  const smtp = (responseCode: number) =>
    Object.assign(new Error(`${responseCode} reply for <jo@nhs.example>`), { code: 'EMESSAGE', responseCode });
  const http = (status: number) =>
    Object.assign(new Error(`Request failed with status code ${status}`), { response: { status } });
  it.each([
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' }),
      'ECONNREFUSED',
      false,
    ],
    ['a timeout', Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' }), 'ETIMEDOUT', false],
    ['SMTP 421 (busy)', smtp(421), 'smtp_421', false],
    ['SMTP 451 (try later)', smtp(451), 'smtp_451', false],
    ['SMTP 550 (no such user)', smtp(550), 'smtp_550', true],
    ['SMTP 554 (refused)', smtp(554), 'smtp_554', true],
    ['Notify 400 (bad number)', http(400), 'http_400', true],
    ['Notify 403 (bad key)', http(403), 'http_403', true],
    ['Notify 429 (rate limit)', http(429), 'http_429', false],
    ['Notify 500', http(500), 'http_500', false],
    [
      'a malformed envelope',
      Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' }),
      'EENVELOPE',
      true,
    ],
    ['anything else', new Error('something odd +447700900123'), 'error', false],
  ])('%s: reason %s', (_what, err, reason, permanent) => {
    expect(errorReason(err)).toBe(reason);
    expect(isPermanentFailure(err)).toBe(permanent);
    expect(describeError(err, { recipient: 'jo@nhs.example' }).startsWith(`${reason}: `)).toBe(true);
    expect(describeError(err, { recipient: 'jo@nhs.example' })).not.toMatch(/jo@nhs|7700/);
  });
});
