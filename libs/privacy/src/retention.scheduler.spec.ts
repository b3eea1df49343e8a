import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/common';
import type { DataSource } from 'typeorm';
import type { PrivacyService } from './privacy.service';
import { RetentionScheduler } from './retention.scheduler';

/** Without a database: a query runner that cannot connect (PostgreSQL restarting), then can. */
describe('RetentionScheduler when the database is away', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('retries after 1, 2, 4 … minutes (at most an hour), logs the outage once, and never rejects', async () => {
    jest.useFakeTimers();
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    let connects = 0;
    const runner = {
      connect: async () => {
        connects += 1;
        if (connects <= 3)
          throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      },
      query: async () => [{ locked: true }],
      release: async () => undefined,
    };
    const ds = { createQueryRunner: () => runner } as unknown as DataSource;
    const privacy = { retention: async () => ({ erased: 0, callerIds: [], cutoff: '' }) } as unknown as PrivacyService;
    const s = new RetentionScheduler({ worker: true } as AppConfig, ds, privacy);
    s.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(connects).toBe(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(connects).toBe(2);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(connects).toBe(3);
    await jest.advanceTimersByTimeAsync(240_000);
    expect(connects).toBe(4);
    expect(errors).toHaveBeenCalledTimes(1);
    // it worked: the next run is a day later
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(connects).toBe(4);
    s.onApplicationShutdown();
    expect(s.retryDelayMs(1)).toBe(60_000);
    expect(s.retryDelayMs(7)).toBe(3_600_000);
  });
});
